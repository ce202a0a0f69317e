package glassbox.layers;

import glassbox.tensor.Tensor;
import glassbox.check.GradCheck;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ReLUTest {
    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = Rand.normal(5, 1f, 2, 3, 4, 5);
        Rand.awayFromZero(x, 0.05f); // finite differences are wrong across the kink
        GradCheck.check(new ReLU("relu"), x, true, 6);
    }

    /** A tensor large enough to be split between threads (odd length: a short last slice) equals the definition. */
    @Test
    void largeTensorsSplitBetweenThreadsGiveTheDefinition() {
        int before = glassbox.kernels.Parallel.threads();
        try {
            glassbox.kernels.Parallel.setThreads(3);
            Tensor x = Rand.normal(7, 1f, 3, 7, 61, 53), dy = Rand.normal(8, 1f, 3, 7, 61, 53); // 67,893 floats
            ReLU r = new ReLU("relu");
            float[] y = r.forward(x, true).data(), dx = r.backward(dy).data();
            for (int i = 0; i < y.length; i++) {
                float v = x.data()[i];
                if (y[i] != Math.max(v, 0f) || dx[i] != (v > 0f ? dy.data()[i] : 0f)) {
                    throw new AssertionError("element " + i + ": x " + v + " y " + y[i] + " dx " + dx[i]);
                }
            }
        } finally {
            glassbox.kernels.Parallel.setThreads(before);
        }
    }

    @Test
    void backwardRules() {
        ReLU r = new ReLU("relu");
        Tensor x = Tensor.of(new float[]{-1f, -1f, 2f, 2f}, 1, 4);
        Tensor dy = Tensor.of(new float[]{-3f, 3f, -3f, 3f}, 1, 4);
        r.forward(x, true);
        assertArrayEquals(new float[]{0f, 0f, -3f, 3f}, r.backward(dy).data());
        r.setRule(ReLU.Rule.GUIDED);
        r.forward(x, true);
        assertArrayEquals(new float[]{0f, 0f, 0f, 3f}, r.backward(dy).data());
        r.setRule(ReLU.Rule.DECONVNET);
        r.forward(x, true);
        assertArrayEquals(new float[]{0f, 3f, 0f, 3f}, r.backward(dy).data());
    }
}
