package glassbox.layers;

import glassbox.tensor.Tensor;

import java.util.Arrays;

/**
 * Max pooling over square windows: each output is the largest input in its k×k window.
 *
 * <p>Shapes: x [N, C, H, W], y [N, C, Ho, Wo] with {@code Ho = (H - k) / stride + 1} (floor, as PyTorch
 * without {@code ceil_mode}). Backward routes each output gradient to the input that won its window (the
 * first one on ties, like PyTorch); with overlapping windows (stride &lt; k) one input may collect several.
 * Forward remembers the winners whatever the mode, so a saliency map can be taken after an eval forward.
 * Leaves out padding and dilation.
 */
public final class MaxPool2d extends Layer {
    private final int kernel, stride;
    /** Flat input index of the winner of every output element, [N, C, Ho, Wo]; reused across calls. */
    private int[] argmax = new int[0];

    public MaxPool2d(String name, int kernel, int stride) {
        super(name);
        if (kernel < 1 || stride < 1) throw new IllegalArgumentException(name + ": bad MaxPool2d kernel=" + kernel + " stride=" + stride);
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public int[] outputShape(int[] s) {
        requireRank(s, 4, "[N, C, H, W]");
        if (s[2] < kernel || s[3] < kernel) {
            throw new ShapeException(name() + " (MaxPool2d k=" + kernel + ") window larger than input " + Arrays.toString(s));
        }
        return new int[]{s[0], s[1], (s[2] - kernel) / stride + 1, (s[3] - kernel) / stride + 1};
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        int[] s = outputShape(x.shape());
        int planes = s[0] * s[1], h = x.dim(2), w = x.dim(3), ho = s[2], wo = s[3];
        Tensor y = Tensor.zeros(s);
        float[] xd = x.data(), yd = y.data();
        if (argmax.length != yd.length) argmax = new int[yd.length];
        for (int p = 0; p < planes; p++) {             // p = n·C + c: one H×W image plane
            int in0 = p * h * w;
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++) {
                    int best = in0 + (oy * stride) * w + ox * stride;
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++) {
                            int i = in0 + (oy * stride + ky) * w + ox * stride + kx;
                            if (xd[i] > xd[best]) best = i; // strict: the first maximum wins ties
                        }
                    int o = (p * ho + oy) * wo + ox;
                    yd[o] = xd[best];
                    argmax[o] = best;
                }
        }
        return y;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        Tensor dx = Tensor.zeros(input().shape()); // [N, C, H, W]
        float[] g = dy.data(), d = dx.data();
        for (int o = 0; o < g.length; o++) d[argmax[o]] += g[o];
        return dx;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }
}
