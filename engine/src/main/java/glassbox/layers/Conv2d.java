package glassbox.layers;

import glassbox.kernels.Conv;
import glassbox.kernels.ConvShape;
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
 * {@link Conv} (a scalar reference and a fast twin behind the same signatures); this class owns the
 * parameters, checks shapes and keeps the geometry readable for visualization (receptive fields).
 * Leaves out dilation, groups and rectangular kernels. Weights start at zero; an initializer sets them.
 */
public final class Conv2d extends Layer {
    private final int in, out, kernel, stride, padding;
    private final Param weight;
    private final Param bias; // null when the layer has no bias (e.g. followed by batch norm)
    /**
     * im2col matrices of the last training forward ({@link Conv#colsLength} floats: [N, in*k*k, Ho*Wo], or wider rows
     * for some stride-1 layers, see Conv), reused by backward's weight gradient
     * so they are built once per step, not twice; kept only while they take at most {@link #KEEP_COLS_BYTES}
     * (LeNet-5's layers and smallvgg's first at batch 64; larger layers rebuild them, memory over time).
     */
    private float[] cols = new float[0];
    private boolean colsValid;
    static final long KEEP_COLS_BYTES = 16L << 20;

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

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        ConvShape s = geometry(x.shape());
        Tensor y = newOutput(s.n(), out, s.hout(), s.wout()); // [N, out, Ho, Wo]
        long colsLen = Conv.colsLength(s);
        colsValid = training && kernel > 1 && 4 * colsLen <= KEEP_COLS_BYTES;
        if (colsValid && cols.length != colsLen) cols = new float[(int) colsLen];
        Conv.forward(s, x.data(), weight.value().data(), bias == null ? null : bias.value().data(), y.data(),
                colsValid ? cols : null);
        return y;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        ConvShape s = geometry(input().shape());
        // dW [out, in, k, k] += Σ dy ⊗ x-patches; db [out] += Σ dy   (accumulated; skipped for explanations)
        if (computesParamGradients()) {
            Conv.backwardWeight(s, input().data(), dy.data(), weight.grad().data(), bias == null ? null : bias.grad().data(),
                    colsValid ? cols : null);
        }
        if (!computesInputGradient()) return null; // first layer in training: dL/dx is not needed
        // dx [N, in, H, W]: the transposed convolution of dy with the same weights (overwritten)
        Tensor dx = newInputGrad(input().shape());
        Conv.backwardInput(s, dy.data(), weight.value().data(), dx.data());
        return dx;
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
