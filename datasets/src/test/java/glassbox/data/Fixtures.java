package glassbox.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small generated files in each format, for the tests. */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bo)) {
            o.write(b);
        }
        return bo.toByteArray();
    }

    static byte[] idxImages(int count, int rows, int cols, byte[] pixels) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        Idx.writeImages(bo, count, rows, cols, pixels);
        return bo.toByteArray();
    }

    static byte[] idxLabels(byte[] labels) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        Idx.writeLabels(bo, labels);
        return bo.toByteArray();
    }

    static byte[] randomBytes(Random r, int n, int bound) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt(bound);
        return b;
    }

    /** Writes a 4-file IDX data set (count train, count/2 test, rows x cols, 10 classes) into dir; gz or raw. */
    static void writeIdxSet(Path dir, int count, int rows, int cols, boolean gz, long seed) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(seed);
        for (String prefix : new String[]{"train", "t10k"}) {
            int n = prefix.equals("train") ? count : count / 2;
            byte[] img = idxImages(n, rows, cols, randomBytes(r, n * rows * cols, 256));
            byte[] lab = idxLabels(randomBytes(r, n, 10));
            String s = gz ? ".gz" : "";
            Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + s), gz ? gzip(img) : img);
            Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + s), gz ? gzip(lab) : lab);
        }
    }

    /** CIFAR-10 batch bytes: n records with labels 0..9 cycling and random pixels. */
    static byte[] cifarBatch(int n, Random r) {
        byte[] b = new byte[n * Cifar10.RECORD];
        for (int i = 0; i < n; i++) {
            b[i * Cifar10.RECORD] = (byte) (i % 10);
            for (int k = 1; k < Cifar10.RECORD; k++) b[i * Cifar10.RECORD + k] = (byte) r.nextInt(256);
        }
        return b;
    }

    static final byte[] META = String.join("\n", Catalog.CIFAR10_CLASSES).concat("\n\n").getBytes(StandardCharsets.US_ASCII);

    /** Members of a small CIFAR-10 archive: 5 train batches of perBatch records, a test batch, the meta file. */
    static Map<String, byte[]> cifarMembers(int perBatch, long seed) {
        Random r = new Random(seed);
        Map<String, byte[]> m = new LinkedHashMap<>();
        // Same member order as the real archive: not sorted.
        for (String name : new String[]{"data_batch_4.bin", "data_batch_5.bin", "data_batch_2.bin"}) {
            m.put(name, cifarBatch(perBatch, r));
        }
        m.put(Cifar10.META, META);
        m.put("data_batch_1.bin", cifarBatch(perBatch, r));
        m.put("data_batch_3.bin", cifarBatch(perBatch, r));
        m.put("test_batch.bin", cifarBatch(perBatch, r));
        return m;
    }

    /** A tar.gz archive holding cifar-10-batches-bin/ + the members. */
    static byte[] tarGz(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bo))) {
            tar.putArchiveEntry(new TarArchiveEntry(Cifar10.FOLDER + "/"));
            tar.closeArchiveEntry();
            for (var e : members.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(Cifar10.FOLDER + "/" + e.getKey());
                te.setSize(e.getValue().length);
                tar.putArchiveEntry(te);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bo.toByteArray();
    }
}
