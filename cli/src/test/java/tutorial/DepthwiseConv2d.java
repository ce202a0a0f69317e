package tutorial;

import glassbox.layers.Layer;
import glassbox.layers.ShapeException;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Depthwise convolution: each channel is convolved with its own k×k kernel, channels never mix (the first
 * half of a depthwise separable convolution, Chollet 2017, "Xception"; Howard et al. 2017, "MobileNets").
 * A 1×1 convolution after it mixes the channels. The layer of docs/tutorial-custom-layer.md, step 2.
 *
 * <p>Shapes: x [N, C, H, W], weight [C, 1, k, k], bias [C], y [N, C, Ho, Wo] with stride 1 and zero
 * padding p: {@code Ho = H + 2p - k + 1}. Plain loops, no SIMD: the engine's own Conv2d shows the fast way.
 * <pre>
 *   y[n,c,i,j]  = b[c] + Σ_{u,v} w[c,0,u,v] · x[n,c,i+u-p,j+v-p]       (x is 0 outside the image)
 *   dx[n,c,i+u-p,j+v-p] += w[c,0,u,v] · dy[n,c,i,j]
 *   dw[c,0,u,v]         += x[n,c,i+u-p,j+v-p] · dy[n,c,i,j]
 *   db[c]               += dy[n,c,i,j]
 * </pre>
 */
public final class DepthwiseConv2d extends Layer {
    private final int channels, kernel, padding;
    private final Param weight, bias;

    public DepthwiseConv2d(String name, int channels, int kernel, int padding) {
        super(name);
        this.channels = channels;
        this.kernel = kernel;
        this.padding = padding;
        this.weight = new Param(name + ".weight", Tensor.zeros(channels, 1, kernel, kernel), true); // true: weight decay applies
        this.bias = new Param(name + ".bias", Tensor.zeros(channels), false);
    }

    @Override
    public int[] outputShape(int[] s) {
        requireRank(s, 4, "[N, C, H, W]");
        if (s[1] != channels) throw new ShapeException(name() + " expects " + channels + " channels, got " + Arrays.toString(s));
        int ho = s[2] + 2 * padding - kernel + 1, wo = s[3] + 2 * padding - kernel + 1;
        if (ho < 1 || wo < 1) throw new ShapeException(name() + ": kernel " + kernel + " larger than the padded input " + Arrays.toString(s));
        return new int[]{s[0], channels, ho, wo};
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        int[] o = outputShape(x.shape());
        int n = o[0], ho = o[2], wo = o[3], h = x.dim(2), w = x.dim(3);
        Tensor y = newOutput(o);
        float[] xd = x.data(), yd = y.data(), wd = weight.value().data(), b = bias.value().data();
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < wo; j++) {
                        float sum = b[c];
                        for (int u = 0; u < kernel; u++) {
                            int r = i + u - padding;
                            if (r < 0 || r >= h) continue;
                            for (int v = 0; v < kernel; v++) {
                                int q = j + v - padding;
                                if (q < 0 || q >= w) continue;
                                sum += wd[(c * kernel + u) * kernel + v] * xd[((s * channels + c) * h + r) * w + q];
                            }
                        }
                        yd[((s * channels + c) * ho + i) * wo + j] = sum;
                    }
                }
            }
        }
        return y;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        Tensor x = input();
        int n = x.dim(0), h = x.dim(2), w = x.dim(3), ho = dy.dim(2), wo = dy.dim(3);
        Tensor dx = newInputGrad(x.shape());
        java.util.Arrays.fill(dx.data(), 0f); // a reused buffer holds last step's values: we add into it
        float[] xd = x.data(), g = dy.data(), dxd = dx.data(), wd = weight.value().data();
        float[] dw = weight.grad().data(), db = bias.grad().data(); // parameter gradients accumulate (+=)
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < wo; j++) {
                        float gij = g[((s * channels + c) * ho + i) * wo + j];
                        db[c] += gij;
                        for (int u = 0; u < kernel; u++) {
                            int r = i + u - padding;
                            if (r < 0 || r >= h) continue;
                            for (int v = 0; v < kernel; v++) {
                                int q = j + v - padding;
                                if (q < 0 || q >= w) continue;
                                int xi = ((s * channels + c) * h + r) * w + q, wi = (c * kernel + u) * kernel + v;
                                dxd[xi] += wd[wi] * gij;
                                dw[wi] += xd[xi] * gij;
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    public Param weight() {
        return weight;
    }
}
