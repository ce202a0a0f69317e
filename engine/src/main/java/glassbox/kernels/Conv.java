package glassbox.kernels;

/**
 * Convolution kernels on flat NCHW arrays (cross-correlation, as in every deep-learning library).
 *
 * <p>Each fast kernel has a scalar twin with the same signature that spells out the definition with
 * seven nested loops; tests hold the fast ones to them. Shapes (see {@link ConvShape}):
 * x [n, cin, h, w], weight [cout, cin, k, k], bias [cout] or null, y [n, cout, hout, wout].
 */
public final class Conv {
    private Conv() {
    }

    /** y = conv(x, weight) + bias; y is overwritten. TODO(kernels): im2col + SIMD GEMM. */
    public static void forward(ConvShape s, float[] x, float[] weight, float[] bias, float[] y) {
        forwardScalar(s, x, weight, bias, y);
    }

    /** dx = dL/dx from dy; dx is overwritten. */
    public static void backwardInput(ConvShape s, float[] dy, float[] weight, float[] dx) {
        backwardInputScalar(s, dy, weight, dx);
    }

    /** dw += dL/dweight, db += dL/dbias (db may be null): accumulated, like every parameter gradient. */
    public static void backwardWeight(ConvShape s, float[] x, float[] dy, float[] dw, float[] db) {
        backwardWeightScalar(s, x, dy, dw, db);
    }

    public static void forwardScalar(ConvShape s, float[] x, float[] weight, float[] bias, float[] y) {
        int k = s.k(), ho = s.hout(), wo = s.wout();
        for (int n = 0; n < s.n(); n++)
            for (int co = 0; co < s.cout(); co++)
                for (int oy = 0; oy < ho; oy++)
                    for (int ox = 0; ox < wo; ox++) {
                        float sum = bias == null ? 0f : bias[co];
                        for (int ci = 0; ci < s.cin(); ci++)
                            for (int ky = 0; ky < k; ky++) {
                                int iy = oy * s.stride() - s.pad() + ky;
                                if (iy < 0 || iy >= s.h()) continue;
                                for (int kx = 0; kx < k; kx++) {
                                    int ix = ox * s.stride() - s.pad() + kx;
                                    if (ix < 0 || ix >= s.w()) continue;
                                    sum += x[((n * s.cin() + ci) * s.h() + iy) * s.w() + ix]
                                            * weight[((co * s.cin() + ci) * k + ky) * k + kx];
                                }
                            }
                        y[((n * s.cout() + co) * ho + oy) * wo + ox] = sum;
                    }
    }

    public static void backwardInputScalar(ConvShape s, float[] dy, float[] weight, float[] dx) {
        java.util.Arrays.fill(dx, 0, s.n() * s.cin() * s.h() * s.w(), 0f);
        int k = s.k(), ho = s.hout(), wo = s.wout();
        for (int n = 0; n < s.n(); n++)
            for (int co = 0; co < s.cout(); co++)
                for (int oy = 0; oy < ho; oy++)
                    for (int ox = 0; ox < wo; ox++) {
                        float g = dy[((n * s.cout() + co) * ho + oy) * wo + ox];
                        for (int ci = 0; ci < s.cin(); ci++)
                            for (int ky = 0; ky < k; ky++) {
                                int iy = oy * s.stride() - s.pad() + ky;
                                if (iy < 0 || iy >= s.h()) continue;
                                for (int kx = 0; kx < k; kx++) {
                                    int ix = ox * s.stride() - s.pad() + kx;
                                    if (ix < 0 || ix >= s.w()) continue;
                                    dx[((n * s.cin() + ci) * s.h() + iy) * s.w() + ix]
                                            += g * weight[((co * s.cin() + ci) * k + ky) * k + kx];
                                }
                            }
                    }
    }

    public static void backwardWeightScalar(ConvShape s, float[] x, float[] dy, float[] dw, float[] db) {
        int k = s.k(), ho = s.hout(), wo = s.wout();
        for (int n = 0; n < s.n(); n++)
            for (int co = 0; co < s.cout(); co++)
                for (int oy = 0; oy < ho; oy++)
                    for (int ox = 0; ox < wo; ox++) {
                        float g = dy[((n * s.cout() + co) * ho + oy) * wo + ox];
                        if (db != null) db[co] += g;
                        for (int ci = 0; ci < s.cin(); ci++)
                            for (int ky = 0; ky < k; ky++) {
                                int iy = oy * s.stride() - s.pad() + ky;
                                if (iy < 0 || iy >= s.h()) continue;
                                for (int kx = 0; kx < k; kx++) {
                                    int ix = ox * s.stride() - s.pad() + kx;
                                    if (ix < 0 || ix >= s.w()) continue;
                                    dw[((co * s.cin() + ci) * k + ky) * k + kx]
                                            += g * x[((n * s.cin() + ci) * s.h() + iy) * s.w() + ix];
                                }
                            }
                    }
    }
}
