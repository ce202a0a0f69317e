package glassbox.layers;

import glassbox.tensor.Tensor;

import java.util.Arrays;

/**
 * Average pooling over square windows: each output is the mean of its k×k window.
 *
 * <p>Shapes: x [N, C, H, W], y [N, C, Ho, Wo] with {@code Ho = (H - k) / stride + 1} (floor). Backward
 * spreads each output gradient evenly, {@code dy / k²}, over its window. Leaves out padding.
 */
public final class AvgPool2d extends Layer {
    private final int kernel, stride;

    public AvgPool2d(String name, int kernel, int stride) {
        super(name);
        if (kernel < 1 || stride < 1) throw new IllegalArgumentException(name + ": bad AvgPool2d kernel=" + kernel + " stride=" + stride);
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public int[] outputShape(int[] s) {
        requireRank(s, 4, "[N, C, H, W]");
        if (s[2] < kernel || s[3] < kernel) {
            throw new ShapeException(name() + " (AvgPool2d k=" + kernel + ") window larger than input " + Arrays.toString(s));
        }
        return new int[]{s[0], s[1], (s[2] - kernel) / stride + 1, (s[3] - kernel) / stride + 1};
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        int[] s = outputShape(x.shape());
        int planes = s[0] * s[1], h = x.dim(2), w = x.dim(3), ho = s[2], wo = s[3];
        float inv = 1f / (kernel * kernel);
        Tensor y = Tensor.zeros(s);
        float[] xd = x.data(), yd = y.data();
        for (int p = 0; p < planes; p++) {             // p = n·C + c
            int in0 = p * h * w;
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++) {
                    float sum = 0f;
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++) sum += xd[in0 + (oy * stride + ky) * w + ox * stride + kx];
                    yd[(p * ho + oy) * wo + ox] = sum * inv;
                }
        }
        return y;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        int[] s = dy.shape();
        int planes = s[0] * s[1], h = input().dim(2), w = input().dim(3), ho = s[2], wo = s[3];
        float inv = 1f / (kernel * kernel);
        Tensor dx = Tensor.zeros(input().shape()); // [N, C, H, W]
        float[] g = dy.data(), d = dx.data();
        for (int p = 0; p < planes; p++) {
            int in0 = p * h * w;
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++) {
                    float share = g[(p * ho + oy) * wo + ox] * inv;
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++) d[in0 + (oy * stride + ky) * w + ox * stride + kx] += share;
                }
        }
        return dx;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }
}
