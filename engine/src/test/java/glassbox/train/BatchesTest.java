package glassbox.train;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class BatchesTest {
    private static final Normalization IDENTITY = new Normalization(new float[]{0f}, new float[]{1f / 255});

    @Test
    void anEpochVisitsEverySampleOnceInASeededOrder() {
        // Label i = i, so labels show the order.
        byte[] px = new byte[10], labels = new byte[10];
        for (int i = 0; i < 10; i++) labels[i] = (byte) i;
        ImageData d = new ImageData(1, 1, 1, px, labels, List.of("x"));
        Batches a = new Batches(d, IDENTITY, 4, 3, 0, true, 0, false);
        assertEquals(3, a.count());
        int[] seen = new int[0];
        for (int b = 0; b < a.count(); b++) {
            int[] y = a.get(b).y();
            int[] s = Arrays.copyOf(seen, seen.length + y.length);
            System.arraycopy(y, 0, s, seen.length, y.length);
            seen = s;
        }
        int[] sorted = seen.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertArrayEquals(seen, concat(new Batches(d, IDENTITY, 4, 3, 0, true, 0, false)), "same seed and epoch, same order");
        assertFalse(Arrays.equals(seen, concat(new Batches(d, IDENTITY, 4, 3, 1, true, 0, false))), "next epoch, new order");
    }

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
}
