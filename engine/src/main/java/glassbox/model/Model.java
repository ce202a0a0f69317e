package glassbox.model;

import glassbox.kernels.ConvPlan;
import glassbox.layers.Conv2d;
import glassbox.layers.Dropout;
import glassbox.layers.Layer;
import glassbox.layers.ReLU;
import glassbox.layers.Residual;
import glassbox.layers.ShapeException;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network: named layers run in order (a residual block is one layer with children).
 *
 * <p>Everything inside is open: after {@link #forward} every layer's output is readable by name with
 * {@link #activation(String)}; after {@link #backward} the gradient of the loss (or of whatever output
 * gradient was passed in) with respect to every layer's output with {@link #gradient(String)}, and every
 * parameter's value and gradient through {@link #params()} / {@link #param(String)}.
 */
public final class Model {
    private final String arch;
    private final int[] inputShape; // [C, H, W] or [features]
    private final List<Layer> layers;
    private final Map<String, Layer> byName = new LinkedHashMap<>();

    public Model(String arch, int[] inputShape, List<Layer> layers) {
        this.arch = arch;
        this.inputShape = inputShape.clone();
        this.layers = List.copyOf(layers);
        for (Layer l : this.layers) index(l);
        // Fail at build time, not at the first batch, if the layers do not fit together.
        int[] s = batchShape(1);
        for (int i = 0; i < this.layers.size(); i++) {
            Layer l = this.layers.get(i);
            try {
                s = l.outputShape(s);
            } catch (ShapeException e) {
                throw new ShapeException(arch + ": layer " + (i + 1) + " of " + this.layers.size() + " (" + l
                        + ") does not fit the shape " + Arrays.toString(s) + " coming into it: " + e.getMessage());
            }
        }
    }

    private void index(Layer l) {
        if (byName.put(l.name(), l) != null) throw new IllegalArgumentException("duplicate layer name " + l.name());
        for (Layer c : l.children()) index(c);
    }

    /** Architecture name, e.g. "lenet5". */
    public String arch() {
        return arch;
    }

    /** Shape of one input sample, without the batch dimension. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Output shape for a batch of n. */
    public int[] outputShape(int n) {
        int[] s = batchShape(n);
        for (Layer l : layers) s = l.outputShape(s);
        return s;
    }

    private int[] batchShape(int n) {
        int[] s = new int[inputShape.length + 1];
        s[0] = n;
        System.arraycopy(inputShape, 0, s, 1, inputShape.length);
        return s;
    }

    /** Top-level layers in order. */
    public List<Layer> layers() {
        return layers;
    }

    /** Every layer, children of blocks included, in forward order. */
    public List<Layer> allLayers() {
        return List.copyOf(byName.values());
    }

    public Layer layer(String name) {
        Layer l = byName.get(name);
        if (l == null) throw new IllegalArgumentException("no layer named '" + name + "'; layers: " + byName.keySet());
        return l;
    }

    public Tensor forward(Tensor x, boolean training) {
        int[] s = x.shape();
        if (s.length != inputShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), inputShape)) {
            throw new ShapeException(arch + " expects input [N, " + joined(inputShape) + "], got " + x.shapeString());
        }
        for (Layer l : layers) x = l.forward(x, training);
        return x;
    }

    /** Backpropagates dL/d(output) through every layer; returns dL/d(input), e.g. a saliency map. */
    public Tensor backward(Tensor dOut) {
        return backwardFrom(layers.size() - 1, dOut);
    }

    /**
     * Backpropagates from the output of layer {@code name}, given dL/d(that output), down to the input;
     * returns dL/d(input). Used to explain a chosen channel of a chosen layer. The layer may sit inside a
     * residual block: the gradient then flows back through the block's path up to that layer, and on
     * through the layers before the block. Layers after {@code name} keep no gradient from this pass.
     */
    public Tensor backwardFrom(String name, Tensor dOut) {
        Layer target = layer(name);
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l == target) return backwardFrom(i, dOut);
            if (l instanceof Residual r && r.contains(target)) return backwardFrom(i - 1, r.backwardFrom(target, dOut));
        }
        throw new IllegalArgumentException("cannot start backward at " + name + ": it is inside a block that is not a Residual");
    }

    /** Backward through top-level layers last, last-1, ..., 0. */
    private Tensor backwardFrom(int last, Tensor g) {
        for (int i = last; i >= 0; i--) g = layers.get(i).backward(g);
        return g;
    }

    /** Output of layer {@code name} from the last forward pass. */
    public Tensor activation(String name) {
        return layer(name).output();
    }

    /** dL/d(output of layer {@code name}) from the last backward pass (null if it did not reach it). */
    public Tensor gradient(String name) {
        return layer(name).outputGrad();
    }

    public List<Param> params() {
        List<Param> ps = new ArrayList<>();
        for (Layer l : layers) collect(l, ps);
        return Collections.unmodifiableList(ps);
    }

    private static void collect(Layer l, List<Param> ps) {
        ps.addAll(l.params());
        for (Layer c : l.children()) collect(c, ps);
    }

    public Param param(String name) {
        for (Param p : params()) if (p.name().equals(name)) return p;
        throw new IllegalArgumentException("no parameter named '" + name + "'");
    }

    /** Parameters and buffers by name: what a model file stores. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        for (Param p : params()) s.put(p.name(), p.value());
        for (Layer l : byName.values()) s.putAll(l.buffers());
        return s;
    }

    /**
     * An independent model with the same layers (rebuilt from {@link Architecture#of}) and a copy of every
     * parameter and buffer: it computes the same bits and shares no tensor with this one, so two threads can
     * run the two at once (a model keeps its activations, so one instance cannot serve two threads). Layer
     * settings (parameter gradients, buffer reuse, ReLU rule) start at their defaults. Throws
     * IllegalArgumentException when a layer is of a kind {@link Architecture} cannot rebuild.
     */
    public Model copy() {
        Model m = new Model(arch, inputShape, Architecture.of(this).build());
        m.copyStateFrom(this);
        return m;
    }

    /** Overwrites this model's parameters and buffers with {@code other}'s (same architecture; see {@link #copy}). */
    public void copyStateFrom(Model other) {
        Map<String, Tensor> from = other.state();
        for (Map.Entry<String, Tensor> e : state().entrySet()) {
            Tensor src = from.get(e.getKey());
            if (src == null || !src.sameShape(e.getValue())) {
                throw new IllegalArgumentException("model " + other.arch + " has no tensor '" + e.getKey() + "' of shape " + e.getValue().shapeString());
            }
            System.arraycopy(src.data(), 0, e.getValue().data(), 0, src.size());
        }
    }

    public int paramCount() {
        int n = 0;
        for (Param p : params()) n += p.value().size();
        return n;
    }

    public void zeroGrad() {
        for (Param p : params()) p.zeroGrad();
    }

    /**
     * Accumulate parameter gradients in backward (default) or skip them: explanations and attacks need only
     * dL/d(input), and skipping the weight gradients roughly halves a convolution's backward. See
     * {@link Layer#setParamGradients}.
     */
    public void setParamGradients(boolean on) {
        for (Layer l : layers) l.setParamGradients(on);
    }

    /** Whether backward accumulates parameter gradients (see {@link #setParamGradients}). */
    public boolean computesParamGradients() {
        return layers.getFirst().computesParamGradients();
    }

    /** Keep (default) or drop inputs, outputs and gradients of every layer after backward. */
    public void setRetain(boolean retain) {
        for (Layer l : layers) l.setRetain(retain);
    }

    /**
     * Let every layer write each step's outputs and input gradients into the tensors of the step before
     * (see {@link Layer#setReuseBuffers}): no allocation per step, but activations read from the model are
     * overwritten by the next forward. The trainer turns it on while fitting.
     */
    public void setReuseBuffers(boolean on) {
        for (Layer l : layers) l.setReuseBuffers(on);
    }

    /** Whether {@link #setReuseBuffers} is on (so a caller that turns it on can restore it afterwards). */
    public boolean reusesBuffers() {
        return layers.getFirst().reusesBuffers();
    }

    /**
     * Freeze (or thaw) the weights of every convolution: while frozen, a convolution keeps its Winograd-transformed
     * kernels between passes (see {@link Conv2d#setFrozenWeights}). Call it again after changing the weights.
     */
    public void setFrozenWeights(boolean on) {
        setFrozenWeights(on, false);
    }

    /** {@link #setFrozenWeights(boolean)}, with Winograd's larger tiles where they apply (see {@link Conv2d#setFrozenWeights(boolean, boolean)}). */
    public void setFrozenWeights(boolean on, boolean largeTiles) {
        for (Layer l : byName.values()) if (l instanceof Conv2d c) c.setFrozenWeights(on, largeTiles);
    }

    /**
     * Frozen as {@code from} is, every convolution sharing the transformed kernels of its namesake there (see
     * {@link Conv2d#setFrozenLike}): for copies of one model with the same weights.
     */
    public void setFrozenLike(Model from) {
        for (Layer l : byName.values()) if (l instanceof Conv2d c) c.setFrozenLike((Conv2d) from.layer(l.name()));
    }

    /** Turn NaN/Inf checks on in every layer: the first non-finite value raises an error naming the layer. */
    public void setCheckFinite(boolean on) {
        for (Layer l : layers) l.setCheckFinite(on);
    }

    /**
     * Reseeds every {@link Dropout} layer (the i-th one with {@code seed + i}), so a training run with the
     * same seed, data order and thread count is repeated bit for bit.
     */
    public void setSeed(long seed) {
        int i = 0;
        for (Layer l : byName.values()) if (l instanceof Dropout d) d.setSeed(seed + i++);
    }

    /** Sets the backward rule of every ReLU (guided backprop, deconvnet, or standard). */
    public void setReluRule(ReLU.Rule rule) {
        for (Layer l : byName.values()) if (l instanceof ReLU r) r.setRule(rule);
    }

    private static String joined(int[] s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length; i++) b.append(i == 0 ? "" : ", ").append(s[i]);
        return b.toString();
    }

    /**
     * One layer as {@code ./glassbox inspect} shows it.
     *
     * @param depth       0 for a top-level layer, 1 for a child of a residual block, ...
     * @param outputShape the layer's output shape [N, ...] for the batch asked for
     * @param params      parameters of this layer itself (a block's children count their own)
     * @param plan        the algorithm of each pass for a convolution ({@link ConvPlan}), else null
     */
    public record LayerSummary(String name, String type, int depth, int[] outputShape, long params, ConvPlan plan) {
    }

    /**
     * Every layer in forward order (children of blocks included) with its output shape for a batch of
     * {@code batch}, its parameter count, and, for convolutions, the plan each pass runs on the current thread
     * count, in training ({@code training}: may keep im2col matrices) or in eval.
     */
    public List<LayerSummary> summary(int batch, boolean training) {
        List<LayerSummary> out = new ArrayList<>();
        int[] s = batchShape(batch);
        for (Layer l : layers) s = summarize(l, s, 0, training, out);
        return out;
    }

    private static int[] summarize(Layer l, int[] in, int depth, boolean training, List<LayerSummary> out) {
        int[] y = l.outputShape(in);
        long own = 0;
        for (Param p : l.params()) own += p.value().size();
        out.add(new LayerSummary(l.name(), l.getClass().getSimpleName(), depth, y, own,
                l instanceof Conv2d c ? c.plan(in, training) : null));
        if (l instanceof Residual r) {
            int[] m = in, sc = in;
            for (Layer c : r.main()) m = summarize(c, m, depth + 1, training, out);
            for (Layer c : r.shortcut()) sc = summarize(c, sc, depth + 1, training, out);
        }
        return y;
    }

    /**
     * A table of {@link #summary}: name, type, output shape, parameters, and each convolution's routes (forward,
     * input gradient, weight gradient), e.g. for {@code describe(64, true)} a line
     * {@code conv2  Conv2d  [64, 32, 32, 32]  9,248  forward WINOGRAD, input gradient WINOGRAD, ...}.
     */
    public String describe(int batch, boolean training) {
        List<LayerSummary> rows = summary(batch, training);
        int w = 5;
        for (LayerSummary l : rows) w = Math.max(w, 2 * l.depth() + l.name().length());
        String row = "  %-" + w + "s  %-12s %-18s %10s  %s";
        int threads = glassbox.kernels.Parallel.threads();
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "%s, batch %d, %s, %d thread%s%n", arch, batch,
                training ? "training" : "eval", threads, threads == 1 ? "" : "s"));
        b.append(String.format(java.util.Locale.ROOT, row, "layer", "type", "output", "params", "algorithm").stripTrailing()).append('\n');
        for (LayerSummary l : rows) {
            b.append(String.format(java.util.Locale.ROOT, row.replace("%10s", "%,10d"), "  ".repeat(l.depth()) + l.name(), l.type(),
                    Arrays.toString(l.outputShape()), l.params(), l.plan() == null ? "" : l.plan().describe()).stripTrailing()).append('\n');
        }
        return b.append(String.format(java.util.Locale.ROOT, "  %,d parameters", paramCount())).toString();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(arch + " input " + Arrays.toString(inputShape) + "\n");
        int[] s = batchShape(1);
        for (Layer l : byName.values()) {
            b.append(String.format("  %-14s %-14s", l.name(), l.getClass().getSimpleName()));
            if (layers.contains(l)) {
                s = l.outputShape(s);
                b.append(" -> ").append(Arrays.toString(s));
            }
            b.append('\n');
        }
        return b.append("  ").append(paramCount()).append(" parameters").toString();
    }
}
