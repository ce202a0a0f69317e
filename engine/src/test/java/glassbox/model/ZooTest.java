package glassbox.model;

import glassbox.layers.BatchNorm2d;
import glassbox.layers.Conv2d;
import glassbox.layers.Dropout;
import glassbox.layers.Linear;
import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
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
                () -> Zoo.build("vgg16", Zoo.options(new int[]{3, 32, 32}, 10), 0));
        assertTrue(e.getMessage().contains("resnet20"), e.getMessage());
    }

    private static Map<String, String> cifar(String... kv) {
        Map<String, String> o = new LinkedHashMap<>(Zoo.options(new int[]{3, 32, 32}, 10));
        for (int i = 0; i < kv.length; i += 2) o.put(kv[i], kv[i + 1]);
        return o;
    }

    @Test
    void alexnetHasLargeFirstKernelsOverlappingPoolsAndDropout() {
        Model m = Zoo.build("alexnet", cifar(), 1);
        Conv2d conv1 = (Conv2d) m.layer("conv1");
        assertArrayEquals(new int[]{64, 3, 5, 5}, conv1.weight().value().shape(), "64 filters of 5x5");
        assertEquals(5, ((Conv2d) m.layer("conv2")).kernel());
        assertEquals(576, ((Linear) m.layer("fc1")).inFeatures(), "64x3x3 after three 3/2 pools of 32x32");
        assertEquals(2, m.allLayers().stream().filter(l -> l instanceof Dropout).count());
        assertEquals(5, m.allLayers().stream().filter(l -> l instanceof BatchNorm2d).count(), "batch norm by default");
        // convs without bias (batch norm follows) + 2 per batch norm + FC layers with bias
        long expected = 64 * 3 * 25 + 64 * 64 * 25 + 128 * 64 * 9 + 128 * 128 * 9 + 64 * 128 * 9
                + 2 * (64 + 64 + 128 + 128 + 64) + (576 * 384 + 384) + (384 * 192 + 192) + (192 * 10 + 10);
        assertEquals(expected, m.paramCount());
        Model plain = Zoo.build("alexnet", cifar("batchnorm", "false", "dropout", "0"), 1);
        assertTrue(plain.allLayers().stream().noneMatch(l -> l instanceof BatchNorm2d || l instanceof Dropout));
        assertEquals(64 * 3 * 25 + 64, plain.layer("conv1").params().stream().mapToInt(p -> p.value().size()).sum());

        // Initialization: AlexNet's N(0, 0.01^2) for the convs that batch norm follows; He where a ReLU follows directly.
        for (String conv : List.of("conv1", "conv2", "conv3", "conv4", "conv5")) {
            assertEquals(0.01, std(((Conv2d) m.layer(conv)).weight().value().data()), 0.001, conv + " with batch norm");
        }
        assertEquals(Math.sqrt(2.0 / 75), std(((Conv2d) plain.layer("conv1")).weight().value().data()), 0.02, "conv1 without batch norm: He");
    }

    private static double std(float[] w) {
        double s = 0;
        for (float v : w) s += (double) v * v;
        return Math.sqrt(s / w.length);
    }

    @Test
    void smallvggTakesBatchNormAndDropout() {
        Model m = Zoo.build("smallvgg", cifar("batchnorm", "true", "dropout", "0.5"), 1);
        assertEquals(4, m.allLayers().stream().filter(l -> l instanceof BatchNorm2d).count());
        assertEquals(1, m.allLayers().stream().filter(l -> l instanceof Dropout).count());
        assertEquals(4096, ((Linear) m.layer("fc1")).inFeatures());
        Model plain = Zoo.build("smallvgg", cifar(), 1);
        // batch norm replaces each conv bias by a scale and a shift: 2 * 32 + 2 * 64 more parameters
        assertEquals(plain.paramCount() + 32 + 32 + 64 + 64, m.paramCount());
    }

    @Test
    void firstKernelSizeChangesOnlyTheFirstLayer() {
        for (String name : List.of("lenet5", "smallvgg", "alexnet", "resnet20")) {
            for (int[] in : new int[][]{{1, 28, 28}, {3, 32, 32}}) {
                Map<String, String> o = new LinkedHashMap<>(Zoo.options(in, 10));
                Model base = Zoo.build(name, o, 1);
                o.put("kernel1", "7");
                Model big = Zoo.build(name, o, 1);
                assertEquals(7, ((Conv2d) big.layer("conv1")).kernel(), name);
                int[] x = {2, in[0], in[1], in[2]};
                assertArrayEquals(base.layer("conv1").outputShape(x), big.layer("conv1").outputShape(x), name + ": same conv1 output");
                int[] k = ((Conv2d) base.layer("conv1")).weight().value().shape();
                assertEquals(base.paramCount() + (long) k[0] * k[1] * (49 - k[2] * k[3]), big.paramCount(), name);
            }
        }
    }

    @Test
    void optionsAreCheckedPerModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zoo.build("linear", cifar("kernel1", "7"), 0));
        assertTrue(e.getMessage().contains("linear takes no option 'kernel1'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.build("resnet20", cifar("kernel1", "4"), 0));
        assertTrue(e.getMessage().contains("odd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.build("smallvgg", cifar("batchnorm", "yes"), 0));
        assertTrue(e.getMessage().contains("true or false"), e.getMessage());
    }

    @Test
    void gradientReachesEveryParameterOfTheNewVariants() {
        List<Model> models = List.of(Zoo.build("alexnet", cifar(), 3), Zoo.build("alexnet", cifar("kernel1", "7", "batchnorm", "false"), 3),
                Zoo.build("smallvgg", cifar("batchnorm", "true", "dropout", "0.5", "kernel1", "5"), 3),
                Zoo.build("resnet20", cifar("kernel1", "7"), 3));
        for (Model m : models) {
            m.zeroGrad();
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            Tensor x = Rand.normal(4, 1f, 4, 3, 32, 32);
            float l = loss.forward(m.forward(x, true), new int[]{0, 1, 2, 3});
            assertTrue(Float.isFinite(l), m.arch());
            m.backward(loss.backward());
            for (Param p : m.params()) {
                float[] g = p.grad().data();
                boolean any = false;
                for (float v : g) {
                    assertTrue(Float.isFinite(v), p.name());
                    any |= v != 0f;
                }
                assertTrue(any, m.arch() + ": no gradient reached " + p.name());
            }
        }
    }
}
