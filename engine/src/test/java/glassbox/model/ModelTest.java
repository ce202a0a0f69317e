package glassbox.model;

import glassbox.layers.BatchNorm;
import glassbox.layers.BatchNorm2d;
import glassbox.layers.Conv2d;
import glassbox.layers.Dropout;
import glassbox.layers.Flatten;
import glassbox.layers.Layer;
import glassbox.layers.Linear;
import glassbox.layers.MaxPool2d;
import glassbox.layers.ReLU;
import glassbox.layers.Residual;
import glassbox.loss.Gradients;
import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The open-internals guarantees: every activation and gradient readable by name, blocks included. */
class ModelTest {
    /** A small ResNet-style net on [1, 8, 8]: stem, identity block, projection block, dropout, pool, classifier. */
    static Model resnet() {
        List<Layer> layers = List.of(
                new Conv2d("conv1", 1, 4, 3, 1, 1, false), new BatchNorm2d("bn1", 4), new ReLU("relu1"),
                new Residual("res1", List.of(
                        new Conv2d("res1.conv1", 4, 4, 3, 1, 1, false), new BatchNorm2d("res1.bn1", 4), new ReLU("res1.relu"),
                        new Conv2d("res1.conv2", 4, 4, 3, 1, 1, false), new BatchNorm2d("res1.bn2", 4)), List.of()),
                new ReLU("relu2"),
                new Residual("res2", List.of(
                        new Conv2d("res2.conv1", 4, 8, 3, 2, 1, false), new BatchNorm2d("res2.bn1", 8), new ReLU("res2.relu"),
                        new Conv2d("res2.conv2", 8, 8, 3, 1, 1, false), new BatchNorm2d("res2.bn2", 8)),
                        List.of(new Conv2d("res2.proj", 4, 8, 1, 2, 0, false), new BatchNorm2d("res2.projbn", 8))),
                new ReLU("relu3"), new Dropout("drop", 0.25f), new MaxPool2d("pool", 2, 2), new Flatten("flat"),
                new Linear("fc", 32, 3));
        Model m = new Model("tiny-resnet", new int[]{1, 8, 8}, layers);
        randomize(m, 1);
        return m;
    }

    /** Random weights; BN scales around 1; BN running statistics away from their defaults. */
    static void randomize(Model m, long seed) {
        for (Param p : m.params()) {
            Rand.fill(p.value(), seed++, 0.4f);
            if (p.name().endsWith(".weight") && p.value().rank() == 1) {
                for (int i = 0; i < p.value().size(); i++) p.value().data()[i] += 1f;
            }
        }
        for (Layer l : m.allLayers()) {
            if (l instanceof BatchNorm bn) {
                Rand.fill(bn.runningMean(), seed++, 0.2f);
                bn.runningVar().fill(1.5f);
            }
        }
    }

    @Test
    void everyLayerHasActivationAndGradientByName() {
        Model m = resnet();
        Tensor x = Rand.normal(10, 1f, 2, 1, 8, 8);
        Tensor out = m.forward(x, true);
        assertArrayEquals(new int[]{2, 3}, out.shape());
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        ce.forward(out, new int[]{0, 2});
        Tensor dx = m.backward(ce.backward());
        assertArrayEquals(x.shape(), dx.shape());
        assertEquals(11 + 5 + 7, m.allLayers().size()); // top level, res1, res2
        for (Layer l : m.allLayers()) {
            Tensor a = m.activation(l.name()), g = m.gradient(l.name());
            assertNotNull(a, l.name());
            assertNotNull(g, l.name());
            assertArrayEquals(a.shape(), g.shape(), l.name());
        }
        // the gradient reaching a layer's output is the input gradient of the layer after it
        assertSame(m.layer("res2").inputGrad(), m.gradient("relu2"));
        assertSame(m.layer("res1.relu").inputGrad(), m.gradient("res1.bn1"));
        // inside a block both paths start from the block's own output gradient
        assertSame(m.gradient("res2"), m.gradient("res2.bn2"));
        assertSame(m.gradient("res2"), m.gradient("res2.projbn"));
        assertArrayEquals(new int[]{2, 8, 4, 4}, m.activation("res2.proj").shape());
        assertTrue(m.state().containsKey("res2.projbn.running_var") && !m.state().containsKey("conv1.bias"));
    }

    /** Smooth twin of {@link #resnet()} (no ReLU, max pool or dropout), so whole-model finite differences work. */
    static Model smooth() {
        List<Layer> layers = List.of(
                new Conv2d("conv1", 1, 3, 3, 1, 1, true), new glassbox.layers.Tanh("tanh1"),
                new Residual("res1", List.of(
                        new Conv2d("res1.conv1", 3, 3, 3, 1, 1, false), new BatchNorm2d("res1.bn1", 3),
                        new glassbox.layers.Tanh("res1.tanh"), new Conv2d("res1.conv2", 3, 3, 3, 1, 1, true)), List.of()),
                new Residual("res2", List.of(new Conv2d("res2.conv1", 3, 4, 3, 2, 1, false), new BatchNorm2d("res2.bn1", 4)),
                        List.of(new Conv2d("res2.proj", 3, 4, 1, 2, 0, false), new BatchNorm2d("res2.projbn", 4))),
                new glassbox.layers.Sigmoid("sig"), new glassbox.layers.AvgPool2d("pool", 2, 2), new Flatten("flat"),
                new Linear("fc", 16, 3));
        Model m = new Model("smooth", new int[]{1, 8, 8}, layers);
        randomize(m, 20);
        return m;
    }

    @Test
    void saliencyFromOneHotClassScoreMatchesFiniteDifferences() {
        Model m = smooth();
        Tensor x = Rand.normal(30, 1f, 2, 1, 8, 8);
        int[] classes = {2, 0};
        Tensor saliency = m.backward(Gradients.oneHot(m.forward(x, false).shape(), classes)).copy();
        // d(score_2 of sample 0 + score_0 of sample 1)/dx, numerically
        glassbox.check.GradCheck.compare("saliency", x.data(), saliency.data(), () -> {
            float[] s = m.forward(x, false).data();
            return (double) s[classes[0]] + s[3 + classes[1]];
        }, 1e-2, 2e-2, new java.util.Random(31));
    }

    @Test
    void backwardFromChosenChannelTopLevelAndInsideBlock() {
        Model m = smooth();
        Tensor x = Rand.normal(40, 1f, 1, 1, 8, 8);
        for (String name : new String[]{"res2", "res1.conv2", "res2.projbn"}) {
            m.forward(x, false);
            int ch = 1;
            Tensor g = m.backwardFrom(name, Gradients.channel(m.activation(name).shape(), ch)).copy();
            assertNull(m.gradient("fc"), "layers above " + name + " get no gradient");
            glassbox.check.GradCheck.compare(name + " channel " + ch, x.data(), g.data(), () -> {
                m.forward(x, false);
                double s = 0;
                Tensor a = m.activation(name);
                for (int h = 0; h < a.dim(2); h++) for (int w = 0; w < a.dim(3); w++) s += a.get(0, ch, h, w);
                return s;
            }, 1e-2, 2e-2, new java.util.Random(41));
        }
        // from inside a block: only the path holding the layer is walked back
        m.forward(x, false);
        m.backwardFrom("res2.projbn", Gradients.channel(new int[]{1, 4, 4, 4}, 0));
        assertNotNull(m.gradient("res2.proj"));
        assertNull(m.gradient("res2.bn1"));
        assertNotNull(m.gradient("tanh1"));
    }

    @Test
    void retainOffDropsTensorsButStillTrains() {
        Model m = resnet();
        m.setRetain(false);
        m.zeroGrad();
        m.forward(Rand.normal(50, 1f, 2, 1, 8, 8), true);
        m.backward(Rand.normal(51, 1f, 2, 3));
        for (Layer l : m.allLayers()) {
            assertNull(m.activation(l.name()), l.name());
            assertNull(m.gradient(l.name()), l.name());
            assertNull(l.input(), l.name());
        }
        assertTrue(maxAbs(m.param("res1.conv1.weight").grad()) > 0f);
        m.setRetain(true);
        m.forward(Rand.normal(50, 1f, 2, 1, 8, 8), true);
        m.backward(Rand.normal(51, 1f, 2, 3));
        assertNotNull(m.gradient("res1.conv1"));
    }

    @Test
    void reluRuleReachesReLUsInsideBlocks() {
        Model m = resnet();
        Tensor x = Rand.normal(60, 1f, 1, 1, 8, 8);
        m.forward(x, false);
        Tensor standard = m.backward(Gradients.oneHot(new int[]{1, 3}, new int[]{1})).copy();
        m.setReluRule(ReLU.Rule.GUIDED);
        List<String> relus = new ArrayList<>();
        for (Layer l : m.allLayers()) {
            if (l instanceof ReLU r) {
                assertEquals(ReLU.Rule.GUIDED, r.rule(), l.name());
                relus.add(l.name());
            }
        }
        assertEquals(List.of("relu1", "res1.relu", "relu2", "res2.relu", "relu3"), relus);
        m.forward(x, false);
        Tensor guided = m.backward(Gradients.oneHot(new int[]{1, 3}, new int[]{1}));
        assertFalse(java.util.Arrays.equals(standard.data(), guided.data()));
    }

    @Test
    void parameterGradientsAccumulateAcrossBackwardCalls() {
        Model m = resnet();
        m.zeroGrad();
        m.forward(Rand.normal(70, 1f, 2, 1, 8, 8), true);
        Tensor dOut = Rand.normal(71, 1f, 2, 3);
        m.backward(dOut);
        List<float[]> once = new ArrayList<>();
        for (Param p : m.params()) once.add(p.grad().data().clone());
        m.backward(dOut);
        for (int i = 0; i < once.size(); i++) {
            float[] twice = m.params().get(i).grad().data();
            for (int j = 0; j < twice.length; j++) {
                assertEquals(2 * once.get(i)[j], twice[j], 1e-5f * (1 + Math.abs(twice[j])), m.params().get(i).name());
            }
        }
        assertTrue(maxAbs(m.param("res2.proj.weight").grad()) > 0f);
        m.zeroGrad();
        assertEquals(0f, maxAbs(m.param("fc.weight").grad()));
    }

    @Test
    void toStringListsBlocksAndShapes() {
        String s = resnet().toString();
        assertTrue(s.contains("res2.proj") && s.contains("[1, 8, 4, 4]") && s.contains("parameters"), s);
    }

    static float maxAbs(Tensor t) {
        float m = 0f;
        for (float v : t.data()) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** A copy computes the same bits (batch-norm statistics included) and shares no tensor with its original. */
    @Test
    void copyComputesTheSameBitsAndSharesNothing() {
        Model m = Zoo.build("resnet20", Zoo.options(new int[]{3, 8, 8}, 10), 2);
        for (var e : m.state().entrySet()) if (e.getKey().endsWith("running_var")) java.util.Arrays.fill(e.getValue().data(), 1.7f);
        Model c = m.copy();
        assertEquals(m.state().keySet(), c.state().keySet());
        Tensor x = Rand.normal(7, 1f, 3, 3, 8, 8);
        assertArrayEquals(m.forward(x, false).data(), c.forward(x, false).data());
        for (String k : m.state().keySet()) {
            assertFalse(m.state().get(k).data() == c.state().get(k).data(), k + " is shared");
            assertArrayEquals(m.state().get(k).data(), c.state().get(k).data(), k);
        }
        c.params().getFirst().value().data()[0] += 1f;
        assertFalse(m.params().getFirst().value().data()[0] == c.params().getFirst().value().data()[0]);
        c.copyStateFrom(m); // and back
        assertArrayEquals(m.params().getFirst().value().data(), c.params().getFirst().value().data());
    }
}
