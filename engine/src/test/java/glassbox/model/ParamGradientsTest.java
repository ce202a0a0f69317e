package glassbox.model;

import glassbox.loss.Gradients;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A backward without parameter gradients (for explanations) gives the same input gradient, bit for bit. */
class ParamGradientsTest {
    @Test
    void inputGradientIsBitIdenticalAndParamGradsStayUntouched() {
        for (boolean training : new boolean[]{false, true}) {
            Model m = ModelTest.resnet(); // conv, batch norm (2d), residual blocks, linear
            Tensor x = Rand.normal(7, 1f, 3, 1, 8, 8);
            int[] classes = {0, 2, 1};

            m.setSeed(5); // the same dropout masks in both passes
            m.forward(x, training);
            Tensor full = m.backward(Gradients.oneHot(m.outputShape(3), classes));
            assertTrue(m.computesParamGradients());

            List<float[]> before = new ArrayList<>();
            for (Param p : m.params()) {
                Rand.fill(p.grad(), 99, 1f); // sentinel values that must survive
                before.add(p.grad().data().clone());
            }
            m.setParamGradients(false);
            assertFalse(m.computesParamGradients());
            m.setSeed(5);
            m.forward(x, training);
            Tensor skipped = m.backward(Gradients.oneHot(m.outputShape(3), classes));

            assertArrayEquals(full.data(), skipped.data(), "input gradient, training=" + training);
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), m.params().get(i).grad().data(), m.params().get(i).name() + " was touched");
            }
            m.setParamGradients(true);
            for (var l : m.allLayers()) assertTrue(l.computesParamGradients(), l.name() + " not switched back");
        }
    }
}
