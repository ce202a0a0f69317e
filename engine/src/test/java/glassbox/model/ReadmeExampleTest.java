package glassbox.model;

import glassbox.layers.BatchNorm2d;
import glassbox.layers.Conv2d;
import glassbox.layers.Dropout;
import glassbox.layers.GlobalAvgPool;
import glassbox.layers.Linear;
import glassbox.layers.ReLU;
import glassbox.layers.Residual;
import glassbox.loss.Gradients;
import glassbox.tensor.Tensor;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The README's "Engine: layers and open internals" example, kept compiling and true; and Model.setSeed. */
class ReadmeExampleTest {
    @Test
    void readmeExample() {
        Tensor x = Rand.normal(1, 1f, 2, 1, 28, 28);
        int[] classes = {3, 7};
        // --- README example starts
        Model m = new Model("tiny", new int[]{1, 28, 28}, List.of(
                new Conv2d("conv1", 1, 8, 3, 1, 1, true), new ReLU("relu1"),
                new Residual("res1", List.of(
                        new Conv2d("res1.conv1", 8, 8, 3, 1, 1, false), new BatchNorm2d("res1.bn1", 8)), List.of()),
                new ReLU("relu2"), new GlobalAvgPool("gap"), new Linear("fc", 8, 10)));
        Tensor logits = m.forward(x, false);                                      // x [N, 1, 28, 28] → [N, 10]
        Tensor saliency = m.backward(Gradients.oneHot(logits.shape(), classes));  // d score_c / dx, [N, 1, 28, 28]
        Tensor fmap = m.activation("res1.conv1");                                 // [N, 8, 28, 28]
        Tensor dfmap = m.gradient("res1.conv1");                                  // d score_c / d fmap, same shape
        float[] filters = m.param("conv1.weight").value().data();                 // [8, 1, 3, 3]
        // --- README example ends
        assertArrayEquals(new int[]{2, 1, 28, 28}, saliency.shape());
        assertArrayEquals(new int[]{2, 8, 28, 28}, fmap.shape());
        assertArrayEquals(fmap.shape(), dfmap.shape());
        assertArrayEquals(new int[]{72}, new int[]{filters.length});
    }

    @Test
    void sameSeedRepeatsDropoutBitForBit() {
        Model m = new Model("drop", new int[]{20}, List.of(new Dropout("d1", 0.5f), new ReLU("r"), new Dropout("d2", 0.5f)));
        Tensor x = Rand.normal(2, 1f, 4, 20);
        m.setSeed(5);
        float[] a = m.forward(x, true).data().clone();
        assertFalse(java.util.Arrays.equals(a, m.forward(x, true).data()), "masks move on between calls");
        m.setSeed(5);
        assertArrayEquals(a, m.forward(x, true).data());
    }
}
