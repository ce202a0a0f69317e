package glassbox.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real MNIST, Fashion-MNIST and CIFAR-10 copies, when present (skipped with the reason otherwise):
 * counts and class balances as published.
 */
class RealDataTest {
    /** {@code <repo>/../shared/datasets}; tests run in the module folder, one below the repository root. */
    static Path shared() {
        Path work = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p : Sources.sharedCandidates(work)) {
            if (Files.isDirectory(p)) return p;
        }
        return Sources.sharedCandidates(work).getLast();
    }

    private static DataOptions sharedOnly() {
        return DataOptions.defaults().withDataDir(shared()).withEnv(k -> null).withHome(Path.of("/nonexistent"))
                .withLocalInstalls(false).withDownload(false);
    }

    @Test
    void mnistCountsAndBalance() throws IOException {
        assumeTrue(Files.isDirectory(shared().resolve("mnist")), "real MNIST not in " + shared().resolve("mnist"));
        Dataset train = Datasets.load("mnist", Split.TRAIN, sharedOnly());
        Dataset test = Datasets.load("mnist", Split.TEST, sharedOnly());
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertArrayEquals(new int[]{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, train.labelCounts());
        assertArrayEquals(new int[]{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, test.labelCounts());
        assertEquals(5, train.label(0)); // the famous first digit
    }

    @Test
    void cifar10CountsAndBalance() throws IOException {
        assumeTrue(Files.isRegularFile(shared().resolve(Cifar10.ARCHIVE)), "CIFAR-10 archive not in " + shared());
        Datasets.Splits both = Datasets.loadSplits("cifar10", sharedOnly());
        Dataset test = both.test();
        assertEquals(50000, both.train().size());
        for (int c : both.train().labelCounts()) assertEquals(5000, c);
        assertEquals(10000, test.size());
        for (int c : test.labelCounts()) assertEquals(1000, c);
        assertEquals(Catalog.CIFAR10_CLASSES, test.classNames());
    }

    @Test
    void fashionFilesInTheMnistFolderAreCaught(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path deb = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(deb), "Debian package dataset-fashion-mnist not installed");
        Files.createDirectories(tmp.resolve("mnist"));
        for (DataFile f : Catalog.MNIST.files()) { // test files copied; train files only need to exist
            if (f.name().startsWith("t10k")) Files.copy(deb.resolve(f.name()), tmp.resolve("mnist").resolve(f.name()));
            else Files.createFile(tmp.resolve("mnist").resolve(f.name()));
        }
        DataOptions o = sharedOnly().withDataDir(tmp);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.load("mnist", Split.TEST, o));
        assertTrue(e.getMessage().contains("the labels of Fashion-MNIST"), e.getMessage());
    }

    @Test
    void fashionFromDebian() throws IOException {
        Path deb = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(deb), "Debian package dataset-fashion-mnist not installed");
        Dataset test = Idx.load("fashion", Split.TEST, deb.resolve("t10k-images-idx3-ubyte.gz"),
                deb.resolve("t10k-labels-idx1-ubyte.gz"), Catalog.FASHION_CLASSES);
        assertEquals(10000, test.size());
        for (int c : test.labelCounts()) assertEquals(1000, c);
    }
}
