package glassbox.model;

import glassbox.layers.Linear;
import glassbox.tensor.Tensor;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZooTest {
    @Test
    void everyModelBuildsAndGivesLogitsForMnistAndCifarShapes() {
        for (String name : Zoo.NAMES) {
            for (int[] in : new int[][]{{1, 28, 28}, {3, 32, 32}}) {
                Model m = Zoo.build(name, Zoo.options(in, 10), 1);
                Tensor y = m.forward(Rand.normal(2, 1f, 2, in[0], in[1], in[2]), false);
                assertArrayEquals(new int[]{2, 10}, y.shape(), name);
                assertTrue(y.firstNonFinite() < 0, name);
            }
        }
    }

    @Test
    void architecturesMatchTheirDefinitions() {
        Model vgg = Zoo.build("smallvgg", Zoo.options(new int[]{3, 32, 32}, 10), 1);
        assertEquals(4096, ((Linear) vgg.layer("fc1")).inFeatures(), "FC 4096-256");
        assertEquals(256, ((Linear) vgg.layer("fc2")).inFeatures());
        Model lenet = Zoo.build("lenet5", Zoo.options(new int[]{1, 28, 28}, 10), 1);
        assertEquals(400, ((Linear) lenet.layer("fc1")).inFeatures(), "16x5x5 after two pools of a padded 28x28");
        assertEquals(61706, lenet.paramCount()); // the classic LeNet-5 parameter count with 10 outputs
        Model res = Zoo.build("resnet20", Zoo.options(new int[]{3, 32, 32}, 10), 1);
        long convs = res.allLayers().stream().filter(l -> l instanceof glassbox.layers.Conv2d c && c.kernel() == 3).count();
        assertEquals(19, convs, "1 + 3 stages x 3 blocks x 2 convs; + fc = 20 weighted layers");
    }

    @Test
    void initIsSeededAndHeScaled() {
        Map<String, String> o = Zoo.options(new int[]{1, 28, 28}, 10);
        float[] a = Zoo.build("mlp", o, 5).param("fc1.weight").value().data();
        float[] b = Zoo.build("mlp", o, 5).param("fc1.weight").value().data();
        float[] c = Zoo.build("mlp", o, 6).param("fc1.weight").value().data();
        assertArrayEquals(a, b, 0f);
        assertFalse(java.util.Arrays.equals(a, c));
        double var = 0;
        for (float v : a) var += v * v;
        var /= a.length;
        assertEquals(2.0 / 784, var, 0.05 * 2.0 / 784, "He: variance 2/fanIn");
        float[] last = Zoo.build("mlp", o, 5).param("fc2.weight").value().data();
        double limit = Math.sqrt(6.0 / (256 + 10));
        for (float v : last) assertTrue(Math.abs(v) <= limit, "Xavier uniform bound");
    }

    @Test
    void unknownModelListsTheZoo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Zoo.build("alexnet", Zoo.options(new int[]{3, 32, 32}, 10), 0));
        assertTrue(e.getMessage().contains("resnet20"), e.getMessage());
    }
}
