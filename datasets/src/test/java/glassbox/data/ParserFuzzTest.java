package glassbox.data;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Property tests over generated corrupt inputs, for every parser. The property: a parser either returns data
 * that agrees with what it read, or throws a {@link DataFormatException} naming the input; never another
 * exception (ArrayIndexOutOfBounds, NegativeArraySize, OutOfMemory, ...), never silent garbage.
 *
 * <p>A hand-rolled generator (seeded java.util.Random, seeds printed on failure) rather than a property
 * testing library: the mutations are few and explicit, and each failing case can be replayed from its seed.
 */
class ParserFuzzTest {
    private static final int CASES = 1500;

    @TempDir
    Path tmp;

    /** One mutation of {@code good}: truncation, byte flips (header-biased), insertion, deletion, or noise. */
    static byte[] mutate(byte[] good, Random r) {
        byte[] b = good.clone();
        switch (r.nextInt(6)) {
            case 0 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // strict prefix
            case 1 -> { // flips in the first 32 bytes: magic, counts, sizes, gzip header
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) b[r.nextInt(Math.min(32, b.length))] ^= (byte) (1 + r.nextInt(255));
            }
            case 2 -> { // flips anywhere
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
            }
            case 3 -> { // insert bytes
                int at = r.nextInt(b.length + 1), n = 1 + r.nextInt(8);
                byte[] c = new byte[b.length + n];
                System.arraycopy(b, 0, c, 0, at);
                for (int i = 0; i < n; i++) c[at + i] = (byte) r.nextInt(256);
                System.arraycopy(b, at, c, at + n, b.length - at);
                b = c;
            }
            case 4 -> { // delete a run
                int at = r.nextInt(b.length), n = 1 + r.nextInt(Math.min(16, b.length - at));
                byte[] c = new byte[b.length - n];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + n, c, at, b.length - at - n);
                b = c;
            }
            default -> { // pure noise of random length
                b = new byte[r.nextInt(64)];
                r.nextBytes(b);
            }
        }
        return b;
    }

    @Test
    void idxImagesNeverFailOtherwise() throws IOException {
        Random gen = new Random(20261127);
        byte[] raw = Fixtures.idxImages(5, 3, 4, Fixtures.randomBytes(gen, 60, 256));
        byte[] gz = Fixtures.gzip(raw);
        for (int k = 0; k < CASES; k++) {
            long seed = gen.nextLong();
            Random r = new Random(seed);
            byte[] in = mutate(r.nextBoolean() ? raw : gz, r);
            try {
                Idx.Images img = Idx.readImages(new ByteArrayInputStream(in), "case-" + seed);
                assertEquals((long) img.count() * img.rows() * img.cols(), img.pixels().length, "seed " + seed);
            } catch (DataFormatException e) {
                assertTrue(e.getMessage().startsWith("case-" + seed), "seed " + seed + ": " + e.getMessage());
            } catch (Throwable t) {
                fail("seed " + seed + ": " + t, t);
            }
        }
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        Random gen = new Random(5);
        byte[] raw = Fixtures.idxImages(3, 2, 5, Fixtures.randomBytes(gen, 30, 256));
        byte[] labels = Fixtures.idxLabels(Fixtures.randomBytes(gen, 9, 10));
        for (byte[] full : new byte[][]{raw, Fixtures.gzip(raw)}) {
            for (int len = 0; len < full.length; len++) {
                byte[] cut = Arrays.copyOf(full, len);
                int l = len;
                assertThrows(DataFormatException.class, () -> Idx.readImages(new ByteArrayInputStream(cut), "cut"),
                        "prefix of length " + l + " of " + full.length);
            }
        }
        for (byte[] full : new byte[][]{labels, Fixtures.gzip(labels)}) {
            for (int len = 0; len < full.length; len++) {
                byte[] cut = Arrays.copyOf(full, len);
                assertThrows(DataFormatException.class, () -> Idx.readLabels(new ByteArrayInputStream(cut), "cut"));
            }
        }
    }

    @Test
    void labelsAreInRangeOrTheFirstBadOneIsNamed() throws IOException {
        Random gen = new Random(77);
        for (int k = 0; k < CASES; k++) {
            long seed = gen.nextLong();
            Random r = new Random(seed);
            int n = r.nextInt(40), classes = 1 + r.nextInt(12);
            byte[] labels = Fixtures.randomBytes(r, n, classes + (r.nextInt(4) == 0 ? 3 : 0));
            byte[] pixels = Fixtures.randomBytes(r, n * 4, 256);
            Idx.Images img = new Idx.Images(n, 2, 2, pixels);
            java.util.List<String> names = Catalog.DIGITS.subList(0, Math.min(10, classes));
            try {
                Dataset d = Idx.toDataset("t", Split.TRAIN, img, "i", labels, "l", names);
                for (int i = 0; i < n; i++) assertTrue(d.label(i) < names.size(), "seed " + seed);
            } catch (DataFormatException e) {
                int firstBad = 0;
                while ((labels[firstBad] & 0xFF) < names.size()) firstBad++;
                assertEquals(8 + firstBad, e.offset(), "seed " + seed);
            }
        }
    }

    @Test
    void cifarArchivesNeverFailOtherwise() throws IOException {
        Random gen = new Random(99);
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put(Cifar10.META, Fixtures.META);
        members.put("test_batch.bin", Fixtures.cifarBatch(2, gen));
        byte[] good = Fixtures.tarGz(members);
        byte[] plainTar = unGzip(good);
        Path f = tmp.resolve("a.tar.gz");
        for (int k = 0; k < 300; k++) {
            long seed = gen.nextLong();
            Random r = new Random(seed);
            Files.write(f, mutate(r.nextBoolean() ? good : plainTar, r));
            try {
                Dataset d = Cifar10.load(f, Split.TEST);
                assertEquals((long) d.size() * Cifar10.PIXELS, d.pixels().length, "seed " + seed);
                for (int i = 0; i < d.size(); i++) assertTrue(d.label(i) < d.numClasses(), "seed " + seed);
            } catch (DataFormatException e) {
                assertTrue(e.getMessage().startsWith(f.toString()), "seed " + seed + ": " + e.getMessage());
            } catch (Throwable t) {
                fail("seed " + seed + ": " + t, t);
            }
        }
    }

    @Test
    void cifarBatchesOfAnyLengthAndLabels() {
        Random gen = new Random(3);
        for (int k = 0; k < CASES; k++) {
            long seed = gen.nextLong();
            Random r = new Random(seed);
            byte[] batch = Fixtures.randomBytes(r, r.nextInt(4 * Cifar10.RECORD), 256);
            for (int i = 0; i + Cifar10.RECORD <= batch.length; i += Cifar10.RECORD) {
                batch[i] = (byte) r.nextInt(r.nextInt(3) == 0 ? 256 : 10);
            }
            Map<String, byte[]> m = Map.of(Cifar10.META, Fixtures.META, "test_batch.bin", batch);
            try {
                Dataset d = Cifar10.assemble(Split.TEST, m, "x/");
                assertEquals(batch.length / Cifar10.RECORD, d.size(), "seed " + seed);
                assertEquals(0, batch.length % Cifar10.RECORD, "seed " + seed);
            } catch (DataFormatException e) {
                assertTrue(e.getMessage().startsWith("x/test_batch.bin"), "seed " + seed + ": " + e.getMessage());
            }
        }
    }

    private static byte[] unGzip(byte[] gz) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }
}
