package glassbox.train;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Epoch order (seeded, pinned), batch sizes, batch contents and augmentation of {@link Batches}. */
class BatchesTest {
    private static final Normalization IDENTITY = new Normalization(new float[]{0f}, new float[]{1f / 255});

    @Test
    void anEpochVisitsEverySampleOnceInASeededOrder() {
        ImageData d = indexed(10); // label i = i, so labels show the order
        Batches a = new Batches(d, IDENTITY, 4, 3, 0, true, 0, false);
        assertEquals(3, a.count());
        int[] seen = concat(a);
        int[] sorted = seen.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertArrayEquals(seen, concat(new Batches(d, IDENTITY, 4, 3, 0, true, 0, false)), "same seed and epoch, same order");
        assertFalse(Arrays.equals(seen, concat(new Batches(d, IDENTITY, 4, 3, 1, true, 0, false))), "next epoch, new order");
    }

    /** The labels of every batch of {@code bs}, in batch order. */
    private static int[] concat(Batches bs) {
        int[] all = new int[0];
        for (int b = 0; b < bs.count(); b++) {
            int[] y = bs.get(b).y();
            int[] s = Arrays.copyOf(all, all.length + y.length);
            System.arraycopy(y, 0, s, all.length, y.length);
            all = s;
        }
        return all;
    }

    @Test
    void cropAndFlipMoveRealPixelsAndPadWithBlack() {
        // One 1x4x4 image with pixel values 1..16; every augmented version must consist of values from the
        // image, rows and columns shifted by the same offsets (and maybe mirrored), and black (0) padding.
        byte[] px = new byte[16];
        for (int i = 0; i < 16; i++) px[i] = (byte) (i + 1);
        ImageData d = new ImageData(1, 4, 4, px, new byte[1], List.of("x"));
        Normalization norm = IDENTITY;
        boolean sawShift = false, sawFlip = false;
        for (int e = 0; e < 40; e++) {
            float[] x = new Batches(d, norm, 1, 9, e, true, 2, true).get(0).x();
            for (int y = 0; y < 4; y++) {
                for (int c = 0; c < 4; c++) {
                    float v = x[y * 4 + c];
                    if (v == 0) continue;
                    int sy = ((int) v - 1) / 4, sx = ((int) v - 1) % 4;
                    if (sy != y || sx != c) sawShift = true;
                    if (c + 1 < 4 && x[y * 4 + c + 1] != 0 && x[y * 4 + c + 1] == v - 1) sawFlip = true;
                }
            }
        }
        assertEquals(true, sawShift && sawFlip, "some crops shift and some flip");
        // Without augmentation, the batch is the image exactly.
        float[] plain = new Batches(d, norm, 1, 9, 0, false, 0, false).get(0).x();
        for (int i = 0; i < 16; i++) assertEquals(i + 1, plain[i], 1e-4f);
    }

    /** Labels 0..n-1 in a 1x1x1 image set, so a batch's labels are the sample indices it holds. */
    private static ImageData indexed(int n) {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) labels[i] = (byte) i;
        return new ImageData(1, 1, 1, new byte[n], labels, List.of("x"));
    }

    @Test
    void shuffleIsPinnedAndDependsOnSeedAndEpoch() {
        // Pinned values: a change of the shuffle (which would change every training run) cannot go unnoticed.
        ImageData d = indexed(100);
        int[] order = concat(new Batches(d, IDENTITY, 100, 42, 0, true, 0, false));
        assertArrayEquals(new int[]{34, 26, 23, 72, 12, 45}, Arrays.copyOf(order, 6));
        assertFalse(Arrays.equals(order, concat(new Batches(d, IDENTITY, 100, 43, 0, true, 0, false))), "other seed, other order");
        int[] plain = concat(new Batches(d, IDENTITY, 100, 42, 0, false, 0, false));
        for (int i = 0; i < 100; i++) assertEquals(i, plain[i], "shuffle=false keeps data order");
    }

    @Test
    void lastBatchIsPartialAndBatchesCanBeBuiltInAnyOrder() {
        ImageData d = indexed(10);
        Batches bs = new Batches(d, IDENTITY, 4, 7, 2, true, 0, false);
        assertEquals(3, bs.count());
        assertEquals(List.of(4, 4, 2), List.of(bs.get(0).n(), bs.get(1).n(), bs.get(2).n()));
        assertEquals(2, bs.get(2).y().length);
        assertEquals(2, bs.get(2).x().length);
        // building batch 2 before batch 0 (as a background thread may) gives the same batches
        Batches again = new Batches(d, IDENTITY, 4, 7, 2, true, 0, false);
        Batches.Batch late = again.get(2);
        assertArrayEquals(bs.get(0).y(), again.get(0).y());
        assertArrayEquals(bs.get(2).y(), late.y());
    }

    @Test
    void batchHoldsTheNormalizedSamplesAndTheirLabels() {
        ImageData d = NormalizationTest.rgb(6, 3);
        Normalization n = Normalization.of(d);
        float[][] t = n.table();
        Batches.Batch b = new Batches(d, n, 4, 0, 0, false, 0, false).get(1); // samples 4 and 5
        assertEquals(2, b.n());
        assertArrayEquals(new int[]{d.label(4), d.label(5)}, b.y());
        for (int k = 0; k < 2 * 18; k++) {
            int s = 4 + k / 18, c = k % 18 / 6;
            assertEquals(t[c][d.pixels()[s * 18 + k % 18] & 0xFF], b.x()[k], "value " + k);
        }
    }

    @Test
    void rejectsBadBatchSizeAndChannelMismatch() {
        ImageData d = NormalizationTest.rgb(3, 4);
        assertThrows(IllegalArgumentException.class, () -> new Batches(d, Normalization.unit(3), 0, 0, 0, false, 0, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Batches(d, Normalization.unit(1), 2, 0, 0, false, 0, false));
        assertTrue(e.getMessage().contains("1 channels"), e.getMessage());
    }
}
