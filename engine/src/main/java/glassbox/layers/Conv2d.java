package glassbox.layers;

import glassbox.kernels.Conv;
import glassbox.kernels.ConvPlan;
import glassbox.kernels.ConvShape;
import glassbox.kernels.Parallel;
import glassbox.kernels.Winograd;
import glassbox.kernels.Winograd4;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * 2D convolution (cross-correlation, as in PyTorch's {@code nn.Conv2d}) with a square kernel, the same
 * stride and zero padding on both axes.
 *
 * <p>Shapes: x [N, in, H, W], weight [out, in, k, k], bias [out] (optional), y [N, out, Ho, Wo] with
 * {@code Ho = (H + 2·padding - k) / stride + 1} (floor), the same for Wo. The arithmetic lives in
 * {@link Conv} (a scalar reference and fast routes behind the same signatures), which runs the routes of a
 * {@link ConvPlan} this layer chooses at each forward ({@link #plan} shows it); this class owns the
 * parameters, checks shapes and keeps the geometry readable for visualization (receptive fields).
 * Leaves out dilation, groups and rectangular kernels. Weights start at zero; an initializer sets them.
 */
public final class Conv2d extends Layer {
    private final int in, out, kernel, stride, padding;
    private final Param weight;
    private final Param bias; // null when the layer has no bias (e.g. followed by batch norm)
    /**
     * im2col matrices of the last training forward ({@link ConvPlan#colsLength} floats: [N, in*k*k, Ho*Wo], or wider
     * rows for some stride-1 layers, see ConvPlan), reused by backward's weight gradient so they are built once per
     * step, not twice; the plan keeps them only while they take at most {@link #KEEP_COLS_BYTES} (LeNet-5's layers
     * and smallvgg's first at batch 64; larger layers rebuild them, memory over time).
     */
    private float[] cols = new float[0];
    /** The plan of the last forward; backward follows it (it says whether cols were kept). */
    private ConvPlan plan;
    /** At most this many bytes of kept im2col matrices per layer, by default (the plan's memory threshold). */
    public static final long KEEP_COLS_BYTES = 16L << 20;
    private long keepColsBytes = KEEP_COLS_BYTES;
    /**
     * With frozen weights: Winograd's transformed kernels for the forward pass and the input gradient
     * ({@code Winograd.transformedWeights}, [16][out][in] and [16][in][out], or with large tiles
     * {@code Winograd4.transformedWeights}, [36][..][..]), made at first use and kept; null when not frozen or not
     * made yet.
     */
    private boolean frozen, largeTiles;
    private float[] winogradForward, winogradInput;

    /**
     * @param name     layer name; parameters are {@code name.weight} and {@code name.bias}
     * @param bias     whether to add a learnable per-channel bias
     */
    public Conv2d(String name, int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias) {
        super(name);
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException(name + ": bad Conv2d geometry in=" + inChannels + " out=" + outChannels
                    + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        this.in = inChannels;
        this.out = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weight = new Param(name + ".weight", Tensor.zeros(outChannels, inChannels, kernel, kernel), true);
        this.bias = bias ? new Param(name + ".bias", Tensor.zeros(outChannels), false) : null;
    }

    @Override
    public int[] outputShape(int[] s) {
        requireRank(s, 4, "[N, C, H, W]");
        if (s[1] != in) {
            throw new ShapeException(name() + " (" + describe() + ") expects " + in + " input channels, got " + s[1]
                    + " in input shape " + Arrays.toString(s));
        }
        if (s[2] + 2 * padding < kernel || s[3] + 2 * padding < kernel) {
            throw new ShapeException(name() + " (" + describe() + ") kernel does not fit the padded input "
                    + (s[2] + 2 * padding) + "x" + (s[3] + 2 * padding) + ", input shape " + Arrays.toString(s));
        }
        return new int[]{s[0], out, (s[2] + 2 * padding - kernel) / stride + 1, (s[3] + 2 * padding - kernel) / stride + 1};
    }

    private ConvShape geometry(int[] x) {
        return new ConvShape(x[0], in, x[2], x[3], out, kernel, stride, padding);
    }

    /**
     * The algorithm each pass of this layer runs for an input of shape [N, in, H, W] on the current thread count
     * ({@link ConvPlan#choose}; shown by {@code ./glassbox inspect}).
     */
    public ConvPlan plan(int[] inputShape, boolean training) {
        outputShape(inputShape);
        return ConvPlan.choose(geometry(inputShape), Parallel.threads(), training, keepColsBytes);
    }

    /** The plan the last forward pass ran (and its backward follows), or null before the first forward. */
    public ConvPlan lastPlan() {
        return plan;
    }

    /**
     * Memory for time: at most this many bytes of im2col matrices kept from the forward for the weight gradient
     * (default {@link #KEEP_COLS_BYTES}; 0 keeps none). Tests use it to reach the routes that large layers take
     * with small tensors.
     */
    public void setKeepColsBytes(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException(name() + ": keepColsBytes must be >= 0, got " + bytes);
        keepColsBytes = bytes;
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        ConvShape s = geometry(x.shape());
        plan = ConvPlan.choose(s, Parallel.threads(), training, keepColsBytes);
        Tensor y = newOutput(s.n(), out, s.hout(), s.wout()); // [N, out, Ho, Wo]
        if (plan.keepCols() && cols.length != plan.colsLength()) cols = new float[(int) plan.colsLength()];
        float[] w = weight.value().data(), b = bias == null ? null : bias.value().data(), u = null;
        if (largeTileRoute()) {
            if (winogradForward == null) winogradForward = transformedWeights(false);
            Winograd4.forwardTransformed(s, x.data(), w, winogradForward, b, y.data());
            return y;
        }
        if (frozen && plan.forward() == ConvPlan.Forward.WINOGRAD) {
            if (winogradForward == null) winogradForward = transformedWeights(false);
            u = winogradForward;
        }
        Conv.forward(plan, x.data(), w, u, b, y.data(), cols);
        return y;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        // dW [out, in, k, k] += Σ dy ⊗ x-patches; db [out] += Σ dy   (accumulated, from the kept cols if any; skipped for explanations)
        if (computesParamGradients()) {
            Conv.backwardWeight(plan, input().data(), dy.data(), weight.grad().data(), bias == null ? null : bias.grad().data(), cols);
        }
        if (!computesInputGradient()) return null; // first layer in training: dL/dx is not needed
        // dx [N, in, H, W]: the transposed convolution of dy with the same weights (overwritten)
        Tensor dx = newInputGrad(input().shape());
        float[] w = weight.value().data(), u = null;
        if (largeTileRoute()) {
            if (winogradInput == null) winogradInput = transformedWeights(true);
            Winograd4.backwardInputTransformed(plan.shape(), dy.data(), w, winogradInput, dx.data());
            return dx;
        }
        if (frozen && plan.inputGradient() == ConvPlan.InputGradient.WINOGRAD) {
            if (winogradInput == null) winogradInput = transformedWeights(true);
            u = winogradInput;
        }
        Conv.backwardInput(plan, dy.data(), w, u, dx.data());
        return dx;
    }

    /**
     * Frozen weights: while on, the layer keeps what it derives from its weights (Winograd's transformed kernels for
     * the forward pass and the input gradient) from one pass to the next instead of deriving it at every pass. The
     * caller promises not to change the weights while they are frozen; calling this again (after changing them)
     * drops what was kept. Off by default: training changes the weights every step. Attacks turn it on for their
     * own model copies, which run many passes on fixed weights.
     */
    public void setFrozenWeights(boolean on) {
        setFrozenWeights(on, false);
    }

    /**
     * {@link #setFrozenWeights(boolean)}, and with {@code largeTiles} the 3x3 stride-1 convolutions, with any number of
     * channels, run on Winograd's larger tile F(4x4, 3x3) ({@code Winograd4}): 2.25 multiplications an output instead
     * of 4, for a rounding error some twenty times larger (Winograd4Test: up to 5 times the direct sum's bound of 3e-7
     * of |products| per term, against a quarter of it for F(2x2, 3x3)). For callers that only need a few digits, as an
     * attack that follows the gradient's sign.
     */
    public void setFrozenWeights(boolean on, boolean largeTiles) {
        frozen = on;
        this.largeTiles = on && largeTiles;
        winogradForward = winogradInput = null;
    }

    /**
     * Frozen as {@code from} is, sharing the transformed kernels it keeps (made here if not yet) instead of making its
     * own: for copies of one model with the same weights, such as an attack's, so the transforms are made once for
     * all of them. The caller promises that the weights are the same.
     */
    public void setFrozenLike(Conv2d from) {
        if (from.in != in || from.out != out || from.kernel != kernel) {
            throw new IllegalArgumentException(name() + ": cannot share frozen kernels with " + from.name() + " (" + from.describe() + ")");
        }
        frozen = from.frozen;
        largeTiles = from.largeTiles;
        if (frozen && kernel == 3 && stride == 1 && padding == 1) { // the Winograd geometry: the transforms may be used
            if (from.winogradForward == null) from.winogradForward = from.transformedWeights(false);
            if (from.winogradInput == null) from.winogradInput = from.transformedWeights(true);
        }
        winogradForward = from.winogradForward;
        winogradInput = from.winogradInput;
    }

    /**
     * Frozen with large tiles, a 3x3 stride-1 layer runs on Winograd4 whatever its plan says, with few channels too
     * (resnet20's first layer has 3 inputs: its im2col route, measured in an attack, cost more). Not when the plan
     * keeps im2col matrices for the weight gradient: that route needs the forward pass to make them.
     */
    private boolean largeTileRoute() {
        return largeTiles && kernel == 3 && stride == 1 && padding == 1 && !plan.keepCols();
    }

    /** The kept Winograd kernels of these weights: forward, or the input gradient's ({@code rotate}); tile size as frozen. */
    private float[] transformedWeights(boolean rotate) {
        float[] w = weight.value().data();
        return largeTiles ? Winograd4.transformedWeights(w, out, in, rotate) : Winograd.transformedWeights(w, out, in, rotate);
    }

    public boolean frozenWeights() {
        return frozen;
    }

    @Override
    public List<Param> params() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    /** Weights [out, in, k, k]: filter {@code o} is {@code weight[o]}. */
    public Param weight() {
        return weight;
    }

    /** Bias [out], or null if the layer was built without one. */
    public Param bias() {
        return bias;
    }

    public int inChannels() {
        return in;
    }

    public int outChannels() {
        return out;
    }

    /** Side of the square kernel. */
    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    /** Zero padding added on every side. */
    public int padding() {
        return padding;
    }

    private String describe() {
        return "Conv2d " + in + "->" + out + ", k=" + kernel + ", stride=" + stride + ", pad=" + padding;
    }
}
