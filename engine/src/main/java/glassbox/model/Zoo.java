package glassbox.model;

import glassbox.layers.BatchNorm2d;
import glassbox.layers.Conv2d;
import glassbox.layers.Dropout;
import glassbox.layers.Flatten;
import glassbox.layers.GlobalAvgPool;
import glassbox.layers.Layer;
import glassbox.layers.Linear;
import glassbox.layers.MaxPool2d;
import glassbox.layers.ReLU;
import glassbox.layers.Residual;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model zoo: networks buildable by name, initialized from a seed, so users can compare what
 * different architectures learn on the same data.
 *
 * <ul>
 *   <li>{@code linear}: a softmax classifier on raw pixels; row {@code k} of {@code fc.weight} is the
 *       template of class {@code k}.</li>
 *   <li>{@code mlp}: pixels → hidden layers with ReLU (and optional dropout) → classes (option
 *       {@code hidden}, e.g. "256" or "512,256").</li>
 *   <li>{@code lenet5}: LeCun et al. 1998, "Gradient-Based Learning Applied to Document Recognition",
 *       with ReLU and max pooling in place of the original scaled tanh and subsampling.</li>
 *   <li>{@code smallvgg}: a VGG-style stack (Simonyan &amp; Zisserman 2015) of 3×3 convolutions:
 *       3-32, 32-32, pool, 32-64, 64-64, pool, FC 4096-256, 256-10, ReLU everywhere.</li>
 *   <li>{@code resnet20}: the CIFAR ResNet of He et al. 2016 ("Deep Residual Learning", section 4.2):
 *       a 3×3 conv, three stages of three residual blocks (16, 32, 64 channels), global average
 *       pooling, FC; batch norm after every conv; 1×1 projection shortcuts where the shape changes
 *       (the paper's option B).</li>
 * </ul>
 * Initialization is stated per layer: He normal for weights followed by a ReLU, Xavier uniform for the
 * final classifier, zero biases, batch norm scale 1 and shift 0 (see {@link Init}).
 *
 * <p>Build options (stored in model files so a file can rebuild its network): {@code input} as
 * "CxHxW", {@code classes}, and for mlp {@code hidden} (widths) and {@code dropout} (probability after
 * each hidden ReLU, Srivastava et al. 2014; default 0).
 */
public final class Zoo {
    /** Every architecture name, in order of size. */
    public static final List<String> NAMES = List.of("linear", "mlp", "lenet5", "smallvgg", "resnet20");

    private Zoo() {
    }

    /** Default build options for an input shape [C, H, W] and a number of classes. */
    public static Map<String, String> options(int[] input, int classes) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("input", input[0] + "x" + input[1] + "x" + input[2]);
        o.put("classes", Integer.toString(classes));
        return o;
    }

    /** Builds architecture {@code name} with the given options and He/Xavier initialization from {@code seed}. */
    public static Model build(String name, Map<String, String> options, long seed) {
        String in = options.get("input");
        if (in == null) throw new IllegalArgumentException("zoo: option 'input' (CxHxW) is missing for " + name);
        int[] s;
        try {
            s = Arrays.stream(in.split("x")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("zoo: input '" + in + "' is not CxHxW");
        }
        if (s.length != 3) throw new IllegalArgumentException("zoo: input '" + in + "' is not CxHxW");
        int classes = Integer.parseInt(options.getOrDefault("classes", "10"));
        return switch (name) {
            case "linear" -> linear(s, classes, seed);
            case "mlp" -> mlp(s, classes, options.getOrDefault("hidden", "256"),
                    Float.parseFloat(options.getOrDefault("dropout", "0")), seed);
            case "lenet5" -> lenet5(s, classes, seed);
            case "smallvgg" -> smallvgg(s, classes, seed);
            case "resnet20" -> resnet20(s, classes, seed);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; the zoo has " + String.join(", ", NAMES));
        };
    }

    /**
     * Softmax regression: flatten, then one fully connected layer. Its weights start at zero (the loss is
     * convex, so no symmetry needs breaking): each class template then holds only what the data put there,
     * not the noise of a random start.
     */
    static Model linear(int[] s, int classes, long seed) {
        Linear fc = new Linear("fc", s[0] * s[1] * s[2], classes);
        return new Model("linear", s, List.of(new Flatten("flatten"), fc));
    }

    static Model mlp(int[] s, int classes, String hidden, float dropout, long seed) {
        List<Layer> ls = new ArrayList<>(List.of(new Flatten("flatten")));
        int width = s[0] * s[1] * s[2], i = 1;
        for (String h : hidden.split(",")) {
            int out = Integer.parseInt(h.trim());
            Linear fc = new Linear("fc" + i, width, out);
            Init.he(fc.weight(), seed);
            ls.add(fc);
            ls.add(new ReLU("relu" + i));
            if (dropout > 0) ls.add(new Dropout("drop" + i, dropout));
            width = out;
            i++;
        }
        Linear last = new Linear("fc" + i, width, classes);
        Init.xavier(last.weight(), seed);
        ls.add(last);
        return new Model("mlp", s, ls);
    }

    /** LeNet-5: conv 5×5 6, pool, conv 5×5 16, pool, FC 120, FC 84, FC classes. */
    static Model lenet5(int[] s, int classes, long seed) {
        // The original network sees 32×32 images: pad smaller ones (MNIST 28×28 gets 2 pixels a side).
        int pad = Math.max(0, (32 - s[1]) / 2);
        Conv2d conv1 = new Conv2d("conv1", s[0], 6, 5, 1, pad, true);
        Conv2d conv2 = new Conv2d("conv2", 6, 16, 5, 1, 0, true);
        Init.he(conv1.weight(), seed);
        Init.he(conv2.weight(), seed);
        List<Layer> features = List.of(conv1, new ReLU("relu1"), new MaxPool2d("pool1", 2, 2),
                conv2, new ReLU("relu2"), new MaxPool2d("pool2", 2, 2), new Flatten("flatten"));
        int flat = flatSize(features, s);
        Linear fc1 = new Linear("fc1", flat, 120), fc2 = new Linear("fc2", 120, 84), fc3 = new Linear("fc3", 84, classes);
        Init.he(fc1.weight(), seed);
        Init.he(fc2.weight(), seed);
        Init.xavier(fc3.weight(), seed);
        List<Layer> ls = new ArrayList<>(features);
        ls.addAll(List.of(fc1, new ReLU("relu3"), fc2, new ReLU("relu4"), fc3));
        return new Model("lenet5", s, ls);
    }

    /** conv3x3 C-32, 32-32, pool, 32-64, 64-64, pool, FC flat-256, 256-classes; ReLU after each but the last. */
    static Model smallvgg(int[] s, int classes, long seed) {
        int[][] convs = {{s[0], 32}, {32, 32}, {32, 64}, {64, 64}};
        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i < convs.length; i++) {
            Conv2d c = new Conv2d("conv" + (i + 1), convs[i][0], convs[i][1], 3, 1, 1, true);
            Init.he(c.weight(), seed);
            ls.add(c);
            ls.add(new ReLU("relu" + (i + 1)));
            if (i % 2 == 1) ls.add(new MaxPool2d("pool" + (i / 2 + 1), 2, 2));
        }
        ls.add(new Flatten("flatten"));
        Linear fc1 = new Linear("fc1", flatSize(ls, s), 256), fc2 = new Linear("fc2", 256, classes);
        Init.he(fc1.weight(), seed);
        Init.xavier(fc2.weight(), seed);
        ls.addAll(List.of(fc1, new ReLU("relu5"), fc2));
        return new Model("smallvgg", s, ls);
    }

    /** ResNet-20 for 32×32 images: 6·3 + 2 weighted layers. */
    static Model resnet20(int[] s, int classes, long seed) {
        List<Layer> ls = new ArrayList<>();
        Conv2d conv1 = new Conv2d("conv1", s[0], 16, 3, 1, 1, false); // no bias: batch norm follows
        Init.he(conv1.weight(), seed);
        ls.addAll(List.of(conv1, new BatchNorm2d("bn1", 16), new ReLU("relu1")));
        int in = 16;
        int[] widths = {16, 32, 64};
        for (int stage = 0; stage < 3; stage++) {
            for (int b = 0; b < 3; b++) {
                int out = widths[stage], stride = stage > 0 && b == 0 ? 2 : 1;
                String n = "block" + (stage + 1) + "_" + (b + 1);
                ls.add(basicBlock(n, in, out, stride, seed));
                ls.add(new ReLU("relu" + (stage + 1) + "_" + (b + 1)));
                in = out;
            }
        }
        Linear fc = new Linear("fc", 64, classes);
        Init.xavier(fc.weight(), seed);
        ls.addAll(List.of(new GlobalAvgPool("pool"), new Flatten("flatten"), fc));
        return new Model("resnet20", s, ls);
    }

    /** conv3×3-BN-ReLU-conv3×3-BN, plus identity or a 1×1 projection shortcut when the shape changes. */
    private static Residual basicBlock(String n, int in, int out, int stride, long seed) {
        Conv2d c1 = new Conv2d(n + ".conv1", in, out, 3, stride, 1, false);
        Conv2d c2 = new Conv2d(n + ".conv2", out, out, 3, 1, 1, false);
        Init.he(c1.weight(), seed);
        Init.he(c2.weight(), seed);
        List<Layer> main = List.of(c1, new BatchNorm2d(n + ".bn1", out), new ReLU(n + ".relu"), c2, new BatchNorm2d(n + ".bn2", out));
        List<Layer> shortcut = List.of();
        if (stride != 1 || in != out) {
            Conv2d proj = new Conv2d(n + ".proj", in, out, 1, stride, 0, false);
            Init.he(proj.weight(), seed);
            shortcut = List.of(proj, new BatchNorm2d(n + ".projbn", out));
        }
        return new Residual(n, main, shortcut);
    }

    /** Features per sample after running the layers' output shapes over input [1, C, H, W]. */
    private static int flatSize(List<Layer> layers, int[] s) {
        int[] shape = {1, s[0], s[1], s[2]};
        for (Layer l : layers) shape = l.outputShape(shape);
        int n = 1;
        for (int i = 1; i < shape.length; i++) n *= shape[i];
        return n;
    }
}
