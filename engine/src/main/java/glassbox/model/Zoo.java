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
 *       3-32, 32-32, pool, 32-64, 64-64, pool, FC 4096-256, 256-10, ReLU everywhere; optionally batch norm
 *       after every conv (Ioffe &amp; Szegedy 2015) and dropout before the classifier.</li>
 *   <li>{@code alexnet}: an AlexNet-style network (Krizhevsky, Sutskever &amp; Hinton 2012) sized for 32×32
 *       images the way Krizhevsky's own CIFAR-10 networks were (cuda-convnet {@code layers-conv-local-11pct},
 *       also the TensorFlow CIFAR-10 tutorial model): conv 5×5 64, max pool 3/2, conv 5×5 64, max pool 3/2,
 *       then AlexNet's three 3×3 convolutions (64-128, 128-128, 128-64), max pool 3/2, FC 576-384, FC
 *       384-192 with dropout 0.5 after each (AlexNet's fc6/fc7), FC 192-classes. Changed for 32×32: 64
 *       rather than 96 first-layer filters, 5×5 stride 1 rather than 11×11 stride 4 (a 32×32 image has no
 *       room for the ImageNet stem), narrower 3×3 layers and FC layers; batch norm after every conv in
 *       place of local response normalization (option {@code batchnorm}, default on).</li>
 *   <li>{@code resnet20}: the CIFAR ResNet of He et al. 2016 ("Deep Residual Learning", section 4.2):
 *       a 3×3 conv, three stages of three residual blocks (16, 32, 64 channels), global average
 *       pooling, FC; batch norm after every conv; 1×1 projection shortcuts where the shape changes
 *       (the paper's option B).</li>
 * </ul>
 * Initialization is stated per layer: He normal for weights followed by a ReLU, Xavier uniform for the
 * final classifier, zero biases, batch norm scale 1 and shift 0 (see {@link Init}).
 *
 * <p>Build options (stored in model files so a file can rebuild its network), listed per model in
 * {@link #OPTIONS}; an option a model does not take is an error:
 * <ul>
 *   <li>{@code input} as "CxHxW" and {@code classes}: every model.</li>
 *   <li>{@code hidden}: mlp hidden widths, e.g. "256" or "512,256".</li>
 *   <li>{@code dropout}: probability of dropping a unit after each hidden FC ReLU (Srivastava et al. 2014);
 *       mlp and smallvgg default 0, alexnet 0.5.</li>
 *   <li>{@code kernel1}: side of the first layer's square kernels, odd (lenet5 and alexnet default 5,
 *       smallvgg and resnet20 3). Padding grows with it so every later shape stays as with the default:
 *       "what does resnet20 learn with 7×7 first kernels?" changes nothing but the first layer.</li>
 *   <li>{@code batchnorm}: "true" or "false", batch norm after every conv (whose bias is then dropped):
 *       smallvgg default false, alexnet default true. resnet20 always has it.</li>
 * </ul>
 */
public final class Zoo {
    /** Every architecture name, simplest first. */
    public static final List<String> NAMES = List.of("linear", "mlp", "lenet5", "smallvgg", "alexnet", "resnet20");

    /** The build options each model takes. */
    public static final Map<String, List<String>> OPTIONS = Map.of(
            "linear", List.of("input", "classes"),
            "mlp", List.of("input", "classes", "hidden", "dropout"),
            "lenet5", List.of("input", "classes", "kernel1"),
            "smallvgg", List.of("input", "classes", "kernel1", "batchnorm", "dropout"),
            "alexnet", List.of("input", "classes", "kernel1", "batchnorm", "dropout"),
            "resnet20", List.of("input", "classes", "kernel1"));

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
        List<String> known = OPTIONS.get(name);
        if (known == null) throw new IllegalArgumentException("unknown model '" + name + "'; the zoo has " + String.join(", ", NAMES));
        for (String k : options.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("zoo: " + name + " takes no option '" + k + "' (it takes " + String.join(", ", known) + ")");
            }
        }
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
        int k1 = kernel1(options, name.equals("lenet5") || name.equals("alexnet") ? 5 : 3);
        return switch (name) {
            case "linear" -> linear(s, classes, seed);
            case "mlp" -> mlp(s, classes, options.getOrDefault("hidden", "256"), dropout(options, 0), seed);
            case "lenet5" -> lenet5(s, classes, k1, seed);
            case "smallvgg" -> smallvgg(s, classes, k1, flag(options, "batchnorm", false), dropout(options, 0), seed);
            case "alexnet" -> alexnet(s, classes, k1, flag(options, "batchnorm", true), dropout(options, 0.5f), seed);
            case "resnet20" -> resnet20(s, classes, k1, seed);
            default -> throw new IllegalStateException(name);
        };
    }

    private static int kernel1(Map<String, String> options, int dflt) {
        String v = options.get("kernel1");
        if (v == null) return dflt;
        int k;
        try {
            k = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("zoo: kernel1 '" + v + "' is not a whole number");
        }
        if (k < 1 || k > 15 || k % 2 == 0) throw new IllegalArgumentException("zoo: kernel1 must be odd, 1 to 15, got " + k);
        return k;
    }

    private static float dropout(Map<String, String> options, float dflt) {
        String v = options.get("dropout");
        if (v == null) return dflt;
        try {
            return Float.parseFloat(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("zoo: dropout '" + v + "' is not a number");
        }
    }

    private static boolean flag(Map<String, String> options, String key, boolean dflt) {
        String v = options.get(key);
        if (v == null) return dflt;
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("zoo: " + key + " must be true or false, got '" + v + "'");
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

    /** LeNet-5: conv k1×k1 6 (5×5 by default), pool, conv 5×5 16, pool, FC 120, FC 84, FC classes. */
    static Model lenet5(int[] s, int classes, int k1, long seed) {
        // The original network sees 32×32 images: pad smaller ones (MNIST 28×28 gets 2 pixels a side);
        // a larger first kernel gets (k1 - 5) / 2 more, so conv1's output stays 28×28.
        int pad = Math.max(0, Math.max(0, (32 - s[1]) / 2) + (k1 - 5) / 2);
        Conv2d conv1 = new Conv2d("conv1", s[0], 6, k1, 1, pad, true);
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

    /**
     * conv3x3 C-32, 32-32, pool, 32-64, 64-64, pool, FC flat-256, 256-classes; ReLU after each but the last;
     * with {@code bn} a batch norm between each conv (then without bias) and its ReLU; with {@code drop > 0}
     * dropout after the FC ReLU. The first conv is k1×k1 with padding k1/2.
     */
    static Model smallvgg(int[] s, int classes, int k1, boolean bn, float drop, long seed) {
        int[][] convs = {{s[0], 32}, {32, 32}, {32, 64}, {64, 64}};
        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i < convs.length; i++) {
            int k = i == 0 ? k1 : 3;
            Conv2d c = new Conv2d("conv" + (i + 1), convs[i][0], convs[i][1], k, 1, k / 2, !bn);
            Init.he(c.weight(), seed);
            ls.add(c);
            if (bn) ls.add(new BatchNorm2d("bn" + (i + 1), convs[i][1]));
            ls.add(new ReLU("relu" + (i + 1)));
            if (i % 2 == 1) ls.add(new MaxPool2d("pool" + (i / 2 + 1), 2, 2));
        }
        ls.add(new Flatten("flatten"));
        Linear fc1 = new Linear("fc1", flatSize(ls, s), 256), fc2 = new Linear("fc2", 256, classes);
        Init.he(fc1.weight(), seed);
        Init.xavier(fc2.weight(), seed);
        ls.addAll(List.of(fc1, new ReLU("relu5")));
        if (drop > 0) ls.add(new Dropout("drop1", drop));
        ls.add(fc2);
        return new Model("smallvgg", s, ls);
    }

    /**
     * AlexNet for 32×32 (see the class comment): conv k1×k1 C-64 (5×5 by default), pool 3/2, conv 5×5
     * 64-64, pool 3/2, conv 3×3 64-128, 128-128, 128-64, pool 3/2, FC flat-384, 384-192, 192-classes.
     * Every conv is followed by [batch norm and] ReLU; every hidden FC by ReLU [and dropout].
     * Shapes for CIFAR-10: 3×32×32 → 64×32×32 → 64×15×15 → 64×15×15 → 64×7×7 → … → 64×7×7 → 64×3×3 → 576.
     */
    static Model alexnet(int[] s, int classes, int k1, boolean bn, float drop, long seed) {
        int[][] convs = {{s[0], 64, k1}, {64, 64, 5}, {64, 128, 3}, {128, 128, 3}, {128, 64, 3}};
        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i < convs.length; i++) {
            int k = convs[i][2], n = i + 1;
            Conv2d c = new Conv2d("conv" + n, convs[i][0], convs[i][1], k, 1, k / 2, !bn);
            Init.he(c.weight(), seed);
            ls.add(c);
            if (bn) ls.add(new BatchNorm2d("bn" + n, convs[i][1]));
            ls.add(new ReLU("relu" + n));
            // overlapping pooling (window 3, stride 2) after conv1, conv2 and conv5, as in AlexNet
            if (n == 1 || n == 2) ls.add(new MaxPool2d("pool" + n, 3, 2));
            if (n == 5) ls.add(new MaxPool2d("pool3", 3, 2));
        }
        ls.add(new Flatten("flatten"));
        Linear fc1 = new Linear("fc1", flatSize(ls, s), 384), fc2 = new Linear("fc2", 384, 192);
        Linear fc3 = new Linear("fc3", 192, classes);
        Init.he(fc1.weight(), seed);
        Init.he(fc2.weight(), seed);
        Init.xavier(fc3.weight(), seed);
        ls.addAll(List.of(fc1, new ReLU("relu6")));
        if (drop > 0) ls.add(new Dropout("drop1", drop));
        ls.addAll(List.of(fc2, new ReLU("relu7")));
        if (drop > 0) ls.add(new Dropout("drop2", drop));
        ls.add(fc3);
        return new Model("alexnet", s, ls);
    }

    /** ResNet-20 for 32×32 images: 6·3 + 2 weighted layers; the first conv is k1×k1 with padding k1/2. */
    static Model resnet20(int[] s, int classes, int k1, long seed) {
        List<Layer> ls = new ArrayList<>();
        Conv2d conv1 = new Conv2d("conv1", s[0], 16, k1, 1, k1 / 2, false); // no bias: batch norm follows
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
