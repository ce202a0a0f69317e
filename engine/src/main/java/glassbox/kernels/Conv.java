package glassbox.kernels;

/**
 * Convolution kernels on flat NCHW arrays (cross-correlation, as in every deep-learning library).
 *
 * <p>Each fast kernel has a scalar twin with the same signature that spells out the definition with
 * seven nested loops; tests hold the fast ones to them. Shapes (see {@link ConvShape}):
 * x [n, cin, h, w], weight [cout, cin, k, k], bias [cout] or null, y [n, cout, hout, wout].
 *
 * <p>The fast kernels turn each image's convolution into one matrix product (Chellapilla, Puri &amp; Simard,
 * "High performance convolutional neural networks for document processing", 2006): {@code im2col} copies
 * every k x k input patch into a column of {@code col [cin*k*k, hout*wout]}, so that, with the weight seen as
 * {@code W [cout, cin*k*k]},
 * <pre>
 *   forward         y_n  = W · col_n (+ bias)           [cout, hw]    = [cout, ckk] · [ckk, hw]
 *   backwardInput   dx_n = col2im(Wᵀ · dy_n)            [ckk, hw]     = [ckk, cout] · [cout, hw]
 *   backwardWeight  dW  += sum over n of dy_n · col_nᵀ  [cout, ckk]   = [cout, hw] · [hw, ckk]
 * </pre>
 * A 1x1 convolution with stride 1 and no padding needs no im2col: x_n itself is col_n. Images are spread over
 * threads with {@link Parallel#forRange}; the GEMMs inside then run on their thread. backwardWeight sums each
 * chunk's partial dW / db into dw / db in chunk order, so results do not depend on thread timing.
 * 3x3 convolutions with stride 1 and padding 1 go to {@link Winograd} instead (fewer multiplications) when it
 * applies, except a forward pass that must keep its im2col matrices.
 * Left out: dilation, groups, non-square kernels, FFT algorithms.
 */
public final class Conv {
    private Conv() {
    }

    /** Set to false to route the fast kernels to their scalar twins (for debugging). */
    public static volatile boolean useFastPath = true;

    /**
     * Set to false to keep 3x3 / stride 1 / padding 1 convolutions on im2col + GEMM instead of
     * {@link Winograd} (for benchmarks that compare the two, and for debugging).
     */
    public static volatile boolean useWinograd = true;

    /**
     * From this many output channels on, the weight gradient is computed transposed, dWᵀ = col · dyᵀ: the
     * large col matrix is then GEMM's A, packed without a transpose, instead of B packed with one (that
     * transposing pack took as long as the arithmetic for smallvgg's layers). Few channels keep dW = dy · colᵀ,
     * where GEMM takes dot products. Chosen by ConvBench.
     */
    static final int TRANSPOSED_DW_MIN_COUT = 32;

    /** Per-thread im2col buffer, grown on demand and reused across calls. */
    private static final ThreadLocal<float[]> COL = ThreadLocal.withInitial(() -> new float[0]);
    /** Per-caller partial dW and db of each chunk (owned by the calling thread, filled by the workers). */
    private static final ThreadLocal<float[][]> PARTIALS = ThreadLocal.withInitial(() -> new float[0][]);

    /** y = conv(x, weight) + bias; y is overwritten. bias may be null. */
    public static void forward(ConvShape s, float[] x, float[] weight, float[] bias, float[] y) {
        forward(s, x, weight, bias, y, null);
    }

    /**
     * As {@link #forward(ConvShape, float[], float[], float[], float[])}, and when {@code cols} is not null
     * also keeps every image's im2col matrix there (cols [n, cin*k*k, hout*wout], see {@link #colsLength}),
     * so that {@link #backwardWeight(ConvShape, float[], float[], float[], float[], float[])} need not build
     * them again. Memory for time: a layer chooses it only when the matrices are small.
     */
    public static void forward(ConvShape s, float[] x, float[] weight, float[] bias, float[] y, float[] cols) {
        check(s, "x", x, inLength(s), "weight", weight, "y", y, outLength(s));
        if (cols != null) require(s, "cols", cols, colsLength(s));
        if (bias != null) require(s, "bias", bias, s.cout());
        if (!useFastPath) {
            forwardScalar(s, x, weight, bias, y);
            return;
        }
        if (cols == null && winograd(s)) { // kept im2col matrices must be filled: only without them
            Winograd.forward(s, x, weight, bias, y);
            return;
        }
        int ckk = s.cin() * s.k() * s.k(), hw = s.hout() * s.wout();
        int inPlane = s.cin() * s.h() * s.w(), outPlane = s.cout() * hw;
        boolean direct = isPointwise(s);
        Parallel.forRange(s.n(), (chunk, from, to) -> {
            float[] col = direct ? null : cols != null ? cols : scratch(COL, ckk * hw);
            for (int img = from; img < to; img++) {
                int yOff = img * outPlane, colOff = cols != null ? img * ckk * hw : 0;
                if (bias != null) { // start each output row at its bias, then add the product
                    for (int co = 0; co < s.cout(); co++) java.util.Arrays.fill(y, yOff + co * hw, yOff + (co + 1) * hw, bias[co]);
                }
                if (direct) {
                    Gemm.gemm(false, false, s.cout(), hw, ckk, weight, 0, ckk, x, img * inPlane, hw, y, yOff, hw, bias != null);
                } else {
                    im2col(s, x, img * inPlane, col, colOff);
                    Gemm.gemm(false, false, s.cout(), hw, ckk, weight, 0, ckk, col, colOff, hw, y, yOff, hw, bias != null);
                }
            }
        });
    }

    /** dx = dL/dx from dy; dx is overwritten. */
    public static void backwardInput(ConvShape s, float[] dy, float[] weight, float[] dx) {
        check(s, "dy", dy, outLength(s), "weight", weight, "dx", dx, inLength(s));
        if (!useFastPath) {
            backwardInputScalar(s, dy, weight, dx);
            return;
        }
        if (winograd(s)) {
            Winograd.backwardInput(s, dy, weight, dx);
            return;
        }
        int ckk = s.cin() * s.k() * s.k(), hw = s.hout() * s.wout();
        int inPlane = s.cin() * s.h() * s.w(), outPlane = s.cout() * hw;
        boolean direct = isPointwise(s);
        Parallel.forRange(s.n(), (chunk, from, to) -> {
            float[] dcol = direct ? null : scratch(COL, ckk * hw);
            for (int img = from; img < to; img++) {
                if (direct) {
                    Gemm.gemm(true, false, ckk, hw, s.cout(), weight, 0, ckk, dy, img * outPlane, hw, dx, img * inPlane, hw, false);
                } else {
                    Gemm.gemm(true, false, ckk, hw, s.cout(), weight, 0, ckk, dy, img * outPlane, hw, dcol, 0, hw, false);
                    col2im(s, dcol, dx, img * inPlane);
                }
            }
        });
    }

    /** dw += dL/dweight, db += dL/dbias (db may be null): accumulated, like every parameter gradient. */
    public static void backwardWeight(ConvShape s, float[] x, float[] dy, float[] dw, float[] db) {
        backwardWeight(s, x, dy, dw, db, null);
    }

    /**
     * As {@link #backwardWeight(ConvShape, float[], float[], float[], float[])}, reading the im2col matrices
     * that {@link #forward(ConvShape, float[], float[], float[], float[], float[])} kept in {@code cols}
     * (when not null) instead of building them from x again. Same arithmetic, same bits.
     */
    public static void backwardWeight(ConvShape s, float[] x, float[] dy, float[] dw, float[] db, float[] cols) {
        check(s, "x", x, inLength(s), "dw", dw, "dy", dy, outLength(s));
        if (cols != null) require(s, "cols", cols, colsLength(s));
        if (db != null) require(s, "db", db, s.cout());
        if (!useFastPath) {
            backwardWeightScalar(s, x, dy, dw, db);
            return;
        }
        int ckk = s.cin() * s.k() * s.k(), hw = s.hout() * s.wout();
        int inPlane = s.cin() * s.h() * s.w(), outPlane = s.cout() * hw;
        int wLen = s.cout() * ckk, cout = s.cout();
        boolean direct = isPointwise(s);
        int chunks = Parallel.chunks(s.n());
        float[][] partials = partials(chunks, wLen + cout); // per chunk: dW [cout, ckk] then db [cout]
        // zeroed here, not in the chunks: nested inside another parallel loop, forRange runs only chunk 0
        for (int c = 0; c < chunks; c++) java.util.Arrays.fill(partials[c], 0, wLen + cout, 0f);
        boolean transposed = cout >= TRANSPOSED_DW_MIN_COUT;
        Parallel.forRange(s.n(), (chunk, from, to) -> {
            float[] part = partials[chunk];
            float[] col = direct || cols != null ? null : scratch(COL, ckk * hw);
            for (int img = from; img < to; img++) {
                int dyOff = img * outPlane;
                float[] c = direct ? x : cols != null ? cols : col; // this image's im2col matrix [ckk, hw]
                int cOff = direct ? img * inPlane : cols != null ? img * ckk * hw : 0;
                if (!direct && cols == null) im2col(s, x, img * inPlane, col, 0);
                if (transposed) { // dWᵀ [ckk, cout] += col [ckk, hw] · dyᵀ [hw, cout]
                    Gemm.gemm(false, true, ckk, cout, hw, c, cOff, hw, dy, dyOff, hw, part, 0, cout, true);
                } else {          // dW [cout, ckk] += dy [cout, hw] · colᵀ [hw, ckk]
                    Gemm.gemm(false, true, cout, ckk, hw, dy, dyOff, hw, c, cOff, hw, part, 0, ckk, true);
                }
                if (db != null) for (int co = 0; co < cout; co++) part[wLen + co] += Vec.sum(dy, dyOff + co * hw, hw);
            }
        });
        for (int c = 0; c < chunks; c++) { // chunk order: deterministic for a given thread count
            float[] part = partials[c];
            if (transposed) {
                for (int co = 0; co < cout; co++)
                    for (int r = 0; r < ckk; r++) dw[co * ckk + r] += part[r * cout + co];
            } else {
                Vec.axpy(1f, part, 0, dw, 0, wLen);
            }
            if (db != null) Vec.axpy(1f, part, wLen, db, 0, cout);
        }
    }

    /** Floats needed to keep the im2col matrices of a whole batch: n * cin*k*k * hout*wout. */
    public static long colsLength(ConvShape s) {
        return (long) s.n() * s.cin() * s.k() * s.k() * s.hout() * s.wout();
    }

    private static long inLength(ConvShape s) {
        return (long) s.n() * s.cin() * s.h() * s.w();
    }

    private static long outLength(ConvShape s) {
        return (long) s.n() * s.cout() * s.hout() * s.wout();
    }

    /** Every array must hold at least what the geometry says, else a clear error instead of an index crash. */
    private static void check(ConvShape s, String in, float[] inArr, long inLen, String w, float[] wArr,
                              String out, float[] outArr, long outLen) {
        require(s, in, inArr, inLen);
        require(s, w, wArr, (long) s.cout() * s.cin() * s.k() * s.k());
        require(s, out, outArr, outLen);
    }

    private static void require(ConvShape s, String what, float[] a, long len) {
        if (a == null || a.length < len) {
            throw new IllegalArgumentException("conv: " + what + " has " + (a == null ? "no array" : a.length + " floats")
                    + ", needs " + len + " for " + s);
        }
    }

    /** 3x3, stride 1, padding 1 with enough channels: Winograd F(2x2, 3x3) is faster (see {@link Winograd#applies}). */
    static boolean winograd(ConvShape s) {
        return useWinograd && Winograd.applies(s);
    }

    /** 1x1, stride 1, no padding: the input image already is the im2col matrix [cin, h*w]. */
    private static boolean isPointwise(ConvShape s) {
        return s.k() == 1 && s.stride() == 1 && s.pad() == 0;
    }

    /**
     * Copies the k x k patches of image x[xOff ..] ([cin, h, w]) into col [cin*k*k, hout*wout]: row
     * (ci, ky, kx) holds, for every output position (oy, ox), the input pixel it multiplies by
     * weight[., ci, ky, kx], or 0 where the patch hangs over the padding.
     */
    static void im2col(ConvShape s, float[] x, int xOff, float[] col) {
        im2col(s, x, xOff, col, 0);
    }

    /** im2col into col[colOff ..]. */
    static void im2col(ConvShape s, float[] x, int xOff, float[] col, int colOff) {
        int k = s.k(), ho = s.hout(), wo = s.wout(), h = s.h(), w = s.w(), stride = s.stride(), pad = s.pad();
        int row = 0;
        for (int ci = 0; ci < s.cin(); ci++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++, row++) {
                    // output columns whose input column ix = ox*stride - pad + kx lies inside [0, w)
                    int oxLo = Math.min(wo, ceilDivNonNeg(pad - kx, stride));
                    int oxHi = Math.max(oxLo, Math.min(wo, ceilDivNonNeg(w + pad - kx, stride)));
                    for (int oy = 0; oy < ho; oy++) {
                        int dst = colOff + (row * ho + oy) * wo;
                        int iy = oy * stride - pad + ky;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(col, dst, dst + wo, 0f);
                            continue;
                        }
                        int src = xOff + (ci * h + iy) * w - pad + kx; // + ox*stride
                        for (int ox = 0; ox < oxLo; ox++) col[dst + ox] = 0f; // left padding: 0..2 elements,
                        if (stride == 1) {                                   // too few for Arrays.fill's call
                            System.arraycopy(x, src + oxLo, col, dst + oxLo, oxHi - oxLo);
                        } else {
                            for (int ox = oxLo; ox < oxHi; ox++) col[dst + ox] = x[src + ox * stride];
                        }
                        for (int ox = oxHi; ox < wo; ox++) col[dst + ox] = 0f; // right padding
                    }
                }
    }

    /** The adjoint of im2col: dx[xOff ..] ([cin, h, w]) = sum of every col entry back onto its pixel. */
    static void col2im(ConvShape s, float[] col, float[] dx, int xOff) {
        int k = s.k(), ho = s.hout(), wo = s.wout(), h = s.h(), w = s.w(), stride = s.stride(), pad = s.pad();
        java.util.Arrays.fill(dx, xOff, xOff + s.cin() * h * w, 0f);
        int row = 0;
        for (int ci = 0; ci < s.cin(); ci++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++, row++) {
                    int oxLo = Math.min(wo, ceilDivNonNeg(pad - kx, stride));
                    int oxHi = Math.max(oxLo, Math.min(wo, ceilDivNonNeg(w + pad - kx, stride)));
                    for (int oy = 0; oy < ho; oy++) {
                        int iy = oy * stride - pad + ky;
                        if (iy < 0 || iy >= h) continue;
                        int src = (row * ho + oy) * wo;
                        int dst = xOff + (ci * h + iy) * w - pad + kx;
                        if (stride == 1) {
                            Vec.axpy(1f, col, src + oxLo, dx, dst + oxLo, oxHi - oxLo);
                        } else {
                            for (int ox = oxLo; ox < oxHi; ox++) dx[dst + ox * stride] += col[src + ox];
                        }
                    }
                }
    }

    /** ceil(a / b) for b > 0, clamped at 0 for negative a. */
    private static int ceilDivNonNeg(int a, int b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }

    private static float[] scratch(ThreadLocal<float[]> holder, int len) {
        float[] buf = holder.get();
        if (buf.length < len) {
            buf = new float[len];
            holder.set(buf);
        }
        return buf;
    }

    private static float[][] partials(int chunks, int len) {
        float[][] p = PARTIALS.get();
        if (p.length < chunks || p[0].length < len) {
            p = new float[Math.max(chunks, p.length)][Math.max(len, p.length == 0 ? 0 : p[0].length)];
            PARTIALS.set(p);
        }
        return p;
    }

    // ---------------------------------------------------------------------------------------------------
    // Scalar twins: the definition.

    /** Reference forward: y = conv(x, weight) + bias, seven nested loops. */
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

    /** Reference input gradient: scatters each dy back through the weights. dx is overwritten. */
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

    /** Reference weight gradient: dw += sum of dy * x over the batch, db += sum of dy (accumulated). */
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
