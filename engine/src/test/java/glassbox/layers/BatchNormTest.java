package glassbox.layers;

import glassbox.tensor.Tensor;
import glassbox.check.GradCheck;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BatchNorm2d and BatchNorm1d. */
class BatchNormTest {
    private static BatchNorm2d bn2d(int c, long seed) {
        BatchNorm2d bn = new BatchNorm2d("bn", c);
        Rand.fill(bn.weight().value(), seed, 0.5f);
        for (int i = 0; i < c; i++) bn.weight().value().data()[i] += 1f; // γ around 1
        Rand.fill(bn.bias().value(), seed + 1, 0.5f);
        return bn;
    }

    @Test
    void gradientsInTrainingMode() {
        // the batch mean and variance depend on every input: the check covers those cross terms
        GradCheck.check(bn2d(3, 1), Rand.normal(2, 1.5f, 4, 3, 3, 5), true, 3);
    }

    @Test
    void gradientsInEvalMode() {
        BatchNorm2d bn = bn2d(3, 4);
        Rand.fill(bn.runningMean(), 5, 1f);
        bn.runningVar().fill(2.5f);
        GradCheck.check(bn, Rand.normal(6, 1f, 2, 3, 4, 4), false, 7);
    }

    @Test
    void evalInputGradientAloneSkipsXHatAndParamGradientsStillComeOut() {
        // [2, 5, 13, 13]: 1,690 floats a plane pair, odd plane (vector tails); and [4, 16, 48, 48] = 147,456
        // floats, which is split between threads
        for (int[] shape : new int[][]{{2, 5, 13, 13}, {4, 16, 48, 48}}) {
            BatchNorm2d a = bn2d(shape[1], 13), b = bn2d(shape[1], 13);
            Rand.fill(a.runningMean(), 14, 1f);
            Rand.fill(b.runningMean(), 14, 1f);
            a.runningVar().fill(1.7f);
            b.runningVar().fill(1.7f);
            Tensor x = Rand.normal(15, 1f, shape), dy = Rand.normal(16, 1f, shape);
            Tensor ya = a.forward(x, false).copy();
            Tensor dxa = a.backward(dy).copy(); // parameter gradients on throughout
            b.setParamGradients(false);
            Tensor yb = b.forward(x, false).copy();
            Tensor dxb = b.backward(dy).copy();
            assertArrayEquals(ya.data(), yb.data(), "output, bits");
            assertArrayEquals(dxa.data(), dxb.data(), "input gradient, bits");
            for (float v : b.weight().grad().data()) assertEquals(0f, v, "no dγ with parameter gradients off");
            // switched on between forward and backward: x̂ was not kept, and is recomputed for dγ
            b.forward(x, false);
            b.setParamGradients(true);
            b.backward(dy);
            assertArrayEquals(a.weight().grad().data(), b.weight().grad().data(), "dγ, bits");
            assertArrayEquals(a.bias().grad().data(), b.bias().grad().data(), "dβ, bits");
            for (int i = 0; i < dy.size(); i++) { // dx = γ/√(σ²+ε) · dy, channel by channel
                int c = (i / (shape[2] * shape[3])) % shape[1];
                float scale = a.weight().value().data()[c] * (float) (1.0 / Math.sqrt(1.7f + BatchNorm.EPS));
                assertEquals(scale * dy.data()[i], dxa.data()[i], "dx[" + i + "]");
            }
        }
    }

    @Test
    void batchNorm1dGradients() {
        BatchNorm1d bn = new BatchNorm1d("bn1d", 5);
        Rand.fill(bn.bias().value(), 8, 0.5f);
        GradCheck.check(bn, Rand.normal(9, 1f, 6, 5), true, 10);
        GradCheck.check(bn, Rand.normal(11, 1f, 6, 5), false, 12);
    }

    @Test
    void trainingOutputRunningStatsAndEvalByHand() {
        BatchNorm2d bn = new BatchNorm2d("bn", 2);
        bn.weight().value().data()[0] = 2f;  // γ = [2, 1]
        bn.bias().value().data()[0] = 0.5f;  // β = [0.5, -1]
        bn.bias().value().data()[1] = -1f;
        // x [2, 2, 1, 2]: channel 0 holds {1, 2, 3, 6}, channel 1 holds {0, 0, 2, 2}
        Tensor x = Tensor.of(new float[]{1, 2, 0, 0, 3, 6, 2, 2}, 2, 2, 1, 2);
        Tensor y = bn.forward(x, true);
        // channel 0: mean 3, biased variance (4+1+0+9)/4 = 3.5, unbiased 14/3
        // channel 1: mean 1, biased variance 1, unbiased 4/3
        double s0 = Math.sqrt(3.5 + 1e-5), s1 = Math.sqrt(1 + 1e-5);
        float[] expected = {
                (float) (2 * (1 - 3) / s0 + 0.5), (float) (2 * (2 - 3) / s0 + 0.5),
                (float) ((0 - 1) / s1 - 1), (float) ((0 - 1) / s1 - 1),
                (float) (2 * (3 - 3) / s0 + 0.5), (float) (2 * (6 - 3) / s0 + 0.5),
                (float) ((2 - 1) / s1 - 1), (float) ((2 - 1) / s1 - 1)};
        assertArrayEquals(expected, y.data(), 1e-5f);
        // running ← 0.9·running + 0.1·batch, the variance unbiased
        assertArrayEquals(new float[]{0.3f, 0.1f}, bn.runningMean().data(), 1e-6f);
        assertArrayEquals(new float[]{0.9f + 0.1f * 14 / 3f, 0.9f + 0.1f * 4 / 3f}, bn.runningVar().data(), 1e-6f);
        // eval uses the running estimates
        Tensor e = bn.forward(x, false);
        double r0 = Math.sqrt(0.9 + 0.1 * 14 / 3.0 + 1e-5), r1 = Math.sqrt(0.9 + 0.1 * 4 / 3.0 + 1e-5);
        assertEquals((float) (2 * (1 - 0.3) / r0 + 0.5), e.get(0, 0, 0, 0), 1e-5f);
        assertEquals((float) (2 * (6 - 0.3) / r0 + 0.5), e.get(1, 0, 0, 1), 1e-5f);
        assertEquals((float) ((2 - 0.1) / r1 - 1), e.get(1, 1, 0, 0), 1e-5f);
        // the same numbers PyTorch 1.13 gives for this input (nn.BatchNorm2d, train then eval)
        assertEquals(3.707130193710327f, y.get(1, 0, 0, 1), 1e-5f);
        assertEquals(10.251511573791504f, e.get(1, 0, 0, 1), 1e-5f);
        // eval does not move the running statistics
        assertArrayEquals(new float[]{0.3f, 0.1f}, bn.runningMean().data(), 1e-6f);
    }

    @Test
    void namesBuffersAndDecayFlags() {
        BatchNorm2d bn = new BatchNorm2d("bn1", 4);
        assertEquals(List.of("bn1.weight", "bn1.bias"), bn.params().stream().map(p -> p.name()).toList());
        assertEquals(List.of("bn1.running_mean", "bn1.running_var"), List.copyOf(bn.buffers().keySet()));
        assertFalse(bn.weight().decay() || bn.bias().decay());
        assertArrayEquals(new float[]{1, 1, 1, 1}, bn.weight().value().data());
        assertArrayEquals(new float[]{1, 1, 1, 1}, bn.runningVar().data());
        assertTrue(bn.buffers().get("bn1.running_mean") == bn.runningMean(), "buffers are live, so loading writes into them");
    }

    @Test
    void badInputsNameLayer() {
        BatchNorm2d bn = new BatchNorm2d("bn1", 4);
        ShapeException c = assertThrows(ShapeException.class, () -> bn.forward(Tensor.zeros(2, 3, 5, 5), true));
        assertTrue(c.getMessage().contains("bn1") && c.getMessage().contains("[2, 3, 5, 5]"), c.getMessage());
        ShapeException one = assertThrows(ShapeException.class, () -> bn.forward(Tensor.zeros(1, 4, 1, 1), true));
        assertTrue(one.getMessage().contains("bn1"), one.getMessage());
        bn.forward(Tensor.zeros(1, 4, 1, 1), false); // a single sample is fine in eval
    }
}
