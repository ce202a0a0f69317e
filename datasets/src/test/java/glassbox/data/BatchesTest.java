package glassbox.data;

import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Normalization and mini-batches: exact values, deterministic order, last-batch policies. */
class BatchesTest {
    static Dataset rgb(int n, long seed) {
        Random r = new Random(seed);
        return new Dataset("t", "train", 3, 2, 3, Fixtures.randomBytes(r, n * 18, 256),
                Fixtures.randomBytes(r, n, 10), Catalog.CIFAR10_CLASSES);
    }

    @Test
    void normalizationMatchesADoubleReference() {
        Dataset d = rgb(11, 1);
        Normalization n = Normalization.fromTrain(d);
        for (int c = 0; c < 3; c++) {
            double s = 0, q = 0;
            int count = 0;
            for (int i = 0; i < d.size(); i++)
                for (int y = 0; y < 2; y++)
                    for (int x = 0; x < 3; x++) {
                        double v = d.pixel(i, c, y, x) / 255.0;
                        s += v;
                        q += v * v;
                        count++;
                    }
            double mean = s / count, std = Math.sqrt(q / count - mean * mean);
            assertEquals(mean, n.mean()[c], 1e-6);
            assertEquals(std, n.std()[c], 1e-6);
            assertEquals((200 / 255.0 - mean) / std, n.apply(c, 200), 1e-5);
        }
        // a normalized batch has per-channel mean ~0 and std ~1 over the whole training set
        Batch all = new Batches(d, n, d.size(), Batches.Last.KEEP).sequential().iterator().next();
        float[] x = all.images().data();
        double s = 0;
        for (int i = 0; i < d.size(); i++) for (int k = 0; k < 6; k++) s += x[all.images().index(i, 1, 0, 0) + k];
        assertEquals(0, s / (d.size() * 6), 1e-5);
    }

    @Test
    void constantChannelGetsStdOne() {
        Dataset d = new Dataset("c", "train", 1, 1, 2, new byte[]{5, 5, 5, 5}, new byte[]{0, 1}, Catalog.DIGITS);
        Normalization n = Normalization.fromTrain(d);
        assertEquals(1f, n.std()[0]);
        assertEquals(0f, n.apply(0, 5), 1e-7);
    }

    @Test
    void sameSeedSameOrderOtherEpochOtherOrder() {
        int[] a = Batches.permutation(1000, 42, 0), b = Batches.permutation(1000, 42, 0);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, Batches.permutation(1000, 42, 1)));
        assertFalse(Arrays.equals(a, Batches.permutation(1000, 43, 0)));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]);
        // pinned values: a change of the shuffle (which would change every training run) cannot go unnoticed
        assertArrayEquals(new int[]{909, 38, 522, 828, 145, 52}, Arrays.copyOf(a, 6));
        assertArrayEquals(new int[]{2, 4, 3, 0, 1}, Batches.permutation(5, 1, 3));
    }

    @Test
    void keepAndDropLastBatch() {
        Dataset d = rgb(10, 2);
        Normalization n = Normalization.fromTrain(d);
        List<Integer> sizes = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        for (Batch b : new Batches(d, n, 4, Batches.Last.KEEP).epoch(7, 0)) {
            sizes.add(b.size());
            for (int i : b.indices()) seen.add(i);
            assertArrayEquals(new int[]{b.size(), 3, 2, 3}, b.images().shape());
        }
        assertEquals(List.of(4, 4, 2), sizes);
        assertEquals(10, seen.stream().distinct().count());
        sizes.clear();
        Batches drop = new Batches(d, n, 4, Batches.Last.DROP);
        for (Batch b : drop.epoch(7, 0)) sizes.add(b.size());
        assertEquals(List.of(4, 4), sizes);
        assertEquals(2, drop.batchesPerEpoch());
    }

    @Test
    void batchHoldsTheNormalizedSamplesAndLabels() {
        Dataset d = rgb(6, 3);
        Normalization n = Normalization.fromTrain(d);
        Batch b = new Batches(d, n, 6, Batches.Last.KEEP).batch(new int[]{5, 0});
        assertArrayEquals(new int[]{d.label(5), d.label(0)}, b.labels());
        assertEquals(n.apply(2, d.pixel(5, 2, 1, 2)), b.images().get(0, 2, 1, 2));
        assertEquals(n.apply(0, d.pixel(0, 0, 0, 1)), b.images().get(1, 0, 0, 1));
        Tensor oh = b.oneHot(10);
        assertEquals(1f, oh.data()[d.label(5)]);
        assertEquals(1f, oh.data()[10 + d.label(0)]);
        float sum = 0;
        for (float v : oh.data()) sum += v;
        assertEquals(2f, sum);
    }

    @Test
    void fillRejectsAWrongTensorAndBadIndex() {
        Dataset d = rgb(3, 4);
        Batches bs = new Batches(d, Normalization.unit(3), 2, Batches.Last.KEEP);
        assertThrows(IllegalArgumentException.class, () -> bs.fill(new int[]{0}, Tensor.zeros(1, 1, 2, 3), new int[1]));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> bs.fill(new int[]{3}, Tensor.zeros(1, 3, 2, 3), new int[1]));
        assertTrue(e.getMessage().contains("sample 3"), e.getMessage());
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
