package glassbox.layers;

import glassbox.tensor.Param;
import glassbox.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One named layer: {@code y = f(x)} forward, {@code dL/dx} from {@code dL/dy} backward.
 *
 * <p>Subclasses write {@link #forwardImpl} and {@link #backwardImpl} next to each other. This base class
 * checks shapes (errors name the layer and the shapes) and keeps the last input, output, output gradient
 * and input gradient as plain fields: visualization code simply reads them, no hooks. Holding a reference
 * costs nothing; with {@link #setRetain(boolean) retain} off the fields are not kept, so a long training
 * run holds no extra memory.
 *
 * <p>Contract: {@code backward} follows the {@code forward} of the same input; parameter gradients are
 * <em>accumulated</em> ({@code +=}) into {@link Param#grad()}; no layer writes into its input or into the
 * upstream gradient it is given, so retained tensors stay what they were.
 */
public abstract class Layer {
    private final String name;
    private boolean retain = true;
    private boolean checkFinite = false;
    private boolean inputGradient = true;
    private boolean paramGradients = true;
    private boolean reuseBuffers = false;
    private Tensor input, output, outputGrad, inputGrad;
    private Tensor outputBuffer, inputGradBuffer; // kept only with reuse on

    protected Layer(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a layer needs a name");
        this.name = name;
    }

    public final String name() {
        return name;
    }

    /**
     * Computes the output and caches what backward needs, in both modes: a saliency map is a backward
     * after an eval-mode forward. {@code training} selects batch statistics (batch norm) and dropout.
     */
    public final Tensor forward(Tensor x, boolean training) {
        int[] expected = outputShape(x.shape()); // throws ShapeException naming this layer
        if (checkFinite) requireFinite(x, "input");
        Tensor y = forwardImpl(x, training);
        if (!Arrays.equals(y.shape(), expected)) {
            throw new IllegalStateException(name + ": produced " + y.shapeString() + ", expected " + Arrays.toString(expected));
        }
        if (checkFinite) requireFinite(y, "output");
        input = x;
        output = y;
        outputGrad = null;
        inputGrad = null;
        return y;
    }

    /** Takes dL/dy, accumulates parameter gradients, returns dL/dx. */
    public final Tensor backward(Tensor dy) {
        if (output == null) throw new IllegalStateException(name + ": backward called before forward");
        if (!dy.sameShape(output)) {
            throw new ShapeException(name + ": gradient has shape " + dy.shapeString() + " but the output was " + output.shapeString());
        }
        if (checkFinite) requireFinite(dy, "output gradient");
        Tensor dx = backwardImpl(dy);
        if (dx == null && inputGradient) throw new IllegalStateException(name + ": backward produced no input gradient");
        if (checkFinite && dx != null) requireFinite(dx, "input gradient");
        if (retain) {
            outputGrad = dy;
            inputGrad = dx;
        } else {
            input = output = null;
        }
        return dx;
    }

    /** y = f(x). The shape of x has already been checked by {@link #outputShape}. */
    protected abstract Tensor forwardImpl(Tensor x, boolean training);

    /**
     * dL/dx from dL/dy, accumulating into parameter gradients. May return null (skipping the work) only when
     * {@link #computesInputGradient()} is false.
     */
    protected abstract Tensor backwardImpl(Tensor dy);

    /** Output shape for an input shape (batch first), or a {@link ShapeException} naming the layer. */
    public abstract int[] outputShape(int[] inputShape);

    /** Learnable parameters, in a fixed order. */
    public List<Param> params() {
        return List.of();
    }

    /** Non-learnable state saved with the model (batch-norm running statistics), by full name. */
    public Map<String, Tensor> buffers() {
        return Map.of();
    }

    /** Sub-layers of a composite layer (a residual block); empty for plain layers. */
    public List<Layer> children() {
        return List.of();
    }

    /** Last input seen by forward (null if not retained). */
    public Tensor input() {
        return input;
    }

    /** Last output (the activation), null before the first forward. */
    public Tensor output() {
        return output;
    }

    /** dL/d(output) of the last backward, null if none or not retained. */
    public Tensor outputGrad() {
        return outputGrad;
    }

    /** dL/d(input) of the last backward, null if none or not retained. */
    public Tensor inputGrad() {
        return inputGrad;
    }

    public void setRetain(boolean retain) {
        this.retain = retain;
        for (Layer c : children()) c.setRetain(retain);
    }

    /**
     * Whether {@link #backward} must return dL/dx (default: yes). The first layer of a network being trained
     * can turn it off: nobody reads the gradient with respect to the images, and for a convolution it costs
     * as much as the weight gradient (PyTorch likewise skips it for inputs that do not require a gradient).
     * Layers that honour it ({@link Conv2d}, {@link Linear}) then return null; others compute it anyway.
     * Parameter gradients are accumulated either way. Saliency maps need it on.
     */
    public void setComputeInputGradient(boolean on) {
        this.inputGradient = on;
    }

    public boolean computesInputGradient() {
        return inputGradient;
    }

    /**
     * Whether {@link #backward} accumulates parameter gradients (default: yes). Explanations (saliency,
     * Grad-CAM, Integrated Gradients) and attacks need only dL/dx: with this off, layers that honour it
     * ({@link Conv2d}, {@link Linear}, {@link BatchNorm}) skip the weight-gradient work, about half of a
     * convolution's backward, and leave {@link Param#grad()} untouched. The input gradient is the same bits
     * either way. Set on a block, it reaches its children.
     */
    public void setParamGradients(boolean on) {
        this.paramGradients = on;
        for (Layer c : children()) c.setParamGradients(on);
    }

    public boolean computesParamGradients() {
        return paramGradients;
    }

    /**
     * With reuse on, forward and backward write into the tensors they returned the time before (same shape)
     * instead of allocating new ones. A training loop then allocates next to nothing per step, so the heap,
     * and with it the process's memory, stays small and the collector idle. The price: a tensor read from
     * {@link #output()} or {@link #inputGrad()} is overwritten by the next step; {@code copy()} what you
     * want to keep. Off by default (each call returns new tensors); the trainer turns it on while fitting.
     */
    public void setReuseBuffers(boolean on) {
        this.reuseBuffers = on;
        if (!on) outputBuffer = inputGradBuffer = null;
        for (Layer c : children()) c.setReuseBuffers(on);
    }

    public boolean reusesBuffers() {
        return reuseBuffers;
    }

    /**
     * The tensor this call's output goes into: new (zeros), or with reuse on, the previous one when the shape
     * matches, still holding the last step's values. So forwardImpl must write every element, as every kernel
     * here does ("y is overwritten"); ReuseBuffersTest holds each layer type to it.
     */
    protected final Tensor newOutput(int... shape) {
        Tensor t = buffer(outputBuffer, shape);
        if (reuseBuffers) outputBuffer = t;
        return t;
    }

    /** The tensor this call's input gradient goes into; reused like {@link #newOutput}, same rule. */
    protected final Tensor newInputGrad(int... shape) {
        Tensor t = buffer(inputGradBuffer, shape);
        if (reuseBuffers) inputGradBuffer = t;
        return t;
    }

    private Tensor buffer(Tensor last, int[] shape) {
        return reuseBuffers && last != null && Arrays.equals(last.shape(), shape) ? last : Tensor.zeros(shape);
    }

    /** When on, NaN/Inf in inputs, outputs or gradients raise an error naming this layer. */
    public void setCheckFinite(boolean on) {
        this.checkFinite = on;
        for (Layer c : children()) c.setCheckFinite(on);
    }

    protected final void requireFinite(Tensor t, String what) {
        int i = t.firstNonFinite();
        if (i >= 0) {
            throw new NonFiniteException(name, what, t, i);
        }
    }

    /** Throws a {@link ShapeException} unless {@code in} has the given rank. */
    protected final void requireRank(int[] in, int rank, String layout) {
        if (in.length != rank) {
            throw new ShapeException(name + " (" + getClass().getSimpleName() + ") expects a rank-" + rank + " input "
                    + layout + ", got " + Arrays.toString(in));
        }
    }

    @Override
    public String toString() {
        return name + " (" + getClass().getSimpleName() + ")";
    }
}
