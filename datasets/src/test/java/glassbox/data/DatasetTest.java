package glassbox.data;

import glassbox.train.Batches;
import glassbox.train.ImageData;
import glassbox.train.Normalization;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The in-memory split: helpers, and its hand-over to the engine (normalization and batches themselves are
 * tested in the engine, {@code glassbox.train.NormalizationTest} and {@code BatchesTest}).
 */
class DatasetTest {
    static Dataset rgb(int n, long seed) {
        Random r = new Random(seed);
        return new Dataset("t", "train", 3, 2, 3, Fixtures.randomBytes(r, n * 18, 256),
                Fixtures.randomBytes(r, n, 10), Catalog.CIFAR10_CLASSES);
    }

    @Test
    void asImageDataSharesTheArrays() {
        Dataset d = rgb(7, 1);
        ImageData x = d.asImageData();
        assertSame(d.pixels(), x.pixels(), "pixels are handed over, not copied");
        assertSame(d.labels(), x.labels());
        assertArrayEquals(new int[]{3, 2, 3}, x.sampleShape());
        assertEquals(d.size(), x.size());
        assertEquals(d.classNames(), x.classNames());
        for (int i = 0; i < d.size(); i++) assertEquals(d.label(i), x.label(i));
        // statistics measured through the view are those of the data set
        Normalization n = Normalization.of(x);
        double s = 0;
        for (int i = 0; i < d.size(); i++) for (int y = 0; y < 2; y++) for (int c = 0; c < 3; c++) s += d.pixel(i, 1, y, c);
        assertEquals(s / (d.size() * 6) / 255, n.mean()[1], 1e-6);
    }

    @Test
    void readmeExampleRunsOnTheEmbeddedSample() throws Exception {
        long seed = 1;
        int epoch = 0;
        // --- README "Datasets" example, with "sample" for "mnist" (offline)
        Dataset train = Datasets.load("sample", Split.TRAIN, DataOptions.defaults());
        ImageData images = train.asImageData();
        Normalization norm = Normalization.of(images);
        Batches batches = new Batches(images, norm, 64, seed, epoch, true, 0, false);
        // --- end
        Batches.Batch bt = batches.get(0);
        assertEquals(64, bt.n());
        assertEquals(64 * 28 * 28, bt.x().length);
        assertEquals((train.size() + 63) / 64, batches.count());
    }

    @Test
    void datasetHelpers() {
        Dataset d = rgb(10, 5);
        int[] counts = d.labelCounts();
        assertEquals(10, Arrays.stream(counts).sum());
        Dataset s = d.subset(new int[]{9, 1});
        assertEquals(d.label(9), s.label(0));
        assertEquals(d.pixel(1, 2, 1, 1), s.pixel(1, 2, 1, 1));
        assertEquals(3, d.head(3).size());
    }
}
