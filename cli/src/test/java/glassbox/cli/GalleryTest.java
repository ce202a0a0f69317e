package glassbox.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gallery index and the one --model NAME|FILE resolver, on a made-up gallery. */
class GalleryTest {
    @TempDir
    Path dir;

    @Test
    void namesResolveToShippedFilesAndFilesWin() throws Exception {
        Files.writeString(dir.resolve("a.gbx"), "model bytes");
        String sha = Gallery.sha256(dir.resolve("a.gbx"));
        Files.writeString(dir.resolve(Gallery.INDEX), "name\tfile\tdataset\ttest_accuracy\ttrain_seconds\tsha256\tcommand\n"
                + "a-mnist\ta.gbx\tmnist\t99.25\t120\t" + sha + "\t./glassbox train --model lenet5 --dataset mnist --out a.gbx\n");
        Gallery g = Gallery.read(dir);
        assertEquals(1, g.entries().size());
        Gallery.Entry e = g.entries().getFirst();
        assertEquals(99.25, e.testAccuracy());
        assertEquals(dir.resolve("a.gbx"), g.resolveIn(Path.of("a-mnist")));
        Path file = dir.resolve("other.gbx");
        Files.writeString(file, "x");
        assertEquals(file, g.resolveIn(file), "an existing file is taken as it is");
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> g.resolveIn(Path.of("b-mnist")));
        assertTrue(ex.getMessage().startsWith("no model file b-mnist, and no shipped model of that name (shipped: a-mnist)"), ex.getMessage());
        assertEquals("b8c6a3ac3fa9e1f2ba4d1e2ae1b11d4b6ab4a01a2a9b4ef77bd00b6ee9aa4a8e".length(), sha.length());
    }

    @Test
    void badIndexLineIsNamed() throws Exception {
        Files.writeString(dir.resolve(Gallery.INDEX), "header\nonly\tthree\tfields\n");
        var ex = assertThrows(java.io.IOException.class, () -> Gallery.read(dir));
        assertTrue(ex.getMessage().contains("line 2: expected 7 tab-separated fields, found 3"), ex.getMessage());
    }
}
