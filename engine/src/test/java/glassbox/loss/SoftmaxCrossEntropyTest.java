package glassbox.loss;

import glassbox.layers.ShapeException;
import glassbox.tensor.Tensor;
import glassbox.check.GradCheck;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxCrossEntropyTest {
    @Test
    void gradientMatchesFiniteDifferences() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        Tensor z = Rand.normal(1, 2f, 5, 7);
        int[] labels = {0, 6, 3, 3, 1};
        ce.forward(z, labels);
        float[] analytic = ce.backward().data().clone();
        GradCheck.compare("logits", z.data(), analytic, () -> ce.forward(z, labels), 1e-2, 1e-2, new Random(2));
    }

    @Test
    void valueByHand() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        // row 0: logits (0, ln 3): p = (1/4, 3/4), label 1 → -ln(3/4); row 1: equal logits, label 0 → ln 2
        Tensor z = Tensor.of(new float[]{0f, (float) Math.log(3), 5f, 5f}, 2, 2);
        float loss = ce.forward(z, new int[]{1, 0});
        assertEquals((float) ((-Math.log(0.75) + Math.log(2)) / 2), loss, 1e-6f);
        assertArrayEquals(new float[]{0.25f, 0.75f, 0.5f, 0.5f}, ce.probabilities().data(), 1e-6f);
        // (p - onehot) / N
        assertArrayEquals(new float[]{0.125f, -0.125f, -0.25f, 0.25f}, ce.backward().data(), 1e-6f);
    }

    @Test
    void stableForHugeLogits() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        float loss = ce.forward(Tensor.of(new float[]{1000f, 0f, -1000f, 1e30f, 1e30f, 0f}, 2, 3), new int[]{1, 2});
        assertTrue(Float.isFinite(loss), "loss " + loss);
        assertEquals((1000f + 1e30f) / 2, loss, 1e24f);
        for (float p : ce.probabilities().data()) assertTrue(Float.isFinite(p) && p >= 0f && p <= 1f);
    }

    @Test
    void badLabelsAndShapesAreNamed() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> ce.forward(Tensor.zeros(2, 10), new int[]{3, 10}));
        assertTrue(range.getMessage().contains("label 10") && range.getMessage().contains("sample 1")
                && range.getMessage().contains("0..9"), range.getMessage());
        ShapeException count = assertThrows(ShapeException.class, () -> ce.forward(Tensor.zeros(3, 10), new int[]{1, 2}));
        assertTrue(count.getMessage().contains("2 labels") && count.getMessage().contains("[3, 10]"), count.getMessage());
        ShapeException rank = assertThrows(ShapeException.class, () -> ce.forward(Tensor.zeros(3, 10, 1, 1), new int[]{1, 2, 3}));
        assertTrue(rank.getMessage().contains("[3, 10, 1, 1]"), rank.getMessage());
        assertThrows(IllegalStateException.class, () -> new SoftmaxCrossEntropy().backward());
    }

    @Test
    void oneHotAndChannelGradients() {
        Tensor g = Gradients.oneHot(new int[]{2, 3}, new int[]{2, 0});
        assertArrayEquals(new float[]{0, 0, 1, 1, 0, 0}, g.data());
        assertThrows(IllegalArgumentException.class, () -> Gradients.oneHot(new int[]{2, 3}, new int[]{3, 0}));
        Tensor c = Gradients.channel(new int[]{2, 3, 1, 2}, 1);
        assertArrayEquals(new float[]{0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0}, c.data());
        assertThrows(IllegalArgumentException.class, () -> Gradients.channel(new int[]{2, 3, 1, 2}, 3));
    }
}
