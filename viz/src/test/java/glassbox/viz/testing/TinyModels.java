package glassbox.viz.testing;

import glassbox.data.Dataset;
import glassbox.layers.AvgPool2d;
import glassbox.layers.Conv2d;
import glassbox.layers.Flatten;
import glassbox.layers.Layer;
import glassbox.layers.Linear;
import glassbox.layers.MaxPool2d;
import glassbox.layers.ReLU;
import glassbox.layers.Residual;
import glassbox.model.Model;
import glassbox.tensor.Param;

import java.util.List;
import java.util.Random;

/** Small hand-built models and data sets for viz tests (seeded, no files). */
public final class TinyModels {
    private TinyModels() {
    }

    /** Fills every parameter with N(0, std) from {@code seed}. */
    public static Model randomize(Model m, long seed, float std) {
        Random r = new Random(seed);
        for (Param p : m.params()) {
            float[] d = p.value().data();
            for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian() * std;
        }
        return m;
    }

    /** LeNet-5 on 1x32x32: conv 5x5, pool 2, conv 5x5, pool 2, conv 5x5 (C5), then FC. */
    public static Model lenet5() {
        return new Model("lenet5", new int[]{1, 32, 32}, List.of(
                new Conv2d("conv1", 1, 6, 5, 1, 0, true), new ReLU("relu1"), new MaxPool2d("pool1", 2, 2),
                new Conv2d("conv2", 6, 16, 5, 1, 0, true), new ReLU("relu2"), new MaxPool2d("pool2", 2, 2),
                new Conv2d("conv3", 16, 120, 5, 1, 0, true), new ReLU("relu3"), new Flatten("flat"),
                new Linear("fc", 120, 10)));
    }

    /** VGG-style on 3x32x32: three stages of two 3x3 'same' convs and a 2x2 max pool. */
    public static Model smallVgg() {
        return new Model("smallvgg", new int[]{3, 32, 32}, List.of(
                new Conv2d("conv1", 3, 8, 3, 1, 1, true), new ReLU("relu1"), new Conv2d("conv2", 8, 8, 3, 1, 1, true), new ReLU("relu2"),
                new MaxPool2d("pool1", 2, 2),
                new Conv2d("conv3", 8, 8, 3, 1, 1, true), new ReLU("relu3"), new Conv2d("conv4", 8, 8, 3, 1, 1, true), new ReLU("relu4"),
                new MaxPool2d("pool2", 2, 2),
                new Conv2d("conv5", 8, 8, 3, 1, 1, true), new ReLU("relu5"), new Conv2d("conv6", 8, 8, 3, 1, 1, true), new ReLU("relu6"),
                new MaxPool2d("pool3", 2, 2), new Flatten("flat"), new Linear("fc", 8 * 4 * 4, 10)));
    }

    /** A stem conv and one residual block with a strided 1x1 projection shortcut. */
    public static Model residual() {
        List<Layer> main = List.of(new Conv2d("res1.conv1", 4, 4, 3, 2, 1, true), new ReLU("res1.relu"), new Conv2d("res1.conv2", 4, 4, 3, 1, 1, true));
        List<Layer> shortcut = List.of(new Conv2d("res1.proj", 4, 4, 1, 2, 0, true));
        return new Model("resnet-tiny", new int[]{1, 16, 16}, List.of(
                new Conv2d("stem", 1, 4, 3, 1, 1, true), new Residual("res1", main, shortcut), new AvgPool2d("pool", 2, 2)));
    }

    /** A dataset of {@code n} random images with random labels. */
    public static Dataset randomImages(long seed, int n, int c, int h, int w, int classes) {
        Random r = new Random(seed);
        byte[] px = new byte[n * c * h * w], labels = new byte[n];
        r.nextBytes(px);
        for (int i = 0; i < n; i++) labels[i] = (byte) r.nextInt(classes);
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < classes; i++) names.add("class" + i);
        return new Dataset("random", "test", c, h, w, px, labels, names);
    }
}
