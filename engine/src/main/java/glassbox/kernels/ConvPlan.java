package glassbox.kernels;

/**
 * Which algorithm each pass of one convolution runs: the forward pass, the input gradient and the weight
 * gradient each take one route, and {@link #choose} picks all three, in one place, from the shape, the thread
 * count, whether the layer is training (and so may keep its im2col matrices for the weight gradient) and the
 * memory it may spend on them. {@link Conv} only carries the plan out; {@code Conv2d} shows it
 * ({@code ./glassbox inspect}).
 *
 * <p>Every fast route computes the same numbers as the scalar definition up to float rounding; the tests hold
 * each one to it, and {@code TorchAgreementTest} holds each one to PyTorch. Measured gains are old / new time
 * on one core at batch 64 unless stated (README, "Kernels"; JarAB, ConvPerCore, WinogradPerCore).
 *
 * <table>
 * <caption>Routes, in the order {@link #choose} tries them</caption>
 * <tr><th>pass: route</th><th>when it applies</th><th>why</th><th>measured</th></tr>
 * <tr><td>all: SCALAR</td><td>{@link FastPath} off</td><td>the definition, seven nested loops</td>
 *     <td>LeNet-5 conv1 forward 19.1 ms vs 2.4 fast</td></tr>
 * <tr><td>forward, input gradient: WINOGRAD</td><td>3x3, stride 1, padding 1, at least {@link Winograd#MIN_CHANNELS}
 *     input and output channels; forward only when no im2col matrices are kept</td>
 *     <td>F(2x2,3x3): 16 multiplications per tile instead of 36</td>
 *     <td>forward 1.18-1.63x, input gradient 1.23-1.86x (8-8 channels: 1.08 / 1.25x; 3-32: 0.5-0.7x, hence the 8)</td></tr>
 * <tr><td>weight gradient: WINOGRAD</td><td>Winograd applies and at least {@link #TRANSPOSED_DW_MIN_COUT} output
 *     channels</td><td>the adjoint of the forward: 16 products V[ξ]·P[ξ] over tiles</td>
 *     <td>against IMPLICIT_IM2COL: smallvgg conv2-4 1.35-1.53x, resnet20 64-64 1.46x; 16 channels 0.97x, hence the 32</td></tr>
 * <tr><td>weight gradient: IMPLICIT_IM2COL</td><td>no kept matrices, stride 1 (not a plain 1x1), at least 32
 *     output channels</td><td>im2col rows read in place in the padded image; the 9x larger col is never written</td>
 *     <td>smallvgg conv2 23.5 to 16.2 ms, conv3 10.1 to 8.8, conv4 19.2 to 16.4</td></tr>
 * <tr><td>weight gradient: KEPT_COLS</td><td>training, kernel larger than 1x1, the batch's im2col matrices within
 *     the memory threshold (16 MiB in Conv2d), and Winograd does not compute the weight gradient</td>
 *     <td>the forward writes col anyway; the weight gradient reads it instead of building it again</td>
 *     <td>not measured alone (one im2col per layer and step fewer)</td></tr>
 * <tr><td>all: WIDE_ROWS (forward: _GROUPED too)</td><td>stride 1 (not a plain 1x1), output rows shorter than
 *     {@link #WIDE_MAX_WOUT}, at most {@link #WIDE_MAX_COUT} output channels</td>
 *     <td>one copy of hout*wp floats per col row instead of one per short output row</td>
 *     <td>LeNet-5 conv2 forward 1.26x, input gradient 1.41x, layer in training 1.21x; smallvgg conv1 0.85x and
 *     resnet20 64-64 8x8 0.91x, hence the limits</td></tr>
 * <tr><td>all: POINTWISE</td><td>1x1, stride 1, padding 0, images not grouped</td>
 *     <td>the image already is its im2col matrix</td><td>not measured (a copy skipped)</td></tr>
 * <tr><td>forward: IM2COL_GROUPED, input gradient: COL2IM_GROUPED, weight gradient: IM2COL with {@link #group} &gt; 1
 *     </td><td>G &gt; 1 images fit one GEMM ({@link #groupSize}); forward only while the group's col stays in L2
 *     ({@link #FORWARD_GROUP_MAX_FLOATS}) or is kept</td><td>a small output plane makes a thin GEMM</td>
 *     <td>LeNet-5 conv2 1.10 / 1.12 / 1.36x (forward / input / weight); resnet20 8x8 64-64 1.00 / 1.25 / 1.14x;
 *     grouped forward of resnet20's 8x8 layers without kept cols 0.92x, hence the L2 limit</td></tr>
 * <tr><td>forward: IM2COL, input gradient: COL2IM, weight gradient: IM2COL</td><td>everything else</td>
 *     <td>one GEMM per image (Chellapilla et al. 2006)</td><td>the baseline</td></tr>
 * <tr><td>weight gradient, orientation</td><td>{@link #transposedWeightGradient}: at least 32 output channels</td>
 *     <td>dWᵀ = col·dyᵀ packs the large col without a transpose</td><td>chosen with ConvBench (the transposing
 *     pack took as long as the arithmetic for smallvgg)</td></tr>
 * </table>
 *
 * <p>Two rules join the passes. Kept im2col matrices serve only a weight gradient that reads them: where the
 * Winograd weight gradient applies nothing would, so none are kept and the forward runs Winograd too (before,
 * resnet20's 64-channel 8x8 layers kept them and ran their forward on im2col; see docs/convolution-plan.md for
 * the measurement); where they are kept, the forward must write them, so it runs im2col instead of Winograd
 * (smallvgg conv1 and LeNet-5, whose shapes Winograd does not take anyway, and layers below 32 output channels).
 * And IMPLICIT_IM2COL and WIDE_ROWS never meet: the first needs at least 32 output channels, the second at
 * most 16, and the weight gradient tries the first before the second.
 *
 * <p>No route depends on the thread count today: the groups of images, and so the bits of y and dx, are fixed
 * by the shape (the weight gradient's sum over chunks does follow the thread count). It is an input so that
 * {@code inspect} and a future rule can see it. Left out: FFT convolution, per-layer autotuning.
 *
 * @param shape         the convolution's geometry, batch included
 * @param threads       the thread count the plan was made for ({@link Parallel#threads()})
 * @param group         images per GEMM in the im2col routes (1 = one image at a time)
 * @param keepCols      whether the forward keeps the batch's im2col matrices ({@link #colsLength} floats) for
 *                      the weight gradient
 */
public record ConvPlan(ConvShape shape, int threads, Forward forward, InputGradient inputGradient,
                       WeightGradient weightGradient, int group, boolean keepCols) {

    /** How the forward pass y = conv(x, W) + b is computed. */
    public enum Forward { SCALAR, WINOGRAD, POINTWISE, IM2COL, IM2COL_GROUPED, WIDE_ROWS, WIDE_ROWS_GROUPED }

    /** How the input gradient dx = convᵀ(dy, W) is computed. */
    public enum InputGradient { SCALAR, WINOGRAD, POINTWISE, COL2IM, COL2IM_GROUPED, WIDE_ROWS }

    /** How the weight gradient dW += Σ dy ⊗ x-patches is computed. */
    public enum WeightGradient { SCALAR, WINOGRAD, IMPLICIT_IM2COL, KEPT_COLS, POINTWISE, IM2COL, WIDE_ROWS }

    public ConvPlan {
        boolean fits = switch (forward) {
            case WINOGRAD -> Winograd.supports(shape) && !keepCols;
            case POINTWISE -> isPointwise(shape) && group == 1;
            case WIDE_ROWS, WIDE_ROWS_GROUPED -> ImplicitIm2col.applies(shape);
            default -> true;
        } && switch (inputGradient) {
            case WINOGRAD -> Winograd.supports(shape);
            case POINTWISE -> isPointwise(shape) && group == 1;
            case WIDE_ROWS -> ImplicitIm2col.applies(shape);
            default -> true;
        } && switch (weightGradient) {
            case WINOGRAD -> Winograd.supports(shape) && !keepCols;
            case IMPLICIT_IM2COL -> ImplicitIm2col.applies(shape) && !keepCols;
            case KEPT_COLS -> keepCols;
            case POINTWISE -> isPointwise(shape) && group == 1 && !keepCols;
            case WIDE_ROWS -> ImplicitIm2col.applies(shape);
            default -> true;
        } && group >= 1 && group <= shape.n() && (!keepCols || weightGradient == WeightGradient.KEPT_COLS);
        if (!fits) {
            throw new IllegalArgumentException("conv plan " + forward + " / " + inputGradient + " / " + weightGradient
                    + " (group " + group + ", keepCols " + keepCols + ") does not fit " + shape);
        }
    }

    /**
     * Switches that take fast routes away from {@link #choose}, for tests and benchmarks that must force one route
     * (e.g. im2col against Winograd on the same shape, grouped against image by image). Each {@code false} removes
     * the routes it names; the plan then takes the next route in the table. Set for the whole process with
     * {@link #setOverride} or passed to {@link #choose} for one plan.
     *
     * @param winograd        WINOGRAD for every pass
     * @param implicitIm2col  IMPLICIT_IM2COL
     * @param wideRows        WIDE_ROWS and WIDE_ROWS_GROUPED
     * @param grouping        the _GROUPED routes: one image per GEMM (group 1)
     * @param keptCols        KEPT_COLS: the forward keeps no im2col matrices
     */
    public record Override(boolean winograd, boolean implicitIm2col, boolean wideRows, boolean grouping, boolean keptCols) {
        /** Every route allowed: the plan as measured best. */
        public static final Override NONE = new Override(true, true, true, true, true);

        public Override withWinograd(boolean on) {
            return new Override(on, implicitIm2col, wideRows, grouping, keptCols);
        }

        public Override withImplicitIm2col(boolean on) {
            return new Override(winograd, on, wideRows, grouping, keptCols);
        }

        public Override withWideRows(boolean on) {
            return new Override(winograd, implicitIm2col, on, grouping, keptCols);
        }

        public Override withGrouping(boolean on) {
            return new Override(winograd, implicitIm2col, wideRows, on, keptCols);
        }

        public Override withKeptCols(boolean on) {
            return new Override(winograd, implicitIm2col, wideRows, grouping, on);
        }

        /**
         * Parses a comma-separated list of routes to switch off, e.g. {@code "winograd,grouping"} (names as the
         * components, case-insensitive; empty: {@link #NONE}). Used by benchmark harnesses that take the
         * override as text.
         */
        public static Override parse(String off) {
            Override o = NONE;
            for (String name : off.split(",")) {
                switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "" -> { }
                    case "winograd" -> o = o.withWinograd(false);
                    case "implicitim2col" -> o = o.withImplicitIm2col(false);
                    case "widerows" -> o = o.withWideRows(false);
                    case "grouping" -> o = o.withGrouping(false);
                    case "keptcols" -> o = o.withKeptCols(false);
                    default -> throw new IllegalArgumentException("unknown conv route '" + name
                            + "' (winograd, implicitIm2col, wideRows, grouping, keptCols)");
                }
            }
            return o;
        }
    }

    private static volatile Override override = Override.NONE;

    /** The routes switched off for the whole process ({@link Override#NONE} unless a test or benchmark set it). */
    public static Override override() {
        return override;
    }

    /**
     * Switches routes off for every plan chosen from now on (tests, benchmarks; change it only between steps: a
     * layer's forward and backward use the plan chosen at its forward). Returns the previous override.
     */
    public static Override setOverride(Override o) {
        Override was = override;
        override = java.util.Objects.requireNonNull(o);
        return was;
    }

    /**
     * Below this many output channels the weight gradient is dW = dy · colᵀ (GEMM takes dot products); from it on
     * dWᵀ = col · dyᵀ (the large col is GEMM's A, packed without a transpose), and the Winograd and implicit
     * weight gradients apply. Chosen by ConvBench and JarAB (see the table).
     */
    static final int TRANSPOSED_DW_MIN_COUT = 32;
    /** WIDE_ROWS: from this output width on, im2col copies rows whole (System.arraycopy) anyway. */
    static final int WIDE_MAX_WOUT = 16;
    /** WIDE_ROWS: with more output channels the products (a quarter larger on wide rows) outweigh the copying. */
    static final int WIDE_MAX_COUT = 16;
    /** A group of images sharing one GEMM has up to this many output positions (GEMM columns), see {@link #groupSize}. */
    static final int GROUP_COLUMNS = 512;
    /** At most this many floats in a group's im2col matrix (per thread, 2 MiB). */
    static final long GROUP_MAX_FLOATS = 1L << 19;
    /**
     * The forward multiplies a whole group at once only up to this many floats of col (256 KiB, well inside L2);
     * beyond, image by image (unless the cols are kept: the group is then written out anyway, and one GEMM over
     * it measured 1.04-1.06x on resnet20's 8x8 layers). Measured (ConvPerCore): grouped forward 1.05-1.09x for
     * LeNet's conv2 (60 k floats per group), 0.92x for resnet20's 32- and 64-channel 3x3 convs (150-300 k floats).
     */
    static final long FORWARD_GROUP_MAX_FLOATS = 1L << 16;

    /** The plan for inference (nothing kept) on the current thread count, under the process-wide override. */
    public static ConvPlan of(ConvShape s) {
        return choose(s, Parallel.threads(), false, 0, override);
    }

    /** {@link #choose(ConvShape, int, boolean, long, Override)} under the process-wide {@link #override()}. */
    public static ConvPlan choose(ConvShape s, int threads, boolean training, long keepColsBytes) {
        return choose(s, threads, training, keepColsBytes, override);
    }

    /**
     * The one function that chooses every route (see the table above).
     *
     * @param s             geometry, batch included
     * @param threads       thread count the kernels will run on
     * @param training      whether a weight gradient follows, so the forward may keep its im2col matrices
     * @param keepColsBytes at most this many bytes of kept im2col matrices (Conv2d: 16 MiB); 0 keeps none, and a
     *                      test can pass a large value to reach KEPT_COLS with small tensors
     * @param o             routes switched off ({@link Override#NONE}: none)
     */
    public static ConvPlan choose(ConvShape s, int threads, boolean training, long keepColsBytes, Override o) {
        if (!FastPath.on()) {
            return new ConvPlan(s, threads, Forward.SCALAR, InputGradient.SCALAR, WeightGradient.SCALAR, 1, false);
        }
        int g = o.grouping() ? groupSize(s) : 1;
        boolean winograd = o.winograd() && Winograd.applies(s);
        boolean manyOutputs = s.cout() >= TRANSPOSED_DW_MIN_COUT;
        boolean winogradWeights = winograd && manyOutputs;
        boolean implicit = o.implicitIm2col() && manyOutputs && ImplicitIm2col.applies(s);
        boolean wide = o.wideRows() && ImplicitIm2col.applies(s) && s.wout() < WIDE_MAX_WOUT && s.cout() <= WIDE_MAX_COUT;
        boolean pointwise = isPointwise(s) && g == 1;
        long positions = wide ? ImplicitIm2col.positions(s) : (long) s.hout() * s.wout(); // GEMM columns per image
        long ckk = (long) s.cin() * s.k() * s.k();
        boolean keep = o.keptCols() && training && s.k() > 1 && !winogradWeights
                && 4 * s.n() * ckk * positions <= keepColsBytes;
        boolean wholeGroups = g > 1 && (keep || ckk * g * positions <= FORWARD_GROUP_MAX_FLOATS);

        Forward f = winograd && !keep ? Forward.WINOGRAD
                : wide ? (wholeGroups ? Forward.WIDE_ROWS_GROUPED : Forward.WIDE_ROWS)
                : pointwise ? Forward.POINTWISE
                : wholeGroups ? Forward.IM2COL_GROUPED : Forward.IM2COL;
        InputGradient dx = winograd ? InputGradient.WINOGRAD
                : wide ? InputGradient.WIDE_ROWS
                : pointwise ? InputGradient.POINTWISE
                : g > 1 ? InputGradient.COL2IM_GROUPED : InputGradient.COL2IM;
        WeightGradient dw = keep ? WeightGradient.KEPT_COLS
                : winogradWeights ? WeightGradient.WINOGRAD
                : implicit ? WeightGradient.IMPLICIT_IM2COL
                : wide ? WeightGradient.WIDE_ROWS
                : pointwise ? WeightGradient.POINTWISE
                : WeightGradient.IM2COL;
        boolean grouped = f == Forward.IM2COL_GROUPED || f == Forward.WIDE_ROWS_GROUPED || dx == InputGradient.COL2IM_GROUPED
                || dx == InputGradient.WIDE_ROWS || dw == WeightGradient.IM2COL || dw == WeightGradient.KEPT_COLS
                || dw == WeightGradient.WIDE_ROWS;
        return new ConvPlan(s, threads, f, dx, dw, grouped ? g : 1, keep); // group 1 where no route uses it
    }

    /**
     * Whether the weight gradient's GEMM is transposed, dWᵀ = col · dyᵀ (at least {@link #TRANSPOSED_DW_MIN_COUT}
     * output channels, im2col family routes), or dW = dy · colᵀ.
     */
    public boolean transposedWeightGradient() {
        return switch (weightGradient) {
            case KEPT_COLS, IM2COL, POINTWISE -> shape.cout() >= TRANSPOSED_DW_MIN_COUT;
            case IMPLICIT_IM2COL -> true;
            default -> false;
        };
    }

    /** Whether im2col matrices are written with wide rows of hout*(w + 2 pad) floats (the WIDE_ROWS routes). */
    public boolean wideRows() {
        return forward == Forward.WIDE_ROWS || forward == Forward.WIDE_ROWS_GROUPED;
    }

    /** Output positions per image that a row of col runs over: hout*wout, or hout*(w + 2 pad) on wide rows. */
    int positions() {
        return wideRows() ? ImplicitIm2col.positions(shape) : shape.hout() * shape.wout();
    }

    /** Floats of the kept im2col matrices: n * cin*k*k * {@link #positions}, or 0 when none are kept. */
    public long colsLength() {
        return keepCols ? (long) shape.n() * shape.cin() * shape.k() * shape.k() * positions() : 0;
    }

    /** One line, e.g. {@code forward WINOGRAD, input gradient WINOGRAD, weight gradient WINOGRAD}. */
    public String describe() {
        return "forward " + forward + ", input gradient " + inputGradient + ", weight gradient " + weightGradient
                + (transposedWeightGradient() ? " (transposed)" : "") + (group > 1 ? ", " + group + " images per GEMM" : "")
                + (keepCols ? ", keeps im2col (" + (4 * colsLength() >> 10) + " KiB)" : "");
    }

    /** 1x1, stride 1, no padding: the input image already is the im2col matrix [cin, h*w]. */
    static boolean isPointwise(ConvShape s) {
        return s.k() == 1 && s.stride() == 1 && s.pad() == 0;
    }

    /**
     * How many images share one GEMM: a small output plane makes a thin product (LeNet's conv2: W [16 x 150]
     * times col [150 x 100]) where packing, partial 8 x 32 tiles and call overhead outweigh the arithmetic, so
     * G images are laid side by side, col [cin*k*k, G*hw]. G is the largest power of two (a batch of 64 then
     * splits evenly between threads) with G*hw &lt;= {@link #GROUP_COLUMNS} and the group's col matrix under
     * {@link #GROUP_MAX_FLOATS} floats, and at most n; planes where fewer than 4 images would fit are not grouped
     * (16x16 planes: pairs measured 0.84-0.92x on the input gradient). LeNet-5's conv2 (10x10) G = 4, resnet20's
     * 8x8 layers G = 8, 16x16 and larger 1. Chosen with {@code ConvPerCore}. Depends on the shape only, so the
     * groups (hence the bits of y and dx) do not depend on the thread count.
     */
    static int groupSize(ConvShape s) {
        long hw = (long) s.hout() * s.wout(), colFloats = hw * s.cin() * s.k() * s.k();
        long fit = Math.min(GROUP_COLUMNS / hw, GROUP_MAX_FLOATS / Math.max(1, colFloats));
        if (fit < 4) return 1;
        int g = 1;
        while (2L * g <= Math.min(fit, s.n())) g *= 2;
        return g;
    }
}
