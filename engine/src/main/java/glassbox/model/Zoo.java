package glassbox.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model zoo: networks buildable by name, initialized from a seed, so users can compare what
 * different architectures learn on the same data. Each is written with the {@link Net} builder, one call
 * per layer.
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

    /** LeNet-5: conv 5×5 6, pool, conv 5×5 16, pool, FC 120, FC 84, FC classes. */
    static Model lenet5(int[] s, int classes, long seed) {
        // The original network sees 32×32 images: pad smaller ones (MNIST 28×28 gets 2 pixels a side).
        int pad = Math.max(0, (32 - s[1]) / 2);
        return Net.builder("lenet5", s)
                .conv(6, 5, 1, pad).relu().maxPool(2)      // conv1 relu1 pool1
                .conv(16, 5).relu().maxPool(2)             // conv2 relu2 pool2
                .flatten().linear(120).relu().linear(84).relu().linear(classes)
                .build(seed);
    }

    /** conv3x3 C-32, 32-32, pool, 32-64, 64-64, pool, FC flat-256, 256-classes; ReLU after each but the last. */
    static Model smallvgg(int[] s, int classes, long seed) {
        return Net.builder("smallvgg", s)
                .conv(32, 3, 1, 1).relu().conv(32, 3, 1, 1).relu().maxPool(2)
                .conv(64, 3, 1, 1).relu().conv(64, 3, 1, 1).relu().maxPool(2)
                .flatten().linear(256).relu().linear(classes)
                .build(seed);
    }

    /** ResNet-20 for 32×32 images: 6·3 + 2 weighted layers. */
    static Model resnet20(int[] s, int classes, long seed) {
        Net.Builder b = Net.builder("resnet20", s).conv(16, 3, 1, 1, false).batchNorm().relu(); // no bias: batch norm follows
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
