package glassbox.cli;

import glassbox.data.Idx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ./glassbox data}: lists where each data set is, and prints errors as "glassbox data: message". */
class DataCommandTest {
    @TempDir
    Path tmp;
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    PrintStream oldOut, oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private void writeMnist(Path dir, boolean corrupt) throws IOException {
        Files.createDirectories(dir);
        for (String p : new String[]{"train", "t10k"}) {
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve(p + "-images-idx3-ubyte.gz")))) {
                if (corrupt) o.write(new byte[]{0, 0, 8, 1, 0, 0, 0, 0});
                else Idx.writeImages(o, 3, 2, 2, new byte[12]);
            }
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve(p + "-labels-idx1-ubyte.gz")))) {
                Idx.writeLabels(o, new byte[]{0, 1, 2});
            }
        }
    }

    @Test
    void listsWhereMnistWasFoundAndItsChecksumStatus() throws IOException {
        writeMnist(tmp.resolve("mnist"), false);
        int code = Main.run("data", "mnist", "--data", tmp.toString(), "--load");
        String s = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString());
        assertTrue(s.contains("found in " + tmp + " (--data)"), s);
        assertTrue(s.contains("unverified: matches no known checksum"), s);
        assertTrue(s.contains("loaded train: 3 images 1x2x2"), s);
        assertTrue(s.contains("sample"), s);
    }

    @Test
    void badFileGivesOneLineErrorNamingIt() throws IOException {
        writeMnist(tmp.resolve("mnist"), true);
        int code = Main.run("data", "mnist", "--data", tmp.toString(), "--load", "--no-checksums");
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code);
        assertTrue(e.startsWith("glassbox data: " + tmp.resolve("mnist").resolve("train-images-idx3-ubyte.gz")), e);
        assertTrue(e.contains("expected IDX magic 0x00000803"), e);
    }

    @Test
    void imageFolderIsSummarized() throws IOException {
        for (String c : new String[]{"cat", "dog"}) {
            Files.createDirectories(tmp.resolve("pets").resolve(c));
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(5, 5, java.awt.image.BufferedImage.TYPE_INT_RGB),
                    "png", tmp.resolve("pets").resolve(c).resolve("1.png").toFile());
        }
        assertEquals(0, Main.run("data", "folder:" + tmp.resolve("pets")), err.toString());
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("train: 2 images") && s.contains("[cat, dog]"), s);
        Files.writeString(tmp.resolve("pets/cat/2.png"), "not a png");
        assertEquals(2, Main.run("data", "folder:" + tmp.resolve("pets")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("glassbox data: " + tmp.resolve("pets/cat/2.png")), err.toString());
    }

    @Test
    void failedDownloadSaysWhatToPutWhere() throws IOException {
        // nothing anywhere (no env, empty home, no local installs), a mirror that refuses connections
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        DataCommand c = new DataCommand();
        c.base = glassbox.data.DataOptions.defaults().withEnv(k -> null).withHome(tmp.resolve("home"))
                .withLocalInstalls(false).withProgress(false).withLog(null);
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        new picocli.CommandLine(c).parseArgs("cifar10", "--data", empty.toString(), "--download", "--mirror", "http://127.0.0.1:9/");
        glassbox.data.DatasetNotFoundException e = assertThrows(glassbox.data.DatasetNotFoundException.class, c::call);
        assertTrue(e.getMessage().startsWith("cifar10") && e.getMessage().contains("the download failed")
                && e.getMessage().contains("Connection refused"), e.getMessage());
        assertTrue(e.getMessage().contains("Put cifar-10-binary.tar.gz") && e.getMessage().contains(empty.toString()), e.getMessage());
    }

    @Test
    void unknownNameIsAnError() {
        assertEquals(2, Main.run("data", "imagenet"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("glassbox data: unknown dataset 'imagenet'"), err.toString());
    }
}
