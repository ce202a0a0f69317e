package glassbox.train.stats;

import glassbox.layers.Linear;
import glassbox.layers.ReLU;
import glassbox.layers.Sigmoid;
import glassbox.layers.Tanh;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Statistics, histogram bins, dead and saturated shares against values worked out by hand. */
class SummaryTest {
    @Test
    void binsArePowersOfTwoOnEachSide() {
        assertEquals(81, Histogram.BINS);
        assertEquals(40, Histogram.bin(0f));
        assertEquals(40, Histogram.bin(-0f));
        assertEquals(40, Histogram.bin(1e-12f)); // below 2^-32
        assertEquals(71, Histogram.bin(0.3f));   // 0.25 <= 0.3 < 0.5: 2^-2, so 41 + (-2 + 32)
        assertEquals(71, Histogram.bin(0.25f));  // the inner edge belongs to the bin
        assertEquals(72, Histogram.bin(0.5f));
        assertEquals(9, Histogram.bin(-0.3f));   // mirror image: 39 - 30
        assertEquals(73, Histogram.bin(1.5f));   // 2^0
        assertEquals(5, Histogram.bin(-4f));     // 2^2 on the negative side: 39 - 34
        assertEquals(41, Histogram.bin(0x1p-32f));
        assertEquals(80, Histogram.bin(1000f));  // open-ended outer bins
        assertEquals(80, Histogram.bin(Float.POSITIVE_INFINITY));
        assertEquals(0, Histogram.bin(Float.NEGATIVE_INFINITY));
        assertEquals(0.25, Histogram.innerEdge(71));
        assertEquals(0.5, Histogram.outerEdge(71));
        assertEquals(-4.0, Histogram.innerEdge(5));
        assertEquals("+2^-2", Histogram.label(71));
        assertEquals("-2^2", Histogram.label(5));
    }

    @Test
    void summaryOfAFewValues() {
        float[] x = {0f, 0.3f, -0.3f, 1.5f, -4f, 0f};
        Summary s = Summary.of(x);
        // sum = -2.5, mean = -2.5/6; Σx² = 0.09 + 0.09 + 2.25 + 16 = 18.43
        double mean = -2.5 / 6, sq = 18.43;
        assertEquals(6, s.n());
        assertEquals(mean, s.mean(), 1e-6);
        assertEquals(Math.sqrt(sq / 6 - mean * mean), s.std(), 1e-6);
        assertEquals(-4f, s.min());
        assertEquals(1.5f, s.max());
        assertEquals(Math.sqrt(sq), s.norm(), 1e-6);
        assertEquals(2 / 6.0, s.zeros(), 1e-7);
        int[] hist = new int[81];
        hist[40] = 2;
        hist[71] = 1;
        hist[9] = 1;
        hist[73] = 1;
        hist[5] = 1;
        assertArrayEquals(hist, s.hist());
    }

    /**
     * A tiny layer on a fixed batch: Linear 2 → 3 with chosen weights, then ReLU. Pre-activations worked out by hand:
     * sample (1, 2): (1·1 - 1·2 + 0, 0.5·1 + 2·2 - 1, 0 - 10) = (-1, 3.5, -10);
     * sample (3, -1): (3 + 1, 1.5 - 2 - 1, -10) = (4, -1.5, -10).
     * ReLU: (0, 3.5, 0), (4, 0, 0): unit 0 and unit 1 each fire once, unit 2 (bias -10) never: one dead of three.
     */
    @Test
    void tinyLayerOnAFixedBatch() {
        Linear fc = new Linear("fc", 2, 3);
        System.arraycopy(new float[]{1, -1, 0.5f, 2, 0, 0}, 0, fc.weight().value().data(), 0, 6);
        System.arraycopy(new float[]{0, -1, -10}, 0, fc.bias().value().data(), 0, 3);
        ReLU relu = new ReLU("relu");
        Tensor x = new Tensor(new float[]{1, 2, 3, -1}, 2, 2);
        Tensor z = fc.forward(x, true);
        assertArrayEquals(new float[]{-1, 3.5f, -10, 4, -1.5f, -10}, z.data(), 1e-6f);
        Tensor y = relu.forward(z, true);

        RunRecord.LayerStats pre = StatsRecorder.layerStats(fc, z);
        assertEquals((-1 + 3.5 - 10 + 4 - 1.5 - 10) / 6, pre.out().mean(), 1e-6);
        assertEquals(0f, pre.dead());
        assertNull(pre.saturated());
        RunRecord.LayerStats post = StatsRecorder.layerStats(relu, y);
        assertEquals(7.5 / 6, post.out().mean(), 1e-6);
        assertEquals(Math.sqrt(3.5 * 3.5 + 16), post.out().norm(), 1e-6);
        assertEquals(4 / 6.0, post.out().zeros(), 1e-6);
        assertEquals(1 / 3.0, post.dead(), 1e-6);
        int[] hist = new int[81];
        hist[40] = 4;  // the zeros
        hist[74] = 1;  // 3.5 in [2, 4)
        hist[75] = 1;  // 4 in [4, 8)
        assertArrayEquals(hist, post.out().hist());
    }

    @Test
    void deadUnitsOfAConvolutionAreChannels() {
        // [N=2, C=3, H=1, W=2]: channel 0 fires in sample 1 only, channel 1 never, channel 2 in sample 0.
        Tensor y = new Tensor(new float[]{0, 0, 0, 0, 0, 5, 0, 1, 0, 0, 0, 0}, 2, 3, 1, 2);
        assertEquals(1 / 3.0, StatsRecorder.deadShare(y), 1e-6);
    }

    @Test
    void saturationOfSigmoidAndTanh() {
        Tensor s = new Tensor(new float[]{0.005f, 0.5f, 0.995f, 0.2f}, 1, 4);
        assertEquals(0.5f, StatsRecorder.layerStats(new Sigmoid("s"), s).saturated(), 1e-6f);
        Tensor t = new Tensor(new float[]{-0.999f, 0.5f, 0.2f, 0.1f}, 1, 4);
        assertEquals(0.25f, StatsRecorder.layerStats(new Tanh("t"), t).saturated(), 1e-6f);
    }
}
