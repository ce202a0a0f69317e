package glassbox.model;

import glassbox.layers.BatchNorm;
import glassbox.layers.Conv2d;
import glassbox.layers.Layer;
import glassbox.loss.Gradients;
import glassbox.tensor.Tensor;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch norm folded into the convolution before it: the same eval-mode outputs and input gradients. */
class FoldingTest {
    /** resnet20 (3 stages, projections) on small odd images with batch-norm statistics far from their start. */
    static Model resnet(long seed) {
        Model m = Zoo.build("resnet20", Zoo.options(new int[]{3, 11, 9}, 10), seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (Layer l : m.allLayers()) {
            if (!(l instanceof BatchNorm bn)) continue;
            float[] g = bn.weight().value().data(), b = bn.bias().value().data();
            float[] mean = bn.runningMean().data(), var = bn.runningVar().data();
            for (int c = 0; c < g.length; c++) {
                g[c] = (float) (0.5 + r.nextDouble());
                b[c] = (float) (r.nextDouble() - 0.5);
                mean[c] = (float) (r.nextDouble() - 0.5);
                var[c] = (float) (0.2 + 2 * r.nextDouble());
            }
        }
        return m;
    }

    @Test
    void foldedModelGivesTheSameLogitsAndInputGradient() {
        Model m = resnet(3), f = Folding.foldBatchNorm(m);
        assertTrue(Folding.hasFoldable(m));
        assertFalse(Folding.hasFoldable(f));
        assertTrue(f.allLayers().stream().noneMatch(l -> l instanceof BatchNorm), "every batch norm of resnet20 follows a convolution");
        assertEquals(m.allLayers().stream().filter(l -> l instanceof Conv2d).count(), f.allLayers().stream().filter(l -> l instanceof Conv2d).count());
        for (Layer l : f.allLayers()) assertNotSame(l, m.layer(l.name()), "the folded model shares no layer");
        Tensor x = Rand.normal(7, 1f, 5, 3, 11, 9);
        int[] classes = {0, 2, 1, 9, 4};
        Tensor dOut = Gradients.oneHot(m.outputShape(5), classes);
        for (Model model : new Model[]{m, f}) model.setParamGradients(false);
        Tensor y = m.forward(x, false).copy(), yf = f.forward(x, false);
        Tensor dx = m.backward(dOut).copy(), dxf = f.backward(dOut);
        assertClose(y.data(), yf.data(), 1e-4f, "logits");
        assertClose(dx.data(), dxf.data(), 1e-4f, "input gradient");
    }

    @Test
    void aModelWithoutBatchNormIsCopiedAsItIs() {
        Model m = Zoo.build("lenet5", Zoo.options(new int[]{1, 28, 28}, 10), 2);
        assertFalse(Folding.hasFoldable(m));
        Model f = Folding.foldBatchNorm(m);
        Tensor x = Rand.normal(4, 1f, 2, 1, 28, 28);
        assertArrayEquals(m.forward(x, false).data(), f.forward(x, false).data());
    }

    @Test
    void aFoldedModelCopiesLikeAnyOther() {
        Model f = Folding.foldBatchNorm(resnet(5)), c = f.copy();
        Tensor x = Rand.normal(8, 1f, 2, 3, 11, 9);
        assertArrayEquals(f.forward(x, false).data(), c.forward(x, false).data());
    }

    /** |a - b| <= tol * (1 + max |a|) element by element: float rounding of a different summation order only. */
    static void assertClose(float[] a, float[] b, float tol, String what) {
        assertEquals(a.length, b.length);
        float scale = 0;
        for (float v : a) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < a.length; i++) {
            assertTrue(Math.abs(a[i] - b[i]) <= tol * (1 + scale), what + " [" + i + "]: " + a[i] + " vs " + b[i] + " (max " + scale + ")");
        }
    }
}
