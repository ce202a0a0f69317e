package glassbox.layers;

import glassbox.tensor.Tensor;
import glassbox.testing.GradCheck;
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
