package glassbox.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Image folders: classes from sub-folders, exact pixels, resizing or rejection, unreadable files named. */
class ImageFolderTest {
    @TempDir
    Path tmp;

    static void png(Path f, int w, int h, int rgb) throws IOException {
        Files.createDirectories(f.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        ImageIO.write(img, "png", f.toFile());
    }

    @Test
    void classesAreSortedFolderNamesAndPixelsExact() throws IOException {
        png(tmp.resolve("pets/dog/a.png"), 4, 3, 0x102030);
        png(tmp.resolve("pets/cat/b.png"), 4, 3, 0xFF8000);
        png(tmp.resolve("pets/cat/a.png"), 4, 3, 0x000000);
        Files.writeString(tmp.resolve("pets/cat/.DS_Store"), "ignored");
        Dataset d = ImageFolder.load(tmp.resolve("pets"), Split.TRAIN, new ImageFolder.Options(3, 3, 4, false));
        assertEquals(List.of("cat", "dog"), d.classNames());
        assertEquals(3, d.size());
        assertArrayEquals(new int[]{2, 1}, d.labelCounts());
        // cat/a.png, cat/b.png, dog/a.png in that order
        assertEquals(0, d.pixel(0, 0, 0, 0));
        assertEquals(0xFF, d.pixel(1, 0, 2, 3));
        assertEquals(0x80, d.pixel(1, 1, 1, 1));
        assertEquals(0x30, d.pixel(2, 2, 0, 0));
        Dataset gray = ImageFolder.load(tmp.resolve("pets"), Split.TRAIN, new ImageFolder.Options(1, 3, 4, false));
        assertEquals(Math.round(0.299 * 255 + 0.587 * 128), gray.pixel(1, 0, 0, 0));
    }

    @Test
    void jpegIsReadToo() throws IOException {
        Path f = tmp.resolve("j/a/x.JPG");
        Files.createDirectories(f.getParent());
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) img.setRGB(x, y, 0xC8C8C8);
        assertTrue(ImageIO.write(img, "jpg", f.toFile()));
        Dataset d = ImageFolder.load(tmp.resolve("j"), Split.TRAIN, new ImageFolder.Options(1, 8, 8, false));
        assertEquals(200, d.pixel(0, 0, 4, 4), 2); // JPEG is lossy; a flat patch survives within a level or two
    }

    @Test
    void wrongSizeIsRejectedOrResized() throws IOException {
        png(tmp.resolve("f/a/x.png"), 8, 6, 0x808080);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ImageFolder.load(tmp.resolve("f"), Split.TRAIN, new ImageFolder.Options(3, 3, 4, false)));
        assertTrue(e.getMessage().contains("x.png") && e.getMessage().contains("3x4") && e.getMessage().contains("6x8"),
                e.getMessage());
        Dataset d = ImageFolder.load(tmp.resolve("f"), Split.TRAIN, new ImageFolder.Options(3, 3, 4, true));
        assertEquals(0x80, d.pixel(0, 1, 2, 3));
    }

    @Test
    void unreadableImageIsNamed() throws IOException {
        png(tmp.resolve("f/a/ok.png"), 2, 2, 0);
        Files.write(tmp.resolve("f/a/broken.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ImageFolder.load(tmp.resolve("f"), Split.TRAIN, new ImageFolder.Options(3, 2, 2, false)));
        assertTrue(e.getMessage().contains("broken.png") && e.getMessage().contains("readable PNG or JPEG"), e.getMessage());

        Files.delete(tmp.resolve("f/a/broken.png"));
        Files.writeString(tmp.resolve("f/a/notes.txt"), "hello");
        DataFormatException t = assertThrows(DataFormatException.class,
                () -> ImageFolder.load(tmp.resolve("f"), Split.TRAIN, new ImageFolder.Options(3, 2, 2, false)));
        assertTrue(t.getMessage().contains("notes.txt"), t.getMessage());
    }

    @Test
    void trainAndTestSubFolders() throws IOException {
        png(tmp.resolve("s/train/a/1.png"), 2, 2, 0);
        png(tmp.resolve("s/train/b/1.png"), 2, 2, 0);
        png(tmp.resolve("s/test/b/1.png"), 2, 2, 0xFFFFFF);
        ImageFolder.Options o = new ImageFolder.Options(1, 2, 2, false);
        Dataset test = ImageFolder.load(tmp.resolve("s"), Split.TEST, o);
        assertEquals(List.of("a", "b"), test.classNames());
        assertEquals(1, test.label(0));
        assertEquals(255, test.pixel(0, 0, 1, 1));
        png(tmp.resolve("s/test/c/1.png"), 2, 2, 0);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.load(tmp.resolve("s"), Split.TEST, o));
        assertTrue(e.getMessage().contains("'c' only in test/"), e.getMessage());
        // a single folder has no test split
        png(tmp.resolve("one/a/1.png"), 2, 2, 0);
        assertThrows(DataFormatException.class, () -> ImageFolder.load(tmp.resolve("one"), Split.TEST, o));
    }
}
