package glassbox.model;

import glassbox.layers.AvgPool2d;
import glassbox.layers.BatchNorm1d;
import glassbox.layers.BatchNorm2d;
import glassbox.layers.Conv2d;
import glassbox.layers.Dropout;
import glassbox.layers.Flatten;
import glassbox.layers.GlobalAvgPool;
import glassbox.layers.Layer;
import glassbox.layers.LeakyReLU;
import glassbox.layers.Linear;
import glassbox.layers.MaxPool2d;
import glassbox.layers.ReLU;
import glassbox.layers.Residual;
import glassbox.layers.ShapeException;
import glassbox.layers.Sigmoid;
import glassbox.layers.Tanh;
import glassbox.tensor.Param;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A builder for sequential networks with residual blocks, one call per layer; the {@link Zoo} builds its
 * networks with it.
 *
 * <pre>{@code
 * Model lenet = Net.builder("lenet5", 1, 28, 28)
 *         .conv(6, 5, 1, 2).relu().maxPool(2)        // conv1 relu1 pool1: [N, 6, 14, 14]
 *         .conv(16, 5).relu().maxPool(2)             // conv2 relu2 pool2: [N, 16, 5, 5]
 *         .flatten().linear(120).relu().linear(84).relu().linear(10)
 *         .build(seed);
 * Model tiny = Net.builder("tiny", 3, 32, 32)
 *         .conv(16, 3, 1, 1, false).batchNorm().relu()
 *         .residual(b -> b.conv(16, 3, 1, 1, false).batchNorm().relu().conv(16, 3, 1, 1, false).batchNorm())
 *         .relu().globalAvgPool().flatten().linear(10)
 *         .build(seed);
 * }</pre>
 *
 * <p>Input channels and features come from the shape so far, which every call checks: a layer that does
 * not fit fails where it is added, naming it. Names: each kind counts its own layers ({@code conv1},
 * {@code conv2}, {@code relu1}, {@code pool1} for both poolings, {@code bn1}, {@code drop1}, {@code fc1} for
 * linear layers, {@code res1} for blocks, {@code flatten}); {@link Builder#named} names the next layer
 * instead. Layers inside a block are named {@code block.conv1} etc., counted per block. Initialization
 * (see {@link Init}): He for every convolution and linear weight, Xavier for a linear layer that ends the
 * network (it feeds the softmax), zero biases; {@link Builder#init} overrides the rule of the layer just
 * added. A layer the builder has no method for is added as an object with {@link Builder#layer}.
 * Leaves out branches other than residual ones (no concatenation, no multiple inputs).
 */
public final class Net {
    private Net() {
    }

    /** A builder for network {@code arch} taking samples of shape {@code inputShape} ([C, H, W] or [features]). */
    public static Builder builder(String arch, int... inputShape) {
        if (inputShape.length == 0) throw new IllegalArgumentException(arch + ": an input shape is needed, e.g. 1, 28, 28");
        return new Builder(arch, inputShape, "", new LinkedHashMap<>(), new HashSet<>());
    }

    /** Adds layers in order; {@link #build} initializes them and returns the model. */
    public static final class Builder {
        private final String arch;
        private final int[] input;
        private final String prefix; // "" at the top, "block." inside a residual block
        private final Map<String, Integer> counters = new HashMap<>();
        private final Map<Param, Init.Rule> rules; // every weight's initializer, shared with the blocks inside
        private final Set<Param> chosen; // weights whose rule was set with init(...)
        private final List<Layer> layers = new ArrayList<>();
        private int[] shape; // output shape of the layers so far, for a batch of 1
        private String nextName;
        private boolean built;

        private Builder(String arch, int[] inputShape, String prefix, Map<Param, Init.Rule> rules, Set<Param> chosen) {
            this.arch = arch;
            this.input = inputShape.clone();
            this.prefix = prefix;
            this.rules = rules;
            this.chosen = chosen;
            this.shape = new int[inputShape.length + 1];
            shape[0] = 1;
            System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        }

        /** The name of the next layer (instead of the counted default). */
        public Builder named(String name) {
            nextName = name;
            return this;
        }

        /** Convolution: {@code out} channels, k×k kernel, stride 1, no padding, with bias. */
        public Builder conv(int out, int kernel) {
            return conv(out, kernel, 1, 0, true);
        }

        /** Convolution with stride and zero padding, with bias. */
        public Builder conv(int out, int kernel, int stride, int padding) {
            return conv(out, kernel, stride, padding, true);
        }

        /** Convolution; {@code bias} false when a batch norm follows (its shift does the bias's job). */
        public Builder conv(int out, int kernel, int stride, int padding, boolean bias) {
            requireRank(4, "conv", "[N, C, H, W] images");
            Conv2d c = new Conv2d(take("conv"), shape[1], out, kernel, stride, padding, bias);
            rules.put(c.weight(), Init.Rule.HE);
            return add(c);
        }

        /** Fully connected layer to {@code out} features (after {@link #flatten} for images). */
        public Builder linear(int out) {
            requireRank(2, "linear", "[N, features]: add flatten() first");
            Linear l = new Linear(take("fc"), shape[1], out);
            rules.put(l.weight(), Init.Rule.HE);
            return add(l);
        }

        public Builder relu() {
            return add(new ReLU(take("relu")));
        }

        public Builder leakyRelu(float slope) {
            return add(new LeakyReLU(take("lrelu"), slope));
        }

        public Builder sigmoid() {
            return add(new Sigmoid(take("sigmoid")));
        }

        public Builder tanh() {
            return add(new Tanh(take("tanh")));
        }

        /** Max pooling over k×k windows with stride k. */
        public Builder maxPool(int kernel) {
            return maxPool(kernel, kernel);
        }

        public Builder maxPool(int kernel, int stride) {
            return add(new MaxPool2d(take("pool"), kernel, stride));
        }

        /** Average pooling over k×k windows with stride k. */
        public Builder avgPool(int kernel) {
            return avgPool(kernel, kernel);
        }

        public Builder avgPool(int kernel, int stride) {
            return add(new AvgPool2d(take("pool"), kernel, stride));
        }

        /** The mean of each channel: [N, C, H, W] → [N, C]. */
        public Builder globalAvgPool() {
            return add(new GlobalAvgPool(take("pool")));
        }

        public Builder flatten() {
            return add(new Flatten(take("flatten")));
        }

        /** Batch norm over channels (images) or features (vectors), whichever comes in. */
        public Builder batchNorm() {
            String name = take("bn");
            if (shape.length == 4) return add(new BatchNorm2d(name, shape[1]));
            if (shape.length == 2) return add(new BatchNorm1d(name, shape[1]));
            throw new ShapeException(prefix + name + " (batch norm) needs [N, C, H, W] or [N, features], got " + Arrays.toString(shape));
        }

        /** Inverted dropout with drop probability {@code p}. */
        public Builder dropout(float p) {
            return add(new Dropout(take("drop"), p));
        }

        /** A residual block {@code y = main(x) + x}: the main path must keep the shape. */
        public Builder residual(Consumer<Builder> main) {
            return residual(main, null);
        }

        /**
         * A residual block {@code y = main(x) + shortcut(x)}; a null shortcut is the identity. Both paths are
         * built from the shape coming in; layers in them are named {@code block.name}.
         */
        public Builder residual(Consumer<Builder> main, Consumer<Builder> shortcut) {
            String name = take("res");
            Builder m = new Builder(arch, input, name + ".", rules, chosen);
            m.shape = shape.clone();
            main.accept(m);
            List<Layer> sc = List.of();
            if (shortcut != null) {
                Builder s = new Builder(arch, input, name + ".", rules, chosen);
                s.counters.putAll(m.counters); // one count per block: the shortcut's conv follows the main path's
                s.shape = shape.clone();
                shortcut.accept(s);
                sc = s.layers;
            }
            return add(new Residual(name, m.layers, sc));
        }

        /** Adds a layer object, e.g. one written by you; its name should be unique in the network. */
        public Builder layer(Layer l) {
            if (nextName != null) throw new IllegalStateException("named(\"" + nextName + "\") before layer(...): give the name to the layer's constructor");
            return add(l);
        }

        /** Sets the initializer of the weight of the layer just added (a convolution or linear layer). */
        public Builder init(Init.Rule rule) {
            Layer last = layers.isEmpty() ? null : layers.getLast();
            Param w = switch (last) {
                case Conv2d c -> c.weight();
                case Linear l -> l.weight();
                case null, default -> throw new IllegalStateException("init(" + rule + ") must follow a conv or linear layer, not "
                        + (last == null ? "nothing" : last));
            };
            rules.put(w, rule);
            chosen.add(w);
            return this;
        }

        /** The output shape of the layers so far, for a batch of 1. */
        public int[] shape() {
            return shape.clone();
        }

        /** Initializes every weight from {@code seed} (each parameter by its own name, see {@link Init}) and returns the model. */
        public Model build(long seed) {
            if (!prefix.isEmpty()) throw new IllegalStateException("build() is called on the network, not inside a block");
            if (built) throw new IllegalStateException(arch + ": a builder builds one model; make a new builder for another");
            if (layers.isEmpty()) throw new IllegalStateException(arch + ": no layers");
            built = true;
            if (layers.getLast() instanceof Linear fc && !chosen.contains(fc.weight())) rules.put(fc.weight(), Init.Rule.XAVIER);
            rules.forEach((w, rule) -> rule.apply(w, seed));
            return new Model(arch, input, layers);
        }

        /** The next layer's full name: the one given by {@link #named}, or the kind with its count. */
        private String take(String kind) {
            String n = nextName;
            nextName = null;
            if (n == null) {
                int i = counters.merge(kind, 1, Integer::sum);
                n = kind.equals("flatten") && i == 1 ? kind : kind + i;
            }
            return prefix + n;
        }

        private void requireRank(int rank, String what, String layout) {
            if (shape.length != rank) {
                throw new ShapeException(arch + ": " + what + " after " + layers.size() + " layers needs " + layout
                        + ", but the shape so far is " + Arrays.toString(shape));
            }
        }

        private Builder add(Layer l) {
            try {
                shape = l.outputShape(shape);
            } catch (ShapeException e) {
                throw new ShapeException(arch + ": " + l + " does not fit the shape " + Arrays.toString(shape)
                        + " coming into it: " + e.getMessage());
            }
            layers.add(l);
            return this;
        }
    }
}
