package glassbox.train;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Per-channel statistics against a double-precision reference, the lookup table, and bad input. */
class NormalizationTest {
    static ImageData rgb(int n, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[n * 18], labels = new byte[n];
        r.nextBytes(px);
        for (int i = 0; i < n; i++) labels[i] = (byte) r.nextInt(10);
        return new ImageData(3, 2, 3, px, labels, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
    }

    @Test
    void statisticsMatchADoubleReference() {
        ImageData d = rgb(11, 1);
        Normalization n = Normalization.of(d);
        float[][] t = n.table();
        for (int c = 0; c < 3; c++) {
            double s = 0, q = 0;
            int count = 0;
            for (int i = 0; i < d.size(); i++) {
                for (int k = 0; k < 6; k++) {
                    double v = (d.pixels()[(i * 3 + c) * 6 + k] & 0xFF) / 255.0;
                    s += v;
                    q += v * v;
                    count++;
                }
            }
            double mean = s / count, std = Math.sqrt(q / count - mean * mean);
            assertEquals(mean, n.mean()[c], 1e-6);
            assertEquals(std, n.std()[c], 1e-6);
            assertEquals((200 / 255.0 - mean) / std, t[c][200], 1e-5);
        }
        // the whole normalized training set has per-channel mean ~0 and std ~1
        float[] x = new Batches(d, n, d.size(), 0, 0, false, 0, false).get(0).x();
        for (int c = 0; c < 3; c++) {
            double s = 0, q = 0;
            for (int i = 0; i < d.size(); i++) {
                for (int k = 0; k < 6; k++) {
                    double v = x[(i * 3 + c) * 6 + k];
                    s += v;
                    q += v * v;
                }
            }
            double m = s / (d.size() * 6);
            assertEquals(0, m, 1e-5);
            assertEquals(1, q / (d.size() * 6) - m * m, 1e-4);
        }
    }

    @Test
    void constantChannelGetsStdOne() {
        ImageData d = new ImageData(1, 1, 2, new byte[]{5, 5, 5, 5}, new byte[]{0, 1}, List.of("a", "b"));
        Normalization n = Normalization.of(d);
        assertEquals(1f, n.std()[0]);
        assertEquals(0f, n.table()[0][5], 1e-7);
    }

    @Test
    void unitOnlyScalesAndBadStatisticsAreRejected() {
        Normalization u = Normalization.unit(2);
        assertEquals(2, u.channels());
        assertEquals(1f, u.table()[1][255]);
        assertEquals(0.5f, u.table()[0][255] / 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Normalization(new float[]{0, 0}, new float[]{1, 0}));
        assertTrue(e.getMessage().contains("std[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new float[]{0}, new float[]{1, 1}));
        // the record owns its arrays: neither the caller's array nor an accessor's copy can change it
        float[] mean = {0.5f};
        Normalization n = new Normalization(mean, new float[]{1f});
        mean[0] = 9;
        n.mean()[0] = 9;
        assertEquals(0.5f, n.mean()[0]);
    }
}
