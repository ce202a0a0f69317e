package glassbox.model;

import glassbox.layers.Conv2d;
import glassbox.layers.Flatten;
import glassbox.layers.Linear;
import glassbox.layers.MaxPool2d;
import glassbox.layers.NonFiniteException;
import glassbox.layers.ReLU;
import glassbox.layers.ShapeException;
import glassbox.tensor.Tensor;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input fails early with a message naming the model, the layer, the shapes or the location. */
class ModelErrorsTest {
    private static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }

    @Test
    void wrongRankInput() {
        Model m = new Model("cnn", new int[]{1, 28, 28}, List.of(new Conv2d("conv1", 1, 4, 3, 1, 1, true)));
        ShapeException e = assertThrows(ShapeException.class, () -> m.forward(Tensor.zeros(2, 784), false));
        assertMentions(e, "cnn", "[N, 1, 28, 28]", "[2, 784]");
    }

    @Test
    void channelMismatchAtConstruction() {
        ShapeException e = assertThrows(ShapeException.class, () -> new Model("cifar-net", new int[]{1, 28, 28},
                List.of(new Conv2d("conv1", 3, 16, 3, 1, 1, true))));
        assertMentions(e, "cifar-net", "conv1", "expects 3 input channels, got 1", "[1, 1, 28, 28]");
    }

    @Test
    void linearAfterFlattenWithWrongFeatureCount() {
        // 28×28 → conv k5 → 24×24 → pool 2 → 12×12, 4 channels: 576 features, not 100
        ShapeException e = assertThrows(ShapeException.class, () -> new Model("lenet", new int[]{1, 28, 28}, List.of(
                new Conv2d("conv1", 1, 4, 5, 1, 0, true), new ReLU("relu1"), new MaxPool2d("pool1", 2, 2),
                new Flatten("flat"), new Linear("fc1", 100, 10))));
        assertMentions(e, "lenet", "layer 5 of 5", "fc1", "Linear 100->10", "got 576", "[1, 576]");
    }

    @Test
    void nanIsCaughtWhereItAppears() {
        Model m = ModelTest.resnet();
        m.setCheckFinite(true);
        Tensor x = Rand.normal(1, 1f, 2, 1, 8, 8);
        x.set(1, 0, 3, 4, Float.NaN);
        NonFiniteException in = assertThrows(NonFiniteException.class, () -> m.forward(x, true));
        assertEquals("conv1", in.layer());
        assertMentions(in, "conv1", "input", "[2, 1, 8, 8]", "NaN", "[1, 0, 3, 4]");

        x.set(1, 0, 3, 4, 0f);
        m.param("res1.conv2.weight").value().data()[5] = Float.POSITIVE_INFINITY;
        NonFiniteException inside = assertThrows(NonFiniteException.class, () -> m.forward(x, true));
        assertEquals("res1.conv2", inside.layer());
        assertMentions(inside, "res1.conv2", "output", "[2, 4, 8, 8]");

        m.setCheckFinite(false); // off: the bad value spreads silently, which is why the check exists
        assertTrue(Float.isNaN(m.forward(x, true).data()[0]));
    }
}
