package glassbox.layers;

import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Model;
import glassbox.optim.SGD;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Writing each step into the previous step's tensors must change nothing but where the numbers live: a model
 * holding every kind of layer, trained a few steps with reuse on, ends with the same bits as with reuse off,
 * also when the batch size changes in between (a partial last batch, an evaluation pass).
 */
class ReuseBuffersTest {
    /** Every layer type once: conv, batch norm, the activations, both pools, a residual block, dropout, FC. */
    private static Model everyLayer() {
        List<Layer> layers = List.of(
                new Conv2d("conv1", 3, 4, 3, 1, 1, true),
                new BatchNorm2d("bn1", 4),
                new ReLU("relu1"),
                new Residual("res", List.of(new Conv2d("res.conv", 4, 4, 3, 1, 1, false), new BatchNorm2d("res.bn", 4),
                        new LeakyReLU("res.act", 0.1f)), List.of()),
                new MaxPool2d("pool1", 2, 2),
                new Conv2d("conv2", 4, 6, 3, 2, 1, true),
                new Tanh("tanh"),
                new AvgPool2d("pool2", 2, 1),
                new Flatten("flatten"),
                new Linear("fc1", 6, 8),
                new BatchNorm1d("bn2", 8),
                new Sigmoid("sig"),
                new Dropout("drop", 0.3f),
                new Linear("fc2", 8, 5));
        Model m = new Model("every-layer", new int[]{3, 9, 9}, layers);
        long seed = 1;
        for (Param p : m.params()) Rand.fill(p.value(), seed++, 0.5f);
        m.setSeed(7);
        return m;
    }

    /** Trains on batches of sizes 4, 3, 4 with an eval forward of 2 in between; returns all weights. */
    private static List<float[]> train(boolean reuse) {
        Model m = everyLayer();
        m.setReuseBuffers(reuse);
        SGD sgd = new SGD(m.params(), 0.05, 0.9, false, 1e-3);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        int[] sizes = {4, 3, 4, 4};
        for (int step = 0; step < sizes.length; step++) {
            int n = sizes[step];
            Tensor x = Rand.normal(100 + step, 1f, n, 3, 9, 9);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = (i + step) % 5;
            m.zeroGrad();
            loss.forward(m.forward(x, true), labels);
            m.backward(loss.backward());
            sgd.step();
            m.forward(Rand.normal(200 + step, 1f, 2, 3, 9, 9), false); // evaluation between steps
        }
        List<float[]> w = new ArrayList<>();
        for (Param p : m.params()) w.add(p.value().data().clone());
        return w;
    }

    @Test
    void reuseGivesTheSameBitsAsFreshTensors() {
        List<float[]> fresh = train(false), reused = train(true);
        for (int i = 0; i < fresh.size(); i++) assertArrayEquals(fresh.get(i), reused.get(i), "param " + i);
    }

    @Test
    void reuseWritesIntoTheSameTensorAndOffAllocatesNew() {
        Conv2d c = new Conv2d("c", 2, 3, 3, 1, 1, true);
        Rand.fill(c.weight().value(), 3, 0.5f);
        Tensor x1 = Rand.normal(1, 1f, 2, 2, 5, 5), x2 = Rand.normal(2, 1f, 2, 2, 5, 5);
        Tensor dy = Rand.normal(3, 1f, 2, 3, 5, 5);

        Tensor y1 = c.forward(x1, true), g1 = c.backward(dy);
        assertNotSame(y1, c.forward(x2, true), "reuse is off by default: new tensors each call");

        c.setReuseBuffers(true);
        Tensor a = c.forward(x1, true), ga = c.backward(dy);
        Tensor b = c.forward(x2, true), gb = c.backward(dy);
        assertSame(a, b);
        assertSame(ga, gb);
        // and the contents are those of a fresh computation (nothing stale left over from x1)
        Conv2d fresh = new Conv2d("c", 2, 3, 3, 1, 1, true);
        System.arraycopy(c.weight().value().data(), 0, fresh.weight().value().data(), 0, c.weight().value().size());
        assertArrayEquals(fresh.forward(x2, true).data(), b.data());
        assertArrayEquals(g1.data(), gb.data());
        assertArrayEquals(y1.data(), fresh.forward(x1, true).data());
    }
}
