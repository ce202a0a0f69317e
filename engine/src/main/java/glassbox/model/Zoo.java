package glassbox.model;

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
 * final classifier, zero biases, batch norm scale 1 and shift 0 (see {@link Init}); alexnet's convolutions
 * followed by batch norm start from AlexNet's own N(0, 0.01²) ({@link Init#small}: from He's scale its 5×5
 * first-layer kernels stayed noise for epochs, since batch norm makes their scale irrelevant but slows their
 * turning).
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
        return Net.builder("linear", s).flatten().named("fc").linear(classes).init(Init.Rule.ZERO).build(seed);
    }

    /** flatten, then per hidden width FC, ReLU (and dropout), then FC to the classes. */
    static Model mlp(int[] s, int classes, String hidden, float dropout, long seed) {
        Net.Builder b = Net.builder("mlp", s).flatten();
        for (String h : hidden.split(",")) {
            b.linear(Integer.parseInt(h.trim())).relu();
            if (dropout > 0) b.dropout(dropout);
        }
        return b.linear(classes).build(seed);
    }

    /** LeNet-5: conv k1×k1 6 (5×5 by default), pool, conv 5×5 16, pool, FC 120, FC 84, FC classes. */
    static Model lenet5(int[] s, int classes, int k1, long seed) {
        // The original network sees 32×32 images: pad smaller ones (MNIST 28×28 gets 2 pixels a side);
        // a larger first kernel gets (k1 - 5) / 2 more, so conv1's output stays 28×28.
        int pad = Math.max(0, Math.max(0, (32 - s[1]) / 2) + (k1 - 5) / 2);
        return Net.builder("lenet5", s)
                .conv(6, k1, 1, pad).relu().maxPool(2)     // conv1 relu1 pool1
                .conv(16, 5).relu().maxPool(2)             // conv2 relu2 pool2
                .flatten().linear(120).relu().linear(84).relu().linear(classes)
                .build(seed);
    }

    /**
     * conv3x3 C-32, 32-32, pool, 32-64, 64-64, pool, FC flat-256, 256-classes; ReLU after each but the last;
     * with {@code bn} a batch norm between each conv (then without bias) and its ReLU; with {@code drop > 0}
     * dropout after the FC ReLU. The first conv is k1×k1 with padding k1/2.
     */
    static Model smallvgg(int[] s, int classes, int k1, boolean bn, float drop, long seed) {
        Net.Builder b = Net.builder("smallvgg", s);
        int[] widths = {32, 32, 64, 64};
        for (int i = 0; i < widths.length; i++) {
            int k = i == 0 ? k1 : 3;
            b.conv(widths[i], k, 1, k / 2, !bn);
            if (bn) b.batchNorm();
            b.relu();
            if (i % 2 == 1) b.maxPool(2);
        }
        b.flatten().linear(256).relu();
        if (drop > 0) b.dropout(drop);
        return b.linear(classes).build(seed);
    }

    /**
     * AlexNet for 32×32 (see the class comment): conv k1×k1 C-64 (5×5 by default), pool 3/2, conv 5×5
     * 64-64, pool 3/2, conv 3×3 64-128, 128-128, 128-64, pool 3/2, FC flat-384, 384-192, 192-classes.
     * Every conv is followed by [batch norm and] ReLU; every hidden FC by ReLU [and dropout].
     * Shapes for CIFAR-10: 3×32×32 → 64×32×32 → 64×15×15 → 64×15×15 → 64×7×7 → … → 64×7×7 → 64×3×3 → 576.
     */
    static Model alexnet(int[] s, int classes, int k1, boolean bn, float drop, long seed) {
        int[][] convs = {{64, k1}, {64, 5}, {128, 3}, {128, 3}, {64, 3}}; // {out channels, kernel}
        Net.Builder b = Net.builder("alexnet", s);
        for (int i = 0; i < convs.length; i++) {
            int k = convs[i][1];
            b.conv(convs[i][0], k, 1, k / 2, !bn);
            if (bn) b.init(Init.Rule.SMALL).batchNorm(); // AlexNet's N(0, 0.01²): see Init.small
            b.relu();
            if (i == 0 || i == 1 || i == 4) b.maxPool(3, 2); // overlapping pooling, as in AlexNet: pool1, pool2, pool3
        }
        b.flatten().linear(384).relu();
        if (drop > 0) b.dropout(drop);
        b.linear(192).relu();
        if (drop > 0) b.dropout(drop);
        return b.linear(classes).build(seed);
    }

    /** ResNet-20 for 32×32 images: 6·3 + 2 weighted layers; the first conv is k1×k1 with padding k1/2. */
    static Model resnet20(int[] s, int classes, int k1, long seed) {
        Net.Builder b = Net.builder("resnet20", s).conv(16, k1, 1, k1 / 2, false).batchNorm().relu(); // no bias: batch norm follows
        int in = 16;
        for (int stage = 0; stage < 3; stage++) {
            for (int k = 0; k < 3; k++) {
                int out = 16 << stage, stride = stage > 0 && k == 0 ? 2 : 1;
                String n = (stage + 1) + "_" + (k + 1);
                b.named("block" + n).residual(main -> basicBlock(main, out, stride),
                        stride != 1 || in != out ? shortcut -> projection(shortcut, out, stride) : null);
                b.named("relu" + n).relu();
                in = out;
            }
        }
        return b.named("pool").globalAvgPool().flatten().named("fc").linear(classes).build(seed);
    }

    /** conv3×3-BN-ReLU-conv3×3-BN: the main path of a basic block. */
    private static void basicBlock(Net.Builder b, int out, int stride) {
        b.conv(out, 3, stride, 1, false).batchNorm().named("relu").relu().conv(out, 3, 1, 1, false).batchNorm();
    }

    /** A 1×1 projection shortcut with batch norm, where the block changes the shape (the paper's option B). */
    private static void projection(Net.Builder b, int out, int stride) {
        b.named("proj").conv(out, 1, stride, 0, false).named("projbn").batchNorm();
    }
}
