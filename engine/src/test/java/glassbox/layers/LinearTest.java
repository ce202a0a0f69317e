package glassbox.layers;

import glassbox.tensor.Tensor;
import glassbox.check.GradCheck;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearTest {
    @Test
    void gradientsMatchFiniteDifferences() {
        Linear fc = new Linear("fc", 7, 5);
        Rand.fill(fc.weight().value(), 1, 0.5f);
        Rand.fill(fc.bias().value(), 2, 0.5f);
        GradCheck.check(fc, Rand.normal(3, 1f, 3, 7), true, 4);
    }

    @Test
    void forwardIsXWtPlusB() {
        Linear fc = new Linear("fc", 2, 1);
        fc.weight().value().data()[0] = 2f;
        fc.weight().value().data()[1] = -1f;
        fc.bias().value().data()[0] = 0.5f;
        Tensor y = fc.forward(Tensor.of(new float[]{3f, 4f}, 1, 2), false);
        assertEquals(2f * 3f - 4f + 0.5f, y.data()[0], 0f);
    }

    @Test
    void wrongFeatureCountNamesLayerAndShape() {
        Linear fc = new Linear("fc3", 4, 2);
        ShapeException e = assertThrows(ShapeException.class, () -> fc.forward(Tensor.zeros(2, 5), false));
        assertTrue(e.getMessage().contains("fc3") && e.getMessage().contains("[2, 5]"), e.getMessage());
    }
}
