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
 * When the output plane is small (LeNet-5's conv2: 10x10, resnet20's last stage: 8x8) one image makes a thin
 * product, so G images are laid side by side, {@code col_g [cin*k*k, G*hw]}, and each product covers the
 * group: y_g = W · col_g (then copied into NCHW order), dcol_g = Wᵀ · dy_g (dy_g gathered the same way), and
 * dW += dy_g · col_gᵀ, whose long inner dimension G*hw suits GEMM's dot-product path (see {@link #groupSize}).
 * A 1x1 convolution with stride 1 and no padding, ungrouped, needs no im2col: x_n itself is col_n. Groups are
 * spread over threads with {@link Parallel#forRange}; the GEMMs inside then run on their thread. backwardWeight
 * sums each chunk's partial dW / db into dw / db in chunk order, so results do not depend on thread timing.
 * 3x3 convolutions with stride 1 and padding 1 go to {@link Winograd} instead (fewer multiplications) when it
 * applies, except a forward pass that must keep its im2col matrices. For stride 1, {@link ImplicitIm2col} shows
 * every row of col as a shifted run of the zero-padded image: short output rows then get col written with
 * "wide" rows (see {@link #wide}), and the weight gradient of layers with many output channels reads col
 * where it lies, never writing it (see {@link #implicitWeightGradient}).
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

    /**
     * A group of images sharing one GEMM has up to this many output positions (GEMM columns), see
     * {@link #groupSize}; 0 turns grouping off (one GEMM per image, for ConvBench's comparison). Change it
     * only between steps: a forward that kept cols and its backwardWeight must see the same value.
     */
    public static volatile int groupColumns = 512;
    /** At most this many floats in a group's im2col matrix (per thread). */
    public static volatile long groupMaxFloats = 1L << 19;

    /**
     * Forward multiplies a whole group at once only up to this many floats of col (256 KiB, well inside L2);
     * beyond, image by image. Measured (ConvPerCore, one core): grouped forward 1.05-1.09x for LeNet's conv2
     * (60 k floats per group), 0.92x for resnet20's 32- and 64-channel 3x3 convs (150-300 k floats), where the
     * group's col matrix left L2 and its output had to be copied into NCHW order once more.
     */
    static final long FORWARD_GROUP_MAX_FLOATS = 1L << 16;

    /** Per-thread im2col buffer, grown on demand and reused across calls. */
    private static final ThreadLocal<float[]> COL = ThreadLocal.withInitial(() -> new float[0]);
    /** Per-thread zero-padded image (ImplicitIm2col), grown on demand. */
    private static final ThreadLocal<float[]> PADDED = ThreadLocal.withInitial(() -> new float[0]);
    /** Per-thread buffer of a group's output (gradient) [cout, G*hw], grown on demand. */
    private static final ThreadLocal<float[]> GATHER = ThreadLocal.withInitial(() -> new float[0]);
    /** Per-caller partial dW and db of each chunk (owned by the calling thread, filled by the workers). */
    private static final ThreadLocal<float[][]> PARTIALS = ThreadLocal.withInitial(() -> new float[0][]);

    /** y = conv(x, weight) + bias; y is overwritten. bias may be null. */
    public static void forward(ConvShape s, float[] x, float[] weight, float[] bias, float[] y) {
        forward(s, x, weight, bias, y, null);
    }

    /**
     * As {@link #forward(ConvShape, float[], float[], float[], float[])}, and when {@code cols} is not null
     * also keeps every image's im2col matrix there ({@link #colsLength} floats: group after group, each group's
     * col_g [cin*k*k, G*hout*wout] from offset first image * cin*k*k*hout*wout; with G = 1 that is
     * [n, cin*k*k, hout*wout]; y is then computed one GEMM per group, and may differ from a forward without
     * cols in the last bits where that one goes image by image),
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
        if (wide(s)) {
            forwardWide(s, x, weight, bias, y, cols);
            return;
        }
        int ckk = s.cin() * s.k() * s.k(), hw = s.hout() * s.wout(), cout = s.cout();
        int inPlane = s.cin() * s.h() * s.w(), outPlane = cout * hw;
        int g = groupSize(s), groups = Math.ceilDiv(s.n(), g);
        boolean direct = isPointwise(s) && g == 1;
        // One GEMM per group while the group's col matrix stays in L2, else image by image (see groupSize).
        // With kept cols the group is written out anyway, and one GEMM over it measured 1.04-1.06x faster
        // (resnet20's 8x8 64-channel conv in training, one core).
        boolean wholeGroups = cols != null || (long) ckk * g * hw <= FORWARD_GROUP_MAX_FLOATS;
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
     * forward for stride 1 on wide im2col rows ({@link ImplicitIm2col#fill}): y_g [cout, G*positions] = W · col_g
     * (+ bias) into a buffer, then cropped to y. A group at once while its col matrix stays in L2 (or when cols
     * are kept), else image by image.
     */
    private static void forwardWide(ConvShape s, float[] x, float[] weight, float[] bias, float[] y, float[] cols) {
        int ckk = s.cin() * s.k() * s.k(), cout = s.cout(), pos = ImplicitIm2col.positions(s);
        int inPlane = s.cin() * s.h() * s.w(), outPlane = cout * s.hout() * s.wout();
        int g = groupSize(s), groups = Math.ceilDiv(s.n(), g);
        boolean wholeGroups = cols != null || (long) ckk * g * pos <= FORWARD_GROUP_MAX_FLOATS;
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
        int ckk = s.cin() * s.k() * s.k(), hw = s.hout() * s.wout(), cout = s.cout();
        int inPlane = s.cin() * s.h() * s.w(), outPlane = cout * hw;
        int g = groupSize(s), groups = Math.ceilDiv(s.n(), g);
        if (wide(s)) { // dcol_g = Wᵀ · dy_g on wide rows (dy spread, zeros at dead positions), summed back onto dx
            int pos = ImplicitIm2col.positions(s);
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
            return;
        }
        boolean direct = isPointwise(s) && g == 1;
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

    /** dw += dL/dweight, db += dL/dbias (db may be null): accumulated, like every parameter gradient. */
    public static void backwardWeight(ConvShape s, float[] x, float[] dy, float[] dw, float[] db) {
        backwardWeight(s, x, dy, dw, db, null);
    }

    /**
     * As {@link #backwardWeight(ConvShape, float[], float[], float[], float[])}, reading the im2col matrices
     * that {@link #forward(ConvShape, float[], float[], float[], float[], float[])} kept in {@code cols}
     * (when not null) instead of building them from x again. Same arithmetic, same bits, except where the
     * path without them is another algorithm ({@link #winogradWeightGradient}, {@link #implicitWeightGradient}):
     * equal up to rounding.
     */
    public static void backwardWeight(ConvShape s, float[] x, float[] dy, float[] dw, float[] db, float[] cols) {
        check(s, "x", x, inLength(s), "dw", dw, "dy", dy, outLength(s));
        if (cols != null) require(s, "cols", cols, colsLength(s));
        if (db != null) require(s, "db", db, s.cout());
        if (!useFastPath) {
            backwardWeightScalar(s, x, dy, dw, db);
            return;
        }
        if (cols == null && winogradWeightGradient(s)) {
            Winograd.backwardWeight(s, x, dy, dw, db);
            return;
        }
        int ckk = s.cin() * s.k() * s.k(), hw = s.hout() * s.wout(), cout = s.cout();
        int inPlane = s.cin() * s.h() * s.w(), outPlane = cout * hw;
        int wLen = cout * ckk;
        int g = groupSize(s), groups = Math.ceilDiv(s.n(), g);
        boolean direct = isPointwise(s) && g == 1;
        int chunks = Parallel.chunks(groups);
        float[][] partials = partials(chunks, wLen + cout); // per chunk: dW [cout, ckk] then db [cout]
        // zeroed here, not in the chunks: nested inside another parallel loop, forRange runs only chunk 0
        for (int c = 0; c < chunks; c++) java.util.Arrays.fill(partials[c], 0, wLen + cout, 0f);
        boolean transposed = cout >= TRANSPOSED_DW_MIN_COUT;
        boolean implicit = cols == null && implicitWeightGradient(s);
        boolean wide = wide(s); // (never together with implicit: that one needs >= 32 channels, wide <= 16)
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
            float[] col = direct || cols != null ? null : scratch(COL, ckk * g * pos);
            float[] xp = wide && cols == null ? scratch(PADDED, ImplicitIm2col.paddedLength(s)) : null;
            for (int grp = from; grp < to; grp++) {
                int img0 = grp * g, size = Math.min(g, s.n() - img0), cw = size * pos;
                // this group's im2col matrix c [ckk, size*pos] and output gradient d [cout, size*pos]
                float[] c = direct ? x : cols != null ? cols : col;
                int cOff = direct ? img0 * inPlane : cols != null ? img0 * ckk * pos : 0;
                if (!direct && cols == null) {
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

    /**
     * Whether backwardWeight without kept cols goes to {@link Winograd#backwardWeight}: where Winograd applies
     * and there are at least 32 output channels (its products are [cin, T] · [T, cout], and with 16 the 32-column
     * register tile is half empty). Measured (JarAB, one core, batch 64, against {@link #implicitWeightGradient}):
     * smallvgg conv2 1.35x, conv3 1.51x, conv4 1.53x, resnet20 64-channel 8x8 1.46x, 16-channel 32x32 0.97x.
     */
    static boolean winogradWeightGradient(ConvShape s) {
        return winograd(s) && s.cout() >= TRANSPOSED_DW_MIN_COUT;
    }

    /**
     * Whether backwardWeight without kept cols reads the rows of col in the padded image ({@link ImplicitIm2col})
     * instead of building col: stride 1 with {@link #TRANSPOSED_DW_MIN_COUT} output channels or more. It sums
     * image by image over hout*wp positions, so it agrees with the kept-cols path up to rounding, not in every
     * bit. Measured (ConvPerCore, one core, batch 64, with Winograd off): smallvgg's conv2 23.5 -&gt; 16.2 ms,
     * conv3 10.1 -&gt; 8.8, conv4 19.2 -&gt; 16.4. Where {@link #winogradWeightGradient} applies, that goes first.
     */
    static boolean implicitWeightGradient(ConvShape s) {
        return s.cout() >= TRANSPOSED_DW_MIN_COUT && ImplicitIm2col.applies(s);
    }

    /** Floats needed to keep the im2col matrices of a whole batch: n * cin*k*k * hout*wout (hout*wp if {@link #wide}). */
    public static long colsLength(ConvShape s) {
        return (long) s.n() * s.cin() * s.k() * s.k() * (wide(s) ? ImplicitIm2col.positions(s) : s.hout() * s.wout());
    }

    /**
     * Stride 1 with output rows shorter than {@link #WIDE_MAX_WOUT}: im2col rows are written wide,
     * hout * (w + 2*pad) floats with the dead positions of {@link ImplicitIm2col}, one copy each from the padded
     * image instead of one short copy per output row (and col2im the same way back). The GEMMs then also work
     * on the dead positions, and y / dy are cropped / spread around them. Measured (JarAB, one core, batch 64,
     * old / new): LeNet-5's conv2 (10x10 outputs) forward 1.26x, input gradient 1.41x, a training step of the
     * layer 1.21x, the whole lenet5 training step on 2 threads 1.14-1.17x. Hence the limits: smallvgg's conv1
     * (32x32) measured 0.85x (rows of 32 were already copied whole; the crop and spread copies cost more than
     * they save), resnet20's 64-channel 8x8 layers 0.91x (there the products, 25% larger on wide rows, outweigh
     * the copying: a col entry is used by cout multiply-adds).
     */
    static boolean wide(ConvShape s) {
        return ImplicitIm2col.applies(s) && s.wout() < WIDE_MAX_WOUT && s.cout() <= WIDE_MAX_COUT;
    }

    /** See {@link #wide}: from this output width on, im2col copies rows whole (System.arraycopy) anyway. */
    static final int WIDE_MAX_WOUT = 16;
    /** See {@link #wide}: with more output channels the products outweigh the copying. */
    static final int WIDE_MAX_COUT = 16;

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
        boolean wide = wo >= 16;
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
                        if (stride == 1 && wide) {                           // too few for Arrays.fill's call
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
        col2im(s, col, 0, s.hout() * s.wout(), dx, xOff);
    }

    /** col2im from the matrix at col[colOff ..] whose rows are {@code ld} floats apart (see im2col). */
    static void col2im(ConvShape s, float[] col, int colOff, int ld, float[] dx, int xOff) {
        int k = s.k(), ho = s.hout(), wo = s.wout(), h = s.h(), w = s.w(), stride = s.stride(), pad = s.pad();
        boolean wide = wo >= 16; // as in im2col: Vec.axpy for long rows, a plain loop for short ones
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
                        if (stride == 1 && wide) {
                            Vec.axpy(1f, col, src + oxLo, dx, dst + oxLo, oxHi - oxLo);
                        } else {
                            for (int ox = oxLo; ox < oxHi; ox++) dx[dst + ox * stride] += col[src + ox];
                        }
                    }
                }
    }

    /**
     * How many images share one GEMM: a small output plane makes a thin product (LeNet's conv2: W [16 x 150]
     * times col [150 x 100]) where packing, partial 8 x 32 tiles and call overhead outweigh the arithmetic, so
     * G images are laid side by side, col [cin*k*k, G*hw]. G is the largest power of two (a batch of 64 then
     * splits evenly between threads) with G*hw &lt;= {@link #groupColumns} and the group's col matrix under
     * {@link #groupMaxFloats} floats, and at most n; planes where fewer than 4 images would fit are not grouped.
     * With the defaults: LeNet-5's conv2 (10x10) G = 4, resnet20's 8x8 layers G = 8, 16x16 and larger 1.
     * Chosen with {@code ConvPerCore}. Depends on the shape only, so forward and backwardWeight agree on the
     * layout of kept cols, and the groups (hence the bits of y and dx) do not depend on the thread count.
     */
    static int groupSize(ConvShape s) {
        long hw = (long) s.hout() * s.wout(), colFloats = hw * s.cin() * s.k() * s.k();
        long fit = Math.min(groupColumns / hw, groupMaxFloats / Math.max(1, colFloats));
        if (fit < 4) return 1; // planes of 256 (16x16): pairs measured 0.84-0.92x on backwardInput, so none
        int g = 1;
        while (2L * g <= Math.min(fit, s.n())) g *= 2; // a power of two: a batch of 64 splits evenly between threads
        return g;
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
