package glassbox.layers;

import glassbox.kernels.ConvPlan;
import glassbox.tensor.Tensor;
import glassbox.check.GradCheck;
import glassbox.testing.Rand;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Conv2dTest {
    private static Conv2d conv(String name, int in, int out, int k, int stride, int pad, boolean bias, long seed) {
        Conv2d c = new Conv2d(name, in, out, k, stride, pad, bias);
        Rand.fill(c.weight().value(), seed, 0.5f);
        if (bias) Rand.fill(c.bias().value(), seed + 1, 0.5f);
        return c;
    }

    @Test
    void gradientsSamePadding() {
        GradCheck.check(conv("conv", 2, 3, 3, 1, 1, true, 1), Rand.normal(2, 1f, 2, 2, 5, 6), true, 3);
    }

    @Test
    void gradientsStride2PaddingNoBiasOddSizes() {
        Conv2d c = conv("conv", 3, 2, 3, 2, 1, false, 4);
        assertNull(c.bias());
        assertEquals(1, c.params().size());
        // 7×5 input, stride 2: the last column/row of windows is partly padding
        GradCheck.check(c, Rand.normal(5, 1f, 2, 3, 7, 5), true, 6);
    }

    @Test
    void gradientsStrideThatSkipsInputs() {
        // k=2, stride 3 over 8×8: some input pixels are in no window and must get zero gradient
        Conv2d c = conv("conv", 1, 2, 2, 3, 0, true, 7);
        Tensor x = Rand.normal(8, 1f, 1, 1, 8, 8);
        GradCheck.check(c, x, true, 9);
        c.forward(x, true);
        Tensor dx = c.backward(Rand.normal(10, 1f, 1, 2, 3, 3));
        assertEquals(0f, dx.get(0, 0, 2, 0), 0f); // row 2 lies between windows (rows 0-1, 3-4, 6-7)
        assertTrue(dx.get(0, 0, 1, 0) != 0f);
    }

    @Test
    void gradientsPointwise5x5AndLargePadding() {
        GradCheck.check(conv("pw", 4, 3, 1, 1, 0, true, 10), Rand.normal(11, 1f, 3, 4, 3, 3), true, 12);
        GradCheck.check(conv("big", 2, 2, 5, 1, 2, true, 13), Rand.normal(14, 1f, 1, 2, 4, 5), true, 15);
    }

    @Test
    void inputGradientOffGivesTheSameParameterGradientsAndNoDx() {
        Tensor x = Rand.normal(20, 1f, 2, 2, 6, 5), dy = Rand.normal(21, 1f, 2, 3, 6, 5);
        Conv2d on = conv("conv", 2, 3, 3, 1, 1, true, 22), off = conv("conv", 2, 3, 3, 1, 1, true, 22);
        off.setComputeInputGradient(false);
        on.forward(x, true);
        off.forward(x, true);
        Tensor dx = on.backward(dy);
        assertTrue(dx != null && dx.size() == x.size());
        assertNull(off.backward(dy));
        assertArrayEquals(on.weight().grad().data(), off.weight().grad().data(), 0f);
        assertArrayEquals(on.bias().grad().data(), off.bias().grad().data(), 0f);
        assertTrue(on.weight().grad().data()[0] != 0f);

        Linear fc = new Linear("fc", 4, 3), fcOff = new Linear("fc", 4, 3);
        Rand.fill(fc.weight().value(), 23, 0.5f);
        Rand.fill(fcOff.weight().value(), 23, 0.5f);
        fcOff.setComputeInputGradient(false);
        Tensor v = Rand.normal(24, 1f, 5, 4), g = Rand.normal(25, 1f, 5, 3);
        fc.forward(v, true);
        fcOff.forward(v, true);
        fc.backward(g);
        assertNull(fcOff.backward(g));
        assertArrayEquals(fc.weight().grad().data(), fcOff.weight().grad().data(), 0f);
    }

    @Test
    void forwardByHand() {
        // 1 channel 3×3 input, 2×2 kernel of ones, bias 1, stride 1, no padding: each output = window sum + 1
        Conv2d c = new Conv2d("c", 1, 1, 2, 1, 0, true);
        c.weight().value().fill(1f);
        c.bias().value().fill(1f);
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor y = c.forward(x, false);
        assertArrayEquals(new int[]{1, 1, 2, 2}, y.shape());
        assertArrayEquals(new float[]{13, 17, 25, 29}, y.data());
    }

    @Test
    void geometryGettersAndOutputShape() {
        Conv2d c = new Conv2d("conv1", 3, 16, 5, 2, 2, true);
        assertEquals(3, c.inChannels());
        assertEquals(16, c.outChannels());
        assertEquals(5, c.kernel());
        assertEquals(2, c.stride());
        assertEquals(2, c.padding());
        assertArrayEquals(new int[]{4, 16, 16, 16}, c.outputShape(new int[]{4, 3, 32, 32}));
        assertArrayEquals(new int[]{16, 3, 5, 5}, c.weight().value().shape());
        assertEquals("conv1.weight", c.weight().name());
        assertEquals("conv1.bias", c.bias().name());
        assertTrue(c.weight().decay());
        assertTrue(!c.bias().decay());
    }

    @Test
    void channelMismatchNamesLayerAndShape() {
        Conv2d c = new Conv2d("conv1", 3, 8, 3, 1, 1, true);
        ShapeException e = assertThrows(ShapeException.class, () -> c.forward(Tensor.zeros(2, 1, 28, 28), false));
        assertTrue(e.getMessage().contains("conv1") && e.getMessage().contains("3 input channels")
                && e.getMessage().contains("[2, 1, 28, 28]"), e.getMessage());
    }

    @Test
    void wrongRankAndTooSmallInputNameLayer() {
        Conv2d c = new Conv2d("conv1", 1, 8, 5, 1, 0, true);
        ShapeException rank = assertThrows(ShapeException.class, () -> c.forward(Tensor.zeros(2, 784), false));
        assertTrue(rank.getMessage().contains("conv1") && rank.getMessage().contains("[2, 784]"), rank.getMessage());
        ShapeException small = assertThrows(ShapeException.class, () -> c.forward(Tensor.zeros(1, 1, 3, 3), false));
        assertTrue(small.getMessage().contains("conv1") && small.getMessage().contains("[1, 1, 3, 3]"), small.getMessage());
    }

    /**
     * Frozen weights keep Winograd's transformed kernels between passes: the same bits as recomputing them, forward
     * and input gradient; freezing again after the weights changed uses the new weights.
     */
    @Test
    void frozenWeightsGiveTheSameBitsAndRefreezingTakesNewWeights() {
        Conv2d plain = conv("conv", 9, 12, 3, 1, 1, true, 7), frozen = conv("conv", 9, 12, 3, 1, 1, true, 7);
        frozen.setFrozenWeights(true);
        assertTrue(frozen.frozenWeights());
        Tensor x = Rand.normal(3, 1f, 2, 9, 7, 10), dy = Rand.normal(4, 1f, 2, 12, 7, 10);
        assertEquals(glassbox.kernels.ConvPlan.Forward.WINOGRAD, plain.plan(x.shape(), false).forward());
        for (int pass = 0; pass < 2; pass++) { // the second pass reads the kept transforms
            assertArrayEquals(plain.forward(x, false).data(), frozen.forward(x, false).data(), "forward " + pass);
            assertArrayEquals(plain.backward(dy).data(), frozen.backward(dy).data(), "input gradient " + pass);
        }
        Rand.fill(plain.weight().value(), 11, 0.5f);
        Rand.fill(frozen.weight().value(), 11, 0.5f);
        frozen.setFrozenWeights(true); // the weights changed: drop the kept transforms
        assertArrayEquals(plain.forward(x, false).data(), frozen.forward(x, false).data(), "forward, new weights");
        assertArrayEquals(plain.backward(dy).data(), frozen.backward(dy).data(), "input gradient, new weights");
    }

    /**
     * Frozen with large tiles: Winograd F(4x4, 3x3), forward and input gradient, close to the exact layer but not the
     * same bits (else the large tiles did not run); freezing again without them gives the exact bits back.
     */
    @Test
    void frozenLargeTilesAgreeToRoundingAndCanBeTurnedOff() {
        Conv2d plain = conv("conv", 9, 12, 3, 1, 1, true, 7), frozen = conv("conv", 9, 12, 3, 1, 1, true, 7);
        frozen.setFrozenWeights(true, true);
        Tensor x = Rand.normal(3, 1f, 2, 9, 7, 10), dy = Rand.normal(4, 1f, 2, 12, 7, 10);
        for (int pass = 0; pass < 2; pass++) {
            float[] y0 = plain.forward(x, false).data(), y1 = frozen.forward(x, false).data();
            float[] dx0 = plain.backward(dy).data(), dx1 = frozen.backward(dy).data();
            assertClose(y0, y1, "forward " + pass);
            assertClose(dx0, dx1, "input gradient " + pass);
            assertFalse(Arrays.equals(y0, y1), "large tiles gave the exact bits: did they run?");
        }
        Rand.fill(plain.weight().value(), 11, 0.5f);
        Rand.fill(frozen.weight().value(), 11, 0.5f);
        frozen.setFrozenWeights(true, true); // new weights: new transforms
        assertClose(plain.forward(x, false).data(), frozen.forward(x, false).data(), "forward, new weights");
        frozen.setFrozenWeights(true); // small tiles again: exact bits
        assertArrayEquals(plain.forward(x, false).data(), frozen.forward(x, false).data(), "forward, small tiles");
        assertArrayEquals(plain.backward(dy).data(), frozen.backward(dy).data(), "input gradient, small tiles");
    }

    /**
     * A layer with 3 input channels (an RGB network's first) has no Winograd plan, yet frozen with large tiles it runs
     * on Winograd4 too: other bits than the plan's route, the same values to rounding. Small tiles keep its plan.
     */
    @Test
    void frozenLargeTilesAlsoServeFewChannels() {
        Conv2d plain = conv("conv1", 3, 16, 3, 1, 1, true, 5), frozen = conv("conv1", 3, 16, 3, 1, 1, true, 5);
        Tensor x = Rand.normal(6, 1f, 2, 3, 12, 9), dy = Rand.normal(7, 1f, 2, 16, 12, 9);
        assertTrue(plain.plan(x.shape(), false).forward() != ConvPlan.Forward.WINOGRAD, "too few channels for Winograd's plan");
        frozen.setFrozenWeights(true, true);
        float[] y0 = plain.forward(x, false).data(), y1 = frozen.forward(x, false).data();
        float[] dx0 = plain.backward(dy).data(), dx1 = frozen.backward(dy).data();
        assertClose(y0, y1, "forward");
        assertClose(dx0, dx1, "input gradient");
        assertFalse(Arrays.equals(y0, y1), "large tiles gave the plan's bits: did they run?");
        assertFalse(Arrays.equals(dx0, dx1), "large tiles gave the plan's bits: did they run?");
        frozen.setFrozenWeights(true);
        assertArrayEquals(y0, frozen.forward(x, false).data(), "forward, small tiles: the plan's route");
    }

    /** A copy frozen like its original shares the kept transforms: the same bits, small or large tiles. */
    @Test
    void frozenLikeSharesTheKeptTransforms() {
        Tensor x = Rand.normal(3, 1f, 2, 9, 7, 10), dy = Rand.normal(4, 1f, 2, 12, 7, 10);
        for (boolean large : new boolean[]{false, true}) {
            Conv2d original = conv("conv", 9, 12, 3, 1, 1, true, 7), copy = conv("conv", 9, 12, 3, 1, 1, true, 7);
            original.setFrozenWeights(true, large);
            copy.setFrozenLike(original);
            assertTrue(copy.frozenWeights());
            assertArrayEquals(original.forward(x, false).data(), copy.forward(x, false).data(), "forward, large " + large);
            assertArrayEquals(original.backward(dy).data(), copy.backward(dy).data(), "input gradient, large " + large);
        }
        Conv2d other = conv("conv", 9, 8, 3, 1, 1, true, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> other.setFrozenLike(conv("conv", 9, 12, 3, 1, 1, true, 7)));
        assertTrue(e.getMessage().contains("cannot share"), e.getMessage());
    }

    /** |a - b| at most 1e-5 of the largest |a| (values of order 1 to 10 here; the large tiles' error is ~1e-6 of that). */
    private static void assertClose(float[] a, float[] b, String what) {
        double max = 0, diff = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertTrue(diff <= 1e-5 * max, what + ": differs by " + diff + " (largest value " + max + ")");
    }
}
