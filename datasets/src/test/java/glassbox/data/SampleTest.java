package glassbox.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The embedded MNIST sample: present, balanced, and exactly what SampleMaker makes from the real files. */
class SampleTest {
    @Test
    void sampleLoadsOfflineAndIsBalanced() throws IOException {
        Dataset train = Datasets.load("sample", Split.TRAIN, DataOptions.defaults().withDownload(false));
        Dataset test = Datasets.load("sample", Split.TEST, DataOptions.defaults().withDownload(false));
        assertEquals(2000, train.size());
        assertEquals(500, test.size());
        assertEquals(28, train.height());
        for (int c : train.labelCounts()) assertEquals(200, c);
        for (int c : test.labelCounts()) assertEquals(50, c);
    }

    @Test
    void sampleIsReproducibleFromTheRealFiles() throws IOException {
        Path mnist = RealDataTest.shared().resolve("mnist");
        assumeTrue(Files.isRegularFile(mnist.resolve("train-images-idx3-ubyte.gz")),
                "real MNIST not in " + mnist + " (../shared/datasets): cannot re-derive the sample");
        for (Split s : Split.values()) {
            String p = s == Split.TRAIN ? "train" : "t10k";
            Dataset full = Idx.load("mnist", s, mnist.resolve(p + "-images-idx3-ubyte.gz"),
                    mnist.resolve(p + "-labels-idx1-ubyte.gz"), Catalog.DIGITS);
            Dataset expect = full.subset(SampleMaker.select(full, s == Split.TRAIN ? 200 : 50));
            Dataset got = EmbeddedSample.load(s);
            assertArrayEquals(expect.pixels(), got.pixels());
            assertArrayEquals(expect.labels(), got.labels());
        }
    }
}
