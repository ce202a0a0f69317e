package glassbox.layers;

import glassbox.tensor.Tensor;
import glassbox.check.GradCheck;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResidualTest {
    private static Conv2d conv(String name, int in, int out, int k, int stride, int pad, long seed) {
        Conv2d c = new Conv2d(name, in, out, k, stride, pad, false);
        Rand.fill(c.weight().value(), seed, 0.4f);
        return c;
    }

    // Tanh instead of ReLU inside: finite differences need a smooth function (ReLU has its own check).
    @Test
    void identityShortcutGradients() {
        Residual r = new Residual("res1", List.of(conv("res1.conv1", 3, 3, 3, 1, 1, 1), new BatchNorm2d("res1.bn1", 3),
                new Tanh("res1.act"), conv("res1.conv2", 3, 3, 3, 1, 1, 2)), List.of());
        GradCheck.check(r, Rand.normal(3, 1f, 2, 3, 5, 5), true, 4);
        assertEquals(4, GradCheck.allParams(r).size()); // conv1, bn1 γ and β, conv2: all checked
    }

    @Test
    void projectionShortcutGradients() {
        Residual r = new Residual("res2",
                List.of(conv("res2.conv1", 2, 4, 3, 2, 1, 5), new BatchNorm2d("res2.bn1", 4), new Tanh("res2.act"),
                        conv("res2.conv2", 4, 4, 3, 1, 1, 6), new BatchNorm2d("res2.bn2", 4)),
                List.of(conv("res2.proj", 2, 4, 1, 2, 0, 7), new BatchNorm2d("res2.projbn", 4)));
        Tensor x = Rand.normal(8, 1f, 3, 2, 5, 5);
        assertArrayEquals(new int[]{3, 4, 3, 3}, r.outputShape(x.shape()));
        GradCheck.check(r, x, true, 9);
    }

    @Test
    void outputIsSumAndChildrenKeepTheirTensors() {
        Conv2d c = conv("res.conv", 1, 1, 1, 1, 0, 10);
        Residual r = new Residual("res", List.of(c), List.of());
        Tensor x = Rand.normal(11, 1f, 1, 1, 2, 2);
        Tensor y = r.forward(x, true);
        float w = c.weight().value().data()[0];
        for (int i = 0; i < 4; i++) assertEquals(x.data()[i] * w + x.data()[i], y.data()[i], 1e-6f);
        Tensor dy = Tensor.zeros(1, 1, 2, 2).fill(1f);
        Tensor dx = r.backward(dy);
        for (int i = 0; i < 4; i++) assertEquals(w + 1f, dx.data()[i], 1e-6f); // both paths' gradients summed
        assertTrue(c.output() != null && c.outputGrad() == dy && r.children().equals(List.of(c)));
    }

    @Test
    void mismatchedPathsNameBlockAndShapes() {
        Residual r = new Residual("res3", List.of(conv("res3.conv1", 2, 4, 3, 2, 1, 12)), List.of());
        ShapeException e = assertThrows(ShapeException.class, () -> r.forward(Tensor.zeros(1, 2, 8, 8), false));
        assertTrue(e.getMessage().contains("res3") && e.getMessage().contains("[1, 4, 4, 4]")
                && e.getMessage().contains("[1, 2, 8, 8]"), e.getMessage());
    }
}
