package glassbox.layers;

import glassbox.tensor.Tensor;
import glassbox.check.GradCheck;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** LeakyReLU, Tanh, Sigmoid. */
class ActivationTest {
    @Test
    void leakyReluGradientsAndValues() {
        Tensor x = Rand.awayFromZero(Rand.normal(1, 1f, 2, 3, 4, 5), 0.05f);
        GradCheck.check(new LeakyReLU("lrelu", 0.1f), x, true, 2);
        Tensor y = new LeakyReLU("lrelu", 0.1f).forward(Tensor.of(new float[]{-2f, 3f}, 1, 2), false);
        assertArrayEquals(new float[]{-0.2f, 3f}, y.data(), 1e-7f);
    }

    @Test
    void tanhGradients() {
        GradCheck.check(new Tanh("tanh"), Rand.normal(3, 1.5f, 2, 3, 4, 5), true, 4);
    }

    @Test
    void sigmoidGradientsAndExtremes() {
        GradCheck.check(new Sigmoid("sig"), Rand.normal(5, 2f, 3, 17), true, 6);
        Tensor y = new Sigmoid("sig").forward(Tensor.of(new float[]{-1000f, 0f, 1000f}, 1, 3), false);
        assertArrayEquals(new float[]{0f, 0.5f, 1f}, y.data());
        assertEquals(1f / (1f + (float) Math.exp(-2)), Sigmoid.sigmoid(2f), 1e-7f);
    }
}
