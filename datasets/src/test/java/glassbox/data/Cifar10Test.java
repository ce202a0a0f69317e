package glassbox.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** CIFAR-10 binary version on small generated archives and folders. */
class Cifar10Test {
    @TempDir
    Path tmp;

    @Test
    void archiveAndFolderGiveTheSameSplitsInBatchOrder() throws IOException {
        Map<String, byte[]> m = Fixtures.cifarMembers(3, 7);
        Path tgz = tmp.resolve(Cifar10.ARCHIVE);
        Files.write(tgz, Fixtures.tarGz(m));
        Path folder = tmp.resolve("x").resolve(Cifar10.FOLDER);
        Files.createDirectories(folder);
        for (var e : m.entrySet()) Files.write(folder.resolve(e.getKey()), e.getValue());

        for (Split s : Split.values()) {
            Dataset a = Cifar10.load(tgz, s), b = Cifar10.load(tmp.resolve("x"), s);
            assertArrayEquals(a.pixels(), b.pixels());
            assertArrayEquals(a.labels(), b.labels());
            assertEquals(Catalog.CIFAR10_CLASSES, a.classNames());
            assertEquals(3, a.channels());
        }
        Dataset train = Cifar10.load(tgz, Split.TRAIN);
        assertEquals(15, train.size());
        var both = Cifar10.bothFromArchive(tgz);
        assertArrayEquals(train.pixels(), both.get(Split.TRAIN).pixels());
        assertArrayEquals(Cifar10.load(tgz, Split.TEST).labels(), both.get(Split.TEST).labels());
        // record 0 of data_batch_1 comes first: its G plane starts at byte 1 + 1024 of the record
        byte[] b1 = m.get("data_batch_1.bin");
        assertEquals(b1[1 + 1024] & 0xFF, train.pixel(0, 1, 0, 0));
        assertEquals(b1[Cifar10.RECORD - 1] & 0xFF, train.pixel(0, 2, 31, 31));
        // then data_batch_2, although the archive stores it earlier
        byte[] b2 = m.get("data_batch_2.bin");
        assertEquals(b2[1] & 0xFF, train.pixel(3, 0, 0, 0));
    }

    @Test
    void missingMemberIsNamed() throws IOException {
        Map<String, byte[]> m = Fixtures.cifarMembers(2, 1);
        m.remove("test_batch.bin");
        Path tgz = tmp.resolve("a.tar.gz");
        Files.write(tgz, Fixtures.tarGz(m));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.load(tgz, Split.TEST));
        assertTrue(e.getMessage().contains("member cifar-10-batches-bin/test_batch.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("data_batch_1.bin"), "lists what is there: " + e.getMessage());
        // the training split is still fine
        assertEquals(10, Cifar10.load(tgz, Split.TRAIN).size());
    }

    @Test
    void partialRecordAndBadLabelAreNamedWithOffsets() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>(Fixtures.cifarMembers(2, 1));
        m.put("test_batch.bin", Arrays.copyOf(m.get("test_batch.bin"), Cifar10.RECORD + 5));
        Path tgz = tmp.resolve("a.tar.gz");
        Files.write(tgz, Fixtures.tarGz(m));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.load(tgz, Split.TEST));
        assertTrue(e.getMessage().contains("!cifar-10-batches-bin/test_batch.bin, byte 3073"), e.getMessage());
        assertTrue(e.getMessage().contains("5 bytes left over"), e.getMessage());

        byte[] bad = Fixtures.cifarBatch(2, new java.util.Random(3));
        bad[Cifar10.RECORD] = 10;
        m.put("test_batch.bin", bad);
        Files.write(tgz, Fixtures.tarGz(m));
        DataFormatException l = assertThrows(DataFormatException.class, () -> Cifar10.load(tgz, Split.TEST));
        assertEquals(Cifar10.RECORD, l.offset());
        assertTrue(l.getMessage().contains("label 10"), l.getMessage());
    }

    @Test
    void truncatedArchiveAndNotAnArchive() throws IOException {
        byte[] full = Fixtures.tarGz(Fixtures.cifarMembers(3, 2));
        Path cut = tmp.resolve("cut.tar.gz");
        Files.write(cut, Arrays.copyOf(full, full.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.load(cut, Split.TEST));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());

        Path junk = tmp.resolve("junk.tar.gz");
        Files.write(junk, Fixtures.gzip("hello, not a tar".getBytes()));
        assertThrows(DataFormatException.class, () -> Cifar10.load(junk, Split.TRAIN));
    }

    @Test
    void folderWithoutMetaSaysSo() throws IOException {
        Path folder = tmp.resolve(Cifar10.FOLDER);
        Files.createDirectories(folder);
        Files.write(folder.resolve("test_batch.bin"), Fixtures.cifarBatch(1, new java.util.Random(1)));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.load(folder, Split.TEST));
        assertTrue(e.getMessage().contains("batches.meta.txt"), e.getMessage());
    }
}
