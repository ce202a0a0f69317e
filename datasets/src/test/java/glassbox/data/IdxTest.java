package glassbox.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** IDX parsing on small generated files: exact round trips, and a clear error for each kind of damage. */
class IdxTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripRawAndGzipAreIdentical() throws IOException {
        Random r = new Random(1);
        byte[] px = Fixtures.randomBytes(r, 7 * 5 * 3, 256);
        byte[] lb = Fixtures.randomBytes(r, 7, 10);
        for (boolean gz : new boolean[]{false, true}) {
            byte[] img = Fixtures.idxImages(7, 5, 3, px), lab = Fixtures.idxLabels(lb);
            Path fi = tmp.resolve("img" + gz), fl = tmp.resolve("lab" + gz);
            Files.write(fi, gz ? Fixtures.gzip(img) : img);
            Files.write(fl, gz ? Fixtures.gzip(lab) : lab);
            Dataset d = Idx.load("t", Split.TRAIN, fi, fl, Catalog.DIGITS);
            assertEquals(7, d.size());
            assertEquals(5, d.height());
            assertEquals(3, d.width());
            assertArrayEquals(px, d.pixels());
            assertArrayEquals(lb, d.labels());
            // pixel (c=0, y=4, x=2) of sample 6 is the last byte
            assertEquals(px[px.length - 1] & 0xFF, d.pixel(6, 0, 4, 2));
        }
    }

    @Test
    void wrongMagicNamesBothNumbers() throws IOException {
        byte[] lab = Fixtures.idxLabels(new byte[]{1, 2});
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Idx.readImages(new ByteArrayInputStream(lab), "x.idx"));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("0x00000803") && e.getMessage().contains("0x00000801"), e.getMessage());
        assertTrue(e.getMessage().startsWith("x.idx, byte 0: expected"), e.getMessage());
    }

    @Test
    void truncatedFileSaysWhereItEnds() throws IOException {
        byte[] img = Fixtures.idxImages(4, 2, 2, new byte[16]);
        byte[] cut = Arrays.copyOf(img, img.length - 3);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Idx.readImages(new ByteArrayInputStream(cut), "cut.idx"));
        assertEquals(cut.length, e.offset());
        assertTrue(e.getMessage().contains("4 images of 2x2") && e.getMessage().contains("truncated"), e.getMessage());
        // the same inside gzip, and a gzip stream cut short
        byte[] gz = Fixtures.gzip(img);
        byte[] gzCut = Arrays.copyOf(gz, gz.length - 12);
        DataFormatException g = assertThrows(DataFormatException.class,
                () -> Idx.readImages(new ByteArrayInputStream(gzCut), "cut.gz"));
        assertTrue(g.getMessage().startsWith("cut.gz"), g.getMessage());
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        byte[] lab = Fixtures.idxLabels(new byte[]{1, 2, 3});
        byte[] longer = Arrays.copyOf(lab, lab.length + 1);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Idx.readLabels(new ByteArrayInputStream(longer), "l.idx"));
        assertEquals(lab.length, e.offset());
    }

    @Test
    void countMismatchAndLabelOutOfRange() throws IOException {
        Files.write(tmp.resolve("i"), Fixtures.idxImages(3, 2, 2, new byte[12]));
        Files.write(tmp.resolve("l"), Fixtures.idxLabels(new byte[]{1, 2}));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Idx.load("t", Split.TRAIN, tmp.resolve("i"), tmp.resolve("l"), Catalog.DIGITS));
        assertTrue(e.getMessage().contains("3 labels") && e.getMessage().contains("found 2 labels"), e.getMessage());

        Files.write(tmp.resolve("l"), Fixtures.idxLabels(new byte[]{1, 10, 2}));
        DataFormatException r = assertThrows(DataFormatException.class,
                () -> Idx.load("t", Split.TRAIN, tmp.resolve("i"), tmp.resolve("l"), Catalog.DIGITS));
        assertEquals(9, r.offset()); // header 8 bytes + sample 1
        assertTrue(r.getMessage().contains("label 10") && r.getMessage().contains("0..9"), r.getMessage());
    }

    @Test
    void absurdHeaderFailsWithoutAllocatingIt() throws IOException {
        // header promises 2^31-1 images of 4096x4096: rejected as too large before reading
        byte[] img = Fixtures.idxImages(0, 1, 1, new byte[0]);
        img[4] = 0x7f; img[5] = (byte) 0xff; img[6] = (byte) 0xff; img[7] = (byte) 0xff;
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Idx.readImages(new ByteArrayInputStream(img), "big.idx"));
        assertTrue(e.getMessage().contains("big.idx"), e.getMessage());
        // a zero-sized image dimension
        byte[] z = Fixtures.idxImages(0, 1, 1, new byte[0]);
        z[11] = 0;
        assertThrows(DataFormatException.class, () -> Idx.readImages(new ByteArrayInputStream(z), "z.idx"));
    }
}
