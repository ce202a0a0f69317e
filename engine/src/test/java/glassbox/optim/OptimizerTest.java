package glassbox.optim;

import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * One weight w = 1, two steps with gradients 0.5 then -0.25, lr 0.1. Expected values are worked out by
 * hand from each update rule (shown) and agree with torch.optim 1.13 to float precision.
 */
class OptimizerTest {
    private static float[] twoSteps(Function<List<Param>, Optimizer> make) {
        Param w = new Param("w", Tensor.of(new float[]{1f}, 1), true);
        Optimizer o = make.apply(List.of(w));
        float[] after = new float[2];
        float[] grads = {0.5f, -0.25f};
        for (int s = 0; s < 2; s++) {
            w.zeroGrad();
            w.grad().data()[0] = grads[s];
            o.step();
            after[s] = w.value().data()[0];
        }
        return after;
    }

    @Test
    void sgdMomentum() {
        // buf = 0.5, w = 1 - 0.1*0.5 = 0.95; buf = 0.9*0.5 - 0.25 = 0.2, w = 0.95 - 0.02 = 0.93
        assertArrayEquals(new float[]{0.95f, 0.93f}, twoSteps(ps -> new SGD(ps, 0.1, 0.9, false, 0)), 1e-6f);
    }

    @Test
    void sgdPlainIsGradientDescent() {
        // w = 1 - 0.05 = 0.95; w = 0.95 + 0.025 = 0.975
        assertArrayEquals(new float[]{0.95f, 0.975f}, twoSteps(ps -> new SGD(ps, 0.1, 0, false, 0)), 1e-6f);
    }

    @Test
    void sgdNesterovWithWeightDecay() {
        // g = 0.5 + 0.1*1 = 0.6, buf = 0.6, d = 0.6 + 0.54 = 1.14, w = 1 - 0.114 = 0.886
        // g = -0.25 + 0.0886 = -0.1614, buf = 0.54 - 0.1614 = 0.3786, d = -0.1614 + 0.34074 = 0.17934, w = 0.868066
        assertArrayEquals(new float[]{0.886f, 0.868066f}, twoSteps(ps -> new SGD(ps, 0.1, 0.9, true, 0.1)), 1e-6f);
    }

    @Test
    void adam() {
        // step 1: m̂ = g, v̂ = g², so w = 1 - 0.1·sign(g) = 0.9
        // step 2: m = 0.045 - 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225,
        //         m̂ = 0.02/0.19 = 0.105263, v̂ = 0.00031225/0.001999 = 0.156203, w = 0.9 - 0.1·0.105263/0.395225 = 0.873366
        assertArrayEquals(new float[]{0.9f, 0.873366f}, twoSteps(ps -> new Adam(ps, 0.1, 0)), 2e-6f);
    }

    @Test
    void adamWDecaysOutsideTheAdaptiveStep() {
        // AdamW: w = 1 - 0.1·0.01·1 = 0.999, then the Adam step -0.1 → 0.899; torch gives 0.899, 0.871467
        assertArrayEquals(new float[]{0.899f, 0.871467f}, twoSteps(ps -> new AdamW(ps, 0.1, 0.01)), 2e-6f);
        // Adam with L2 folds the decay into g, and the first step is again exactly sign(g): 0.9; torch: 0.9, 0.871229
        assertArrayEquals(new float[]{0.9f, 0.871229f}, twoSteps(ps -> new Adam(ps, 0.1, 0.01)), 2e-6f);
    }

    @Test
    void weightDecaySkipsParamsWithoutDecay() {
        Param w = new Param("w", Tensor.of(new float[]{2f}, 1), true);
        Param b = new Param("b", Tensor.of(new float[]{2f}, 1), false);
        new SGD(List.of(w, b), 0.5, 0, false, 0.1).step(); // zero gradients: only decay moves w
        assertEquals(1.9f, w.value().data()[0], 1e-6f);
        assertEquals(2f, b.value().data()[0], 0f);
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        for (Function<List<Param>, Optimizer> make : List.<Function<List<Param>, Optimizer>>of(
                ps -> new SGD(ps, 0.1, 0.9, true, 1e-3), ps -> new AdamW(ps, 0.01, 0.1))) {
            Param a = new Param("a", Tensor.of(new float[]{1f, -2f, 3f}, 3), true);
            Param b = new Param("a", Tensor.of(new float[]{1f, -2f, 3f}, 3), true); // same name: a twin
            Optimizer oa = make.apply(List.of(a)), ob = make.apply(List.of(b));
            for (Param p : List.of(a, b)) p.grad().data()[0] = 0.3f;
            oa.step();
            ob.step();
            // Save a's state, load into a fresh optimizer over b: the next steps must match bit for bit.
            Map<String, Tensor> saved = oa.state();
            Optimizer fresh = make.apply(List.of(b));
            fresh.loadState(saved);
            fresh.setSteps(oa.steps());
            for (int s = 0; s < 3; s++) {
                for (Param p : List.of(a, b)) p.grad().data()[1] = 0.1f * s - 0.05f;
                oa.step();
                fresh.step();
            }
            assertArrayEquals(a.value().data(), b.value().data(), 0f, oa.name());
        }
    }

    @Test
    void loadStateNamesMissingEntry() {
        Param a = new Param("conv1.weight", Tensor.zeros(2), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SGD(List.of(a), 0.1, 0.9, false, 0).loadState(Map.of()));
        assertEquals("sgd state has no entry momentum/conv1.weight", e.getMessage());
    }
}
