package glassbox.kernels;

import glassbox.kernels.ConvPlan.Forward;
import glassbox.kernels.ConvPlan.WeightGradient;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution kernels on flat NCHW arrays (cross-correlation, as in every deep-learning library).
 *
 * <p>Each pass runs the route its {@link ConvPlan} names (the plan is chosen in one place, {@link ConvPlan#choose},
 * with a table of every route, when it applies and what it gained); this class carries the routes out. Each pass
 * stands next to its scalar twin, the definition in seven nested loops that the tests hold every route to. Shapes
 * (see {@link ConvShape}): x [n, cin, h, w], weight [cout, cin, k, k], bias [cout] or null, y [n, cout, hout, wout].
 *
 * <p>The im2col routes turn each image's convolution into one matrix product (Chellapilla, Puri &amp; Simard,
 * "High performance convolutional neural networks for document processing", 2006): {@code im2col} copies
 * every k x k input patch into a column of {@code col [cin*k*k, hout*wout]}, so that, with the weight seen as
 * {@code W [cout, cin*k*k]},
 * <pre>
 *   forward         y_n  = W · col_n (+ bias)           [cout, hw]    = [cout, ckk] · [ckk, hw]
 *   backwardInput   dx_n = col2im(Wᵀ · dy_n)            [ckk, hw]     = [ckk, cout] · [cout, hw]
 *   backwardWeight  dW  += sum over n of dy_n · col_nᵀ  [cout, ckk]   = [cout, hw] · [hw, ckk]
 * </pre>
 * The _GROUPED routes lay G images side by side, {@code col_g [cin*k*k, G*hw]}, and each product covers the
 * group: y_g = W · col_g (then copied into NCHW order), dcol_g = Wᵀ · dy_g (dy_g gathered the same way), and
 * dW += dy_g · col_gᵀ. POINTWISE reads x itself as col. WIDE_ROWS writes col with the wide rows of
 * {@link ImplicitIm2col}, IMPLICIT_IM2COL reads them in the padded image without writing col, WINOGRAD hands the
 * pass to {@link Winograd}. Groups are spread over threads with {@link Parallel#forRange}; the GEMMs inside then run
 * on their thread. backwardWeight sums each chunk's partial dW / db into dw / db in chunk order, so results do not
 * depend on thread timing. Left out: dilation, groups, non-square kernels, FFT algorithms.
 */
public final class Conv {
    private Conv() {
    }

    /** Per-thread im2col buffer, grown on demand and reused across calls. */
    private static final ThreadLocal<float[]> COL = ThreadLocal.withInitial(() -> new float[0]);
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Per-thread zero-padded image (ImplicitIm2col), grown on demand. */
    private static final ThreadLocal<float[]> PADDED = ThreadLocal.withInitial(() -> new float[0]);
    /** Per-thread buffer of a group's output (gradient) [cout, G*hw], grown on demand. */
    private static final ThreadLocal<float[]> GATHER = ThreadLocal.withInitial(() -> new float[0]);
    /** Per-caller partial dW and db of each chunk (owned by the calling thread, filled by the workers). */
    private static final ThreadLocal<float[][]> PARTIALS = ThreadLocal.withInitial(() -> new float[0][]);

    // ---- forward -----------------------------------------------------------------------------------------

    /** y = conv(x, weight) + bias; y is overwritten. bias may be null. Runs {@link ConvPlan#of}'s routes. */
    public static void forward(ConvShape s, float[] x, float[] weight, float[] bias, float[] y) {
        forward(ConvPlan.of(s), x, weight, bias, y, null);
    }

    /**
     * As {@link #forward(ConvShape, float[], float[], float[], float[])} for a training step: when {@code cols}
     * is not null the plan is chosen as for a layer that may keep its im2col matrices
     * ({@code ConvPlan.choose(s, threads, true, no memory limit)}), and where it keeps them they go to
     * {@code cols}, for {@link #backwardWeight(ConvShape, float[], float[], float[], float[], float[])} with the
     * same cols. Size cols with {@link #colsLength}.
     */
    public static void forward(ConvShape s, float[] x, float[] weight, float[] bias, float[] y, float[] cols) {
        forward(trainingPlan(s, cols), x, weight, bias, y, cols);
    }

    /**
     * y = conv(x, weight) + bias by the plan's forward route; y is overwritten, bias may be null. When the plan
     * keeps cols, every image's im2col matrix is written to {@code cols} ({@link ConvPlan#colsLength} floats:
     * group after group, each group's col_g [cin*k*k, G*positions] from offset first image * cin*k*k*positions),
     * and y is computed one GEMM per group.
     */
    public static void forward(ConvPlan p, float[] x, float[] weight, float[] bias, float[] y, float[] cols) {
        forward(p, x, weight, null, bias, y, cols);
    }

    /**
     * As {@link #forward(ConvPlan, float[], float[], float[], float[], float[])}, with the WINOGRAD route's weight
     * transform given ({@link Winograd#transformedWeights} of these weights, not rotated) instead of computed
     * here; {@code u} is ignored by the other routes and may be null. The same bits.
     */
    public static void forward(ConvPlan p, float[] x, float[] weight, float[] u, float[] bias, float[] y, float[] cols) {
        ConvShape s = p.shape();
        check(s, "x", x, inLength(s), "weight", weight, "y", y, outLength(s));
        if (p.keepCols()) require(s, "cols", cols, p.colsLength());
        if (bias != null) require(s, "bias", bias, s.cout());
        float[] kept = p.keepCols() ? cols : null;
        switch (p.forward()) {
            case SCALAR -> forwardScalar(s, x, weight, bias, y);
            case WINOGRAD -> {
                if (u != null) Winograd.forwardTransformed(s, x, weight, u, bias, y);
                else Winograd.forward(s, x, weight, bias, y);
            }
            case WIDE_ROWS, WIDE_ROWS_GROUPED -> forwardWide(p, x, weight, bias, y, kept);
            case POINTWISE, IM2COL, IM2COL_GROUPED -> forwardIm2col(p, x, weight, bias, y, kept);
        }
    }

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

    /** POINTWISE, IM2COL and IM2COL_GROUPED: y_i = W · col_i image by image, or yg = W · col_g a group at once. */
    private static void forwardIm2col(ConvPlan p, float[] x, float[] weight, float[] bias, float[] y, float[] cols) {
        ConvShape s = p.shape();
        int ckk = s.cin() * s.k() * s.k(), hw = s.hout() * s.wout(), cout = s.cout();
        int inPlane = s.cin() * s.h() * s.w(), outPlane = cout * hw;
        int g = p.group(), groups = Math.ceilDiv(s.n(), g);
        boolean direct = p.forward() == Forward.POINTWISE, wholeGroups = p.forward() == Forward.IM2COL_GROUPED;
        Parallel.forRange(groups, (chunk, from, to) -> {
            float[] col = direct ? null : cols != null ? cols : scratch(COL, ckk * (wholeGroups ? g : 1) * hw);
            for (int grp = from; grp < to; grp++) {
                int img0 = grp * g, size = Math.min(g, s.n() - img0), cw = size * hw; // images, columns
                int colOff = cols != null ? img0 * ckk * hw : 0;
                if (direct) {
                    fillBias(bias, cout, y, img0 * outPlane, hw);
                    Gemm.gemm(false, false, cout, hw, ckk, weight, 0, ckk, x, img0 * inPlane, hw, y, img0 * outPlane, hw, bias != null);
                } else if (size > 1 && wholeGroups) { // yg [cout, size*hw] = W · col_g, then yg [cout, (i, hw)] -> y [i, cout, hw]
                    for (int i = 0; i < size; i++) im2col(s, x, (img0 + i) * inPlane, col, colOff + i * hw, cw);
                    float[] yg = scratch(GATHER, cout * cw);
                    fillBias(bias, cout, yg, 0, cw);
                    Gemm.gemm(false, false, cout, cw, ckk, weight, 0, ckk, col, colOff, cw, yg, 0, cw, bias != null);
                    scatterRows(yg, cout, hw, size, y, img0 * outPlane, outPlane);
                } else { // y_i = W · col_i, image by image (kept cols: only a last group of one image)
                    int ld = cols != null ? cw : hw;
                    for (int i = 0; i < size; i++) {
                        int off = cols != null ? colOff + i * hw : 0, yOff = (img0 + i) * outPlane;
                        im2col(s, x, (img0 + i) * inPlane, col, off, ld);
                        fillBias(bias, cout, y, yOff, hw);
                        Gemm.gemm(false, false, cout, hw, ckk, weight, 0, ckk, col, off, ld, y, yOff, hw, bias != null);
                    }
                }
            }
        });
    }

    /**
     * WIDE_ROWS and WIDE_ROWS_GROUPED, stride 1 on wide im2col rows ({@link ImplicitIm2col#fill}):
     * y_g [cout, G*positions] = W · col_g (+ bias) into a buffer, then cropped to y; image by image (WIDE_ROWS)
     * or a group at once.
     */
    private static void forwardWide(ConvPlan p, float[] x, float[] weight, float[] bias, float[] y, float[] cols) {
        ConvShape s = p.shape();
        int ckk = s.cin() * s.k() * s.k(), cout = s.cout(), pos = ImplicitIm2col.positions(s);
        int inPlane = s.cin() * s.h() * s.w(), outPlane = cout * s.hout() * s.wout();
        int g = p.group(), groups = Math.ceilDiv(s.n(), g);
        boolean wholeGroups = p.forward() == Forward.WIDE_ROWS_GROUPED;
        int[] rows = ImplicitIm2col.rows(s);
        Parallel.forRange(groups, (chunk, from, to) -> {
            float[] xp = scratch(PADDED, ImplicitIm2col.paddedLength(s));
            float[] col = cols != null ? cols : scratch(COL, ckk * (wholeGroups ? g : 1) * pos);
            for (int grp = from; grp < to; grp++) {
                int img0 = grp * g, size = Math.min(g, s.n() - img0), step = wholeGroups ? size : 1;
                for (int i0 = 0; i0 < size; i0 += step) {
                    int count = Math.min(step, size - i0), width = count * pos; // images and columns of this GEMM
                    int ld = cols != null ? size * pos : width, off = cols != null ? img0 * ckk * pos + i0 * pos : 0;
                    for (int i = 0; i < count; i++) ImplicitIm2col.fill(s, x, (img0 + i0 + i) * inPlane, rows, xp, col, off + i * pos, ld);
                    float[] yg = scratch(GATHER, cout * width);
                    fillBias(bias, cout, yg, 0, width);
                    Gemm.gemm(false, false, cout, width, ckk, weight, 0, ckk, col, off, ld, yg, 0, width, bias != null);
                    ImplicitIm2col.crop(s, yg, count, y, (img0 + i0) * outPlane, outPlane);
                }
            }
        });
    }

    /** Starts each row of out [cout, len] at out[off ..] at its bias (the GEMM then adds the product); none if null. */
    private static void fillBias(float[] bias, int cout, float[] out, int off, int len) {
        if (bias == null) return;
        for (int co = 0; co < cout; co++) java.util.Arrays.fill(out, off + co * len, off + (co + 1) * len, bias[co]);
    }

    // ---- input gradient ----------------------------------------------------------------------------------

    /** dx = dL/dx from dy; dx is overwritten. Runs {@link ConvPlan#of}'s route. */
    public static void backwardInput(ConvShape s, float[] dy, float[] weight, float[] dx) {
        backwardInput(ConvPlan.of(s), dy, weight, dx);
    }

    /** dx = dL/dx from dy by the plan's input-gradient route; dx is overwritten. */
    public static void backwardInput(ConvPlan p, float[] dy, float[] weight, float[] dx) {
        backwardInput(p, dy, weight, null, dx);
    }

    /**
     * As {@link #backwardInput(ConvPlan, float[], float[], float[])}, with the WINOGRAD route's weight transform
     * given ({@link Winograd#transformedWeights} of these weights, rotated); ignored by the other routes, may be null.
     */
    public static void backwardInput(ConvPlan p, float[] dy, float[] weight, float[] u, float[] dx) {
        ConvShape s = p.shape();
        check(s, "dy", dy, outLength(s), "weight", weight, "dx", dx, inLength(s));
        switch (p.inputGradient()) {
            case SCALAR -> backwardInputScalar(s, dy, weight, dx);
            case WINOGRAD -> {
                if (u != null) Winograd.backwardInputTransformed(s, dy, weight, u, dx);
                else Winograd.backwardInput(s, dy, weight, dx);
            }
            case WIDE_ROWS -> backwardInputWide(p, dy, weight, dx);
            case POINTWISE, COL2IM, COL2IM_GROUPED -> backwardInputCol2im(p, dy, weight, dx);
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

    /** POINTWISE, COL2IM, COL2IM_GROUPED: dcol_g = Wᵀ · dy_g, summed back onto dx by col2im (POINTWISE: dx = Wᵀ · dy). */
    private static void backwardInputCol2im(ConvPlan p, float[] dy, float[] weight, float[] dx) {
        ConvShape s = p.shape();
        int ckk = s.cin() * s.k() * s.k(), hw = s.hout() * s.wout(), cout = s.cout();
        int inPlane = s.cin() * s.h() * s.w(), outPlane = cout * hw;
        int g = p.group(), groups = Math.ceilDiv(s.n(), g);
        boolean direct = p.inputGradient() == ConvPlan.InputGradient.POINTWISE;
        Parallel.forRange(groups, (chunk, from, to) -> {
            float[] dcol = direct ? null : scratch(COL, ckk * g * hw);
            for (int grp = from; grp < to; grp++) {
                int img0 = grp * g, size = Math.min(g, s.n() - img0), cw = size * hw;
                if (direct) {
                    Gemm.gemm(true, false, ckk, hw, cout, weight, 0, ckk, dy, img0 * outPlane, hw, dx, img0 * inPlane, hw, false);
                    continue;
                }
                // dy of the group as one matrix dyg [cout, size*hw] (a single image already is one)
                float[] d = size == 1 ? dy : gatherRows(dy, img0 * outPlane, cout, hw, size, outPlane);
                int dOff = size == 1 ? img0 * outPlane : 0;
                Gemm.gemm(true, false, ckk, cw, cout, weight, 0, ckk, d, dOff, cw, dcol, 0, cw, false);
                for (int i = 0; i < size; i++) col2im(s, dcol, i * hw, cw, dx, (img0 + i) * inPlane);
            }
        });
    }

    /** WIDE_ROWS: dcol_g = Wᵀ · dy_g on wide rows (dy spread, zeros at dead positions), summed back onto dx. */
    private static void backwardInputWide(ConvPlan p, float[] dy, float[] weight, float[] dx) {
        ConvShape s = p.shape();
        int ckk = s.cin() * s.k() * s.k(), cout = s.cout(), pos = ImplicitIm2col.positions(s);
        int inPlane = s.cin() * s.h() * s.w(), outPlane = cout * s.hout() * s.wout();
        int g = p.group(), groups = Math.ceilDiv(s.n(), g);
        int[] rows = ImplicitIm2col.rows(s);
        Parallel.forRange(groups, (chunk, from, to) -> {
            float[] xp = scratch(PADDED, ImplicitIm2col.paddedLength(s)), dcol = scratch(COL, ckk * g * pos);
            for (int grp = from; grp < to; grp++) {
                int img0 = grp * g, size = Math.min(g, s.n() - img0), cw = size * pos;
                float[] d = scratch(GATHER, cout * cw);
                ImplicitIm2col.spread(s, dy, img0 * outPlane, outPlane, size, d);
                Gemm.gemm(true, false, ckk, cw, cout, weight, 0, ckk, d, 0, cw, dcol, 0, cw, false);
                for (int i = 0; i < size; i++) ImplicitIm2col.accumulate(s, dcol, i * pos, cw, rows, xp, dx, (img0 + i) * inPlane);
            }
        });
    }

    // ---- weight gradient ---------------------------------------------------------------------------------

    /** dw += dL/dweight, db += dL/dbias (db may be null): accumulated, like every parameter gradient. */
    public static void backwardWeight(ConvShape s, float[] x, float[] dy, float[] dw, float[] db) {
        backwardWeight(ConvPlan.of(s), x, dy, dw, db, null);
    }

    /**
     * As {@link #backwardWeight(ConvShape, float[], float[], float[], float[])} after
     * {@link #forward(ConvShape, float[], float[], float[], float[], float[])} with the same cols: the same plan,
     * so where it kept im2col matrices they are read instead of built again (same arithmetic, same bits as
     * building them), elsewhere cols is not read.
     */
    public static void backwardWeight(ConvShape s, float[] x, float[] dy, float[] dw, float[] db, float[] cols) {
        backwardWeight(trainingPlan(s, cols), x, dy, dw, db, cols);
    }

    /**
     * dw += dL/dweight, db += dL/dbias (db may be null), accumulated, by the plan's weight-gradient route;
     * KEPT_COLS reads the im2col matrices that {@link #forward(ConvPlan, float[], float[], float[], float[], float[])}
     * with the same plan wrote to {@code cols}.
     */
    public static void backwardWeight(ConvPlan p, float[] x, float[] dy, float[] dw, float[] db, float[] cols) {
        ConvShape s = p.shape();
        check(s, "x", x, inLength(s), "dw", dw, "dy", dy, outLength(s));
        if (p.keepCols()) require(s, "cols", cols, p.colsLength());
        if (db != null) require(s, "db", db, s.cout());
        switch (p.weightGradient()) {
            case SCALAR -> backwardWeightScalar(s, x, dy, dw, db);
            case WINOGRAD -> Winograd.backwardWeight(s, x, dy, dw, db);
            default -> backwardWeightGemm(p, x, dy, dw, db, cols);
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

    /**
     * The GEMM routes of the weight gradient: per chunk of groups a partial dW (or dWᵀ, see
     * {@link ConvPlan#transposedWeightGradient}) and db, summed in chunk order. IMPLICIT_IM2COL: dWᵀ += col_i · dy_iᵀ
     * image by image with col_i read in the padded image; the others: dW += d_g · c_gᵀ with c_g the group's im2col
     * matrix (KEPT_COLS: read from cols; POINTWISE: x itself; WIDE_ROWS: written with wide rows; IM2COL: written).
     */
    private static void backwardWeightGemm(ConvPlan p, float[] x, float[] dy, float[] dw, float[] db, float[] cols) {
        ConvShape s = p.shape();
        int ckk = s.cin() * s.k() * s.k(), hw = s.hout() * s.wout(), cout = s.cout();
        int inPlane = s.cin() * s.h() * s.w(), outPlane = cout * hw;
        int wLen = cout * ckk;
        int g = p.group(), groups = Math.ceilDiv(s.n(), g);
        WeightGradient route = p.weightGradient();
        boolean direct = route == WeightGradient.POINTWISE, kept = route == WeightGradient.KEPT_COLS;
        boolean implicit = route == WeightGradient.IMPLICIT_IM2COL, transposed = p.transposedWeightGradient();
        boolean wide = p.wideRows(); // col rows are those of the padded image (written, or kept that way)
        int chunks = Parallel.chunks(groups);
        float[][] partials = partials(chunks, wLen + cout); // per chunk: dW [cout, ckk] then db [cout]
        // zeroed here, not in the chunks: nested inside another parallel loop, forRange runs only chunk 0
        for (int c = 0; c < chunks; c++) java.util.Arrays.fill(partials[c], 0, wLen + cout, 0f);
        // positions per image that the products run over: hout*wp where col rows are those of the padded image
        int pos = wide || implicit ? ImplicitIm2col.positions(s) : hw;
        int[] rows = wide || implicit ? ImplicitIm2col.rows(s) : null;
        Parallel.forRange(groups, (chunk, from, to) -> {
            float[] part = partials[chunk];
            if (implicit) { // dWᵀ [ckk, cout] += col_i [ckk, pos] · dy_iᵀ [pos, cout], image by image
                float[] xp = scratch(PADDED, ImplicitIm2col.paddedLength(s)), dyT = scratch(GATHER, pos * cout);
                for (int i = from * g; i < Math.min(s.n(), to * g); i++) {
                    ImplicitIm2col.pad(s, x, i * inPlane, xp);
                    ImplicitIm2col.transposeDy(s, dy, i * outPlane, dyT);
                    Gemm.gemmRowsA(ckk, cout, pos, xp, rows, dyT, 0, cout, part, 0, cout, true);
                    if (db != null) for (int co = 0; co < cout; co++) part[wLen + co] += Vec.sum(dy, i * outPlane + co * hw, hw);
                }
                return;
            }
            float[] col = direct || kept ? null : scratch(COL, ckk * g * pos);
            float[] xp = wide && !kept ? scratch(PADDED, ImplicitIm2col.paddedLength(s)) : null;
            for (int grp = from; grp < to; grp++) {
                int img0 = grp * g, size = Math.min(g, s.n() - img0), cw = size * pos;
                // this group's im2col matrix c [ckk, size*pos] and output gradient d [cout, size*pos]
                float[] c = direct ? x : kept ? cols : col;
                int cOff = direct ? img0 * inPlane : kept ? img0 * ckk * pos : 0;
                if (!direct && !kept) {
                    for (int i = 0; i < size; i++) {
                        if (wide) ImplicitIm2col.fill(s, x, (img0 + i) * inPlane, rows, xp, col, i * pos, cw);
                        else im2col(s, x, (img0 + i) * inPlane, col, i * hw, cw);
                    }
                }
                float[] d = wide ? scratch(GATHER, cout * cw) : size == 1 ? dy : gatherRows(dy, img0 * outPlane, cout, hw, size, outPlane);
                if (wide) ImplicitIm2col.spread(s, dy, img0 * outPlane, outPlane, size, d); // zeros at dead positions
                int dOff = size == 1 && !wide ? img0 * outPlane : 0;
                if (transposed) { // dWᵀ [ckk, cout] += c [ckk, cw] · dᵀ [cw, cout]
                    Gemm.gemm(false, true, ckk, cout, cw, c, cOff, cw, d, dOff, cw, part, 0, cout, true);
                } else {          // dW [cout, ckk] += d [cout, cw] · cᵀ [cw, ckk]
                    Gemm.gemm(false, true, cout, ckk, cw, d, dOff, cw, c, cOff, cw, part, 0, ckk, true);
                }
                if (db != null) for (int co = 0; co < cout; co++) part[wLen + co] += Vec.sum(d, dOff + co * cw, cw);
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

    // ---- plans, sizes, checks ----------------------------------------------------------------------------

    /** The plan of the training-step API: may keep cols (no memory limit) when the caller passes them. */
    private static ConvPlan trainingPlan(ConvShape s, float[] cols) {
        return ConvPlan.choose(s, Parallel.threads(), cols != null, cols != null ? Long.MAX_VALUE : 0);
    }

    /**
     * Floats to pass as cols to {@link #forward(ConvShape, float[], float[], float[], float[], float[])}: the
     * kept im2col matrices of the training plan, n * cin*k*k * hout*wout (hout*wp on wide rows), 0 when that plan
     * keeps none.
     */
    public static long colsLength(ConvShape s) {
        return ConvPlan.choose(s, Parallel.threads(), true, Long.MAX_VALUE).colsLength();
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
        im2col(s, x, xOff, col, colOff, s.hout() * s.wout());
    }

    /**
     * im2col into the matrix at col[colOff ..] whose rows are {@code ld} floats apart: with ld = G*hout*wout
     * and colOff = i*hout*wout, image i of a group fills its block of columns of the group's matrix.
     */
    static void im2col(ConvShape s, float[] x, int xOff, float[] col, int colOff, int ld) {
        int k = s.k(), ho = s.hout(), wo = s.wout(), h = s.h(), w = s.w(), stride = s.stride(), pad = s.pad();
        // Rows of 16 floats or more are copied by System.arraycopy; shorter ones (10 for LeNet's conv2, 8 for
        // resnet20's last stage) by a plain loop, where a call per row costs about as much as the copy. Masked
        // vector copies were tried and were slower than both (LeNet conv2: 0.95 vs 0.77 ms for the loop, batch
        // 64, one core; conv1: 0.64x of arraycopy).
        boolean longRows = wo >= 16;
        int row = 0;
        for (int ci = 0; ci < s.cin(); ci++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++, row++) {
                    // output columns whose input column ix = ox*stride - pad + kx lies inside [0, w)
                    int oxLo = Math.min(wo, ceilDivNonNeg(pad - kx, stride));
                    int oxHi = Math.max(oxLo, Math.min(wo, ceilDivNonNeg(w + pad - kx, stride)));
                    for (int oy = 0; oy < ho; oy++) {
                        int dst = colOff + row * ld + oy * wo;
                        int iy = oy * stride - pad + ky;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(col, dst, dst + wo, 0f);
                            continue;
                        }
                        int src = xOff + (ci * h + iy) * w - pad + kx; // + ox*stride
                        for (int ox = 0; ox < oxLo; ox++) col[dst + ox] = 0f; // left padding: 0..2 elements,
                        if (stride == 1 && longRows) {                       // too few for Arrays.fill's call
                            System.arraycopy(x, src + oxLo, col, dst + oxLo, oxHi - oxLo);
                        } else {
                            int ox = oxLo;
                            if (stride == 2) // L outputs from 2L inputs: the even lanes of two loads (resnet20's downsampling)
                                for (; ox + L <= oxHi && src + 2 * ox + 2 * L <= x.length; ox += L) {
                                    FloatVector a = FloatVector.fromArray(S, x, src + 2 * ox), b = FloatVector.fromArray(S, x, src + 2 * ox + L);
                                    Winograd.EVEN.selectFrom(a, b).intoArray(col, dst + ox);
                                }
                            for (; ox < oxHi; ox++) col[dst + ox] = x[src + ox * stride];
                        }
                        for (int ox = oxHi; ox < wo; ox++) col[dst + ox] = 0f; // right padding
                    }
                }
    }

    /** The adjoint of im2col: dx[xOff ..] ([cin, h, w]) = sum of every col entry back onto its pixel. */
    static void col2im(ConvShape s, float[] col, float[] dx, int xOff) {
        col2im(s, col, 0, s.hout() * s.wout(), dx, xOff);
    }

    /** col2im from the matrix at col[colOff ..] whose rows are {@code ld} floats apart (see im2col). */
    static void col2im(ConvShape s, float[] col, int colOff, int ld, float[] dx, int xOff) {
        int k = s.k(), ho = s.hout(), wo = s.wout(), h = s.h(), w = s.w(), stride = s.stride(), pad = s.pad();
        boolean longRows = wo >= 16; // as in im2col: Vec.axpy for long rows, a plain loop for short ones
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
                        int src = colOff + row * ld + oy * wo;
                        int dst = xOff + (ci * h + iy) * w - pad + kx;
                        if (stride == 1 && longRows) {
                            Vec.axpy(1f, col, src + oxLo, dx, dst + oxLo, oxHi - oxLo);
                        } else {
                            int ox = oxLo;
                            if (stride == 2) // L outputs onto the even lanes of two vectors of dx; the odd lanes go back as they were
                                for (; ox + L <= oxHi && dst + 2 * ox + 2 * L <= dx.length; ox += L) {
                                    int at = dst + 2 * ox;
                                    FloatVector a = FloatVector.fromArray(S, dx, at), b = FloatVector.fromArray(S, dx, at + L);
                                    FloatVector even = Winograd.EVEN.selectFrom(a, b).add(FloatVector.fromArray(S, col, src + ox));
                                    FloatVector odd = Winograd.ODD.selectFrom(a, b);
                                    Winograd.LOW.selectFrom(even, odd).intoArray(dx, at);
                                    Winograd.HIGH.selectFrom(even, odd).intoArray(dx, at + L);
                                }
                            for (; ox < oxHi; ox++) dx[dst + ox * stride] += col[src + ox];
                        }
                    }
                }
    }

    /**
     * Copies {@code count} blocks of [rows, len] (block i at src[srcOff + i*stride ..], rows len apart) side
     * by side into one matrix [rows, count*len] in a per-thread buffer: the dy of a group of images as one
     * GEMM operand.
     */
    private static float[] gatherRows(float[] src, int srcOff, int rows, int len, int count, int stride) {
        int cw = count * len;
        float[] dst = scratch(GATHER, rows * cw);
        for (int i = 0; i < count; i++)
            for (int r = 0; r < rows; r++) System.arraycopy(src, srcOff + i * stride + r * len, dst, r * cw + i * len, len);
        return dst;
    }

    /** The inverse of {@link #gatherRows}: splits src [rows, count*len] back into count blocks of [rows, len] in dst. */
    private static void scatterRows(float[] src, int rows, int len, int count, float[] dst, int dstOff, int stride) {
        int cw = count * len;
        for (int i = 0; i < count; i++)
            for (int r = 0; r < rows; r++) System.arraycopy(src, r * cw + i * len, dst, dstOff + i * stride + r * len, len);
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
}
