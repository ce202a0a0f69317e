package glassbox.model;

import glassbox.layers.Linear;
import glassbox.layers.Residual;
import glassbox.layers.ShapeException;
import glassbox.tensor.Tensor;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder: names, shapes checked where a layer is added, initializers; the zoo built with it is pinned by ZooFingerprintTest. */
class NetTest {
    @Test
    void countsNamesPerKindAndPerBlock() {
        Model m = Net.builder("tiny", 3, 8, 8)
                .conv(4, 3, 1, 1, false).batchNorm().relu()
                .residual(b -> b.conv(4, 3, 1, 1).relu().conv(4, 3, 1, 1))
                .residual(b -> b.conv(8, 3, 2, 1), sc -> sc.conv(8, 1, 2, 0))
                .relu().globalAvgPool().flatten().linear(5)
                .build(1);
        assertEquals(List.of("conv1", "bn1", "relu1", "res1", "res1.conv1", "res1.relu1", "res1.conv2", "res2", "res2.conv1",
                "res2.conv2", "relu2", "pool1", "flatten", "fc1"), m.allLayers().stream().map(l -> l.name()).toList());
        assertEquals(1, ((Residual) m.layer("res2")).shortcut().size());
        Tensor y = m.forward(Rand.normal(1, 1f, 2, 3, 8, 8), true);
        assertArrayEquals(new int[]{2, 5}, y.shape());
    }

    @Test
    void lastLinearIsXavierUnlessChosen() {
        Model m = Net.builder("mlp", 16).linear(32).relu().linear(4).build(2);
        double limit = Math.sqrt(6.0 / (32 + 4));
        for (float v : m.param("fc2.weight").value().data()) assertTrue(Math.abs(v) <= limit);
        Model z = Net.builder("zero", 16).linear(4).init(Init.Rule.ZERO).build(2);
        for (float v : z.param("fc1.weight").value().data()) assertEquals(0f, v);
    }

    @Test
    void aLayerThatDoesNotFitFailsWhereItIsAdded() {
        ShapeException e = assertThrows(ShapeException.class, () -> Net.builder("bad", 1, 28, 28).conv(6, 5).linear(10));
        assertTrue(e.getMessage().contains("flatten()"), e.getMessage());
        ShapeException r = assertThrows(ShapeException.class,
                () -> Net.builder("bad", 1, 8, 8).residual(b -> b.conv(4, 3, 1, 1)));
        assertTrue(r.getMessage().contains("res1"), r.getMessage());
        assertThrows(IllegalStateException.class, () -> Net.builder("bad", 4).relu().init(Init.Rule.HE));
    }

    @Test
    void customLayersAreAddedAsObjects() {
        Model m = Net.builder("custom", 6).layer(new glassbox.layers.Tanh("squash")).linear(2).build(1);
        assertEquals("squash", m.layers().getFirst().name());
        assertTrue(m.layers().getLast() instanceof Linear);
    }
}
