package glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3x3 convolutions (stride 1, padding 1) with fewer multiplications: Winograd's minimal filtering algorithm
 * F(2x2, 3x3), as in Lavin &amp; Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016.
 *
 * <p><b>The idea in one dimension.</b> Two outputs of a 3-tap filter g over four inputs d,
 * {@code y0 = d0 g0 + d1 g1 + d2 g2} and {@code y1 = d1 g0 + d2 g1 + d3 g2}, take 6 multiplications done
 * directly, but only 4 this way: {@code y = Aᵀ [(G g) ⊙ (Bᵀ d)]}, where ⊙ multiplies element by element and
 * <pre>
 *        | 1  0 -1  0 |          | 1    0    0  |
 *   Bᵀ = | 0  1  1  0 |      G = | 1/2  1/2  1/2 |      Aᵀ = | 1  1  1  0 |
 *        | 0 -1  1  0 |          | 1/2 -1/2  1/2 |           | 0  1 -1 -1 |
 *        | 0  1  0 -1 |          | 0    0    1  |
 * </pre>
 * Nested in two dimensions, a 2x2 block of outputs comes from a 4x4 tile d of the input (tiles overlap by
 * 2, stride 2) as {@code Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A}: 16 multiplications instead of 2*2*9 = 36.
 *
 * <p><b>Why 16 matrix products.</b> A convolution layer sums over input channels, and the transforms are
 * linear, so the sum can move inside: for output channel o and tile t,
 * {@code Y[o,t] = Aᵀ [ Σ_c U[o,c] ⊙ V[c,t] ] A} with {@code U[o,c] = G g[o,c] Gᵀ} (weights, 4x4) and
 * {@code V[c,t] = Bᵀ d[c,t] B} (input tile, 4x4). For each of the 16 positions ξ of the 4x4 grid that sum is a
 * matrix product: {@code M[ξ] [cout, T] = U[ξ] [cout, cin] · V[ξ] [cin, T]} over T tiles. So the layer becomes
 * <pre>
 *   U[ξ][o][c] = (G g[o,c] Gᵀ)[ξ]             weight transform   (once per call; cout*cin tiny 3x3 → 4x4)
 *   V[ξ][c][t] = (Bᵀ d[c,t] B)[ξ]             input transform    (adds and subtracts only)
 *   M[ξ]       = U[ξ] · V[ξ]   for ξ = 0..15  16 GEMMs            (where the time goes: 16 instead of 36 per tile)
 *   y block    = Aᵀ M[., o, t] A  (+ bias)    output transform   (adds and subtracts only)
 * </pre>
 * Output blocks at the right and bottom edges of odd-sized images are cropped; the tiles read zeros outside
 * the image (the padding). The input gradient of such a convolution is itself one (of dy with the kernels
 * rotated by 180° and input/output channels swapped), so {@link #backwardInput} reuses the same machinery.
 *
 * <p><b>Work layout.</b> The tile rows of all images of the batch are cut into fixed groups of about
 * {@link #GROUP_TILES} tiles (so scratch memory stays small and in cache); groups are spread over threads with
 * {@link Parallel#forRange}. The groups depend on the shape only, so results are bit-identical run to run and
 * for any thread count. The input and output transforms are vectorized across the tiles of a tile row: lane i
 * holds tile tx0+i. Tiles overlap with stride 2, so the input is first split into its even and odd columns
 * (a two-vector {@code selectFrom}), and the output blocks are interleaved back the same way. Narrow images
 * (at most L/2 tiles per row, e.g. resnet20's 16x16 and 8x8 maps with AVX-512) put several tile rows in one
 * vector instead of leaving lanes idle ({@code transformInputPacked}, {@code transformOutputPacked}; same sums,
 * same bits): one core, batch 64, forward + input gradient of a 64-channel 8x8 layer 4.3 to 3.4 ms, 32-channel
 * 16x16 4.2 to 3.9 ms (quiet machine, CPU time).
 *
 * <p><b>Accuracy.</b> The transforms add and subtract up to 4 values before the products (Bᵀ d B), up to 9
 * after them (Aᵀ M A), and G holds halves, so the rounding error is a few times that of the direct sum (Lavin
 * &amp; Gray; larger tiles such as F(4x4, 3x3) grow it much more, which is why this stays at F(2x2, 3x3)).
 *
 * <p>The weight gradient is the adjoint of the same algorithm ({@link #backwardWeight}).
 *
 * <p>Left out: other kernel sizes, strides, paddings (use {@link Conv}), larger tiles F(4x4, 3x3), FFT
 * convolution.
 */
public final class Winograd {
    private Winograd() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    private static final int L = S.length();

    /**
     * Tiles per group, the n of each of the 16 GEMMs. Scratch per thread is 16 * (cin + cout) * GROUP_TILES
     * floats (1 MiB for 32 + 32 channels). 64, 128, 256 and 512 measured the same within the noise of a shared
     * machine (WinogradPerCore); 256 keeps the GEMMs' n a multiple of the 32-column register tile for 32x32 and
     * 16x16 images.
     */
    static final int GROUP_TILES = 256;
    /** Groups are made at least this many when there are enough tile rows (work for every thread). */
    static final int MIN_GROUPS = 4;
    /** One cache line of floats: padding of the rows and planes of the scratch matrices (see run). */
    private static final int PAD = 16;
    /**
     * Dispatch threshold (WinogradPerCore, CPU time, batch 64, 32x32 images): with 8 input and 8 output channels
     * Winograd was 1.1 to 1.4x as fast as im2col forward and 1.25 to 2.6x for the input gradient; with 3 or 4
     * input channels only 0.5 to 0.7x (16 GEMMs with k = 3 or m = 3 are too thin), so both counts must reach 8.
     */
    static final int MIN_CHANNELS = 8;

    /** Lane i of EVEN / ODD picks element 2i / 2i+1 of two concatenated vectors (for selectFrom). */
    static final FloatVector EVEN = lanes(i -> 2 * i), ODD = lanes(i -> 2 * i + 1);
    /** Lane i of UP / DOWN picks element L-1+i / 1+i of two concatenated vectors: the second moved one lane up / the first one lane down. */
    private static final FloatVector UP = lanes(i -> L - 1 + i), DOWN = lanes(i -> 1 + i);
    /** Interleave two vectors a, b: LOW gives a0 b0 a1 b1 .. , HIGH the same from the middle on. */
    static final FloatVector LOW = lanes(i -> (i % 2) * L + i / 2), HIGH = lanes(i -> (i % 2) * L + L / 2 + i / 2);

    /** Per-thread scratch, grown on demand and reused across calls (no allocation in steady state). */
    private static final class Scratch {
        float[] u = new float[0];    // weight transform U [16][outC][inC] (used by the calling thread)
        float[] v = new float[0];    // input transform  V [16][inC][ldT], planes vPlane apart
        float[] m = new float[0];    // products         M [16][outC][ldT], planes mPlane apart
        float[] rows = new float[0]; // 4 padded input rows of one tile row, each [2*tw + 2 + 2L]
        float[] tmp = new float[16 * L]; // 16 vectors between the two passes of a transform
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** True for the geometry this class computes: 3x3 kernel, stride 1, padding 1 (output size = input size). */
    public static boolean supports(ConvShape s) {
        return s.k() == 3 && s.stride() == 1 && s.pad() == 1;
    }

    /**
     * True when {@link Conv} should use Winograd for this shape: {@link #supports} it, and both channel counts
     * are at least {@link #MIN_CHANNELS} (measured: with fewer, im2col + one GEMM is faster).
     */
    public static boolean applies(ConvShape s) {
        return supports(s) && s.cin() >= MIN_CHANNELS && s.cout() >= MIN_CHANNELS;
    }

    /**
     * y = conv(x, weight) + bias, y overwritten, bias may be null: the same result as
     * {@link Conv#forward(ConvShape, float[], float[], float[], float[])} up to float rounding.
     * x [n, cin, h, w], weight [cout, cin, 3, 3], bias [cout], y [n, cout, h, w].
     *
     * @throws IllegalArgumentException if the shape is not 3x3 / stride 1 / padding 1, or an array is too short
     */
    public static void forward(ConvShape s, float[] x, float[] weight, float[] bias, float[] y) {
        check("winograd", s);
        require("winograd", s, "x", x, (long) s.n() * s.cin() * s.h() * s.w());
        require("winograd", s, "weight", weight, (long) s.cout() * s.cin() * 9);
        require("winograd", s, "y", y, (long) s.n() * s.cout() * s.h() * s.w());
        if (bias != null) require("winograd", s, "bias", bias, s.cout());
        if (!FastPath.on()) {
            Conv.forwardScalar(s, x, weight, bias, y);
            return;
        }
        Scratch mine = SCRATCH.get();
        float[] u = mine.u = grow(mine.u, 16 * s.cout() * s.cin());
        transformWeights(weight, s.cout(), s.cin(), false, u);
        run(s.n(), s.cin(), s.cout(), s.h(), s.w(), x, u, bias, y);
    }

    /**
     * The weight transform of {@link #forward} ({@code rotate} false) or of {@link #backwardInput} ({@code rotate}
     * true) on its own: {@code U [16][outC][inC]}, for a caller that runs many passes on the same weights (an
     * attack's frozen model copies, {@code Conv2d.setFrozenWeights}) and hands it to {@link #forwardTransformed} /
     * {@link #backwardInputTransformed}. weight [cout, cin, 3, 3].
     */
    public static float[] transformedWeights(float[] weight, int cout, int cin, boolean rotate) {
        float[] u = new float[16 * cout * cin];
        transformWeights(weight, cout, cin, rotate, u);
        return u;
    }

    /**
     * {@link #forward} with the weights already transformed ({@link #transformedWeights}, {@code rotate} false): the
     * same bits. {@code weight} is still passed for the scalar path ({@link FastPath} off).
     */
    public static void forwardTransformed(ConvShape s, float[] x, float[] weight, float[] u, float[] bias, float[] y) {
        check("winograd", s);
        require("winograd", s, "x", x, (long) s.n() * s.cin() * s.h() * s.w());
        require("winograd", s, "u", u, 16L * s.cout() * s.cin());
        require("winograd", s, "y", y, (long) s.n() * s.cout() * s.h() * s.w());
        if (bias != null) require("winograd", s, "bias", bias, s.cout());
        if (!FastPath.on()) {
            Conv.forwardScalar(s, x, weight, bias, y);
            return;
        }
        run(s.n(), s.cin(), s.cout(), s.h(), s.w(), x, u, bias, y);
    }

    /** {@link #backwardInput} with the weights already transformed ({@link #transformedWeights}, {@code rotate} true): the same bits. */
    public static void backwardInputTransformed(ConvShape s, float[] dy, float[] weight, float[] u, float[] dx) {
        check("winograd", s);
        require("winograd", s, "dy", dy, (long) s.n() * s.cout() * s.h() * s.w());
        require("winograd", s, "u", u, 16L * s.cout() * s.cin());
        require("winograd", s, "dx", dx, (long) s.n() * s.cin() * s.h() * s.w());
        if (!FastPath.on()) {
            Conv.backwardInputScalar(s, dy, weight, dx);
            return;
        }
        run(s.n(), s.cout(), s.cin(), s.h(), s.w(), dy, u, null, dx);
    }

    /**
     * dx = dL/dx from dy, dx overwritten: the same result as
     * {@link Conv#backwardInput(ConvShape, float[], float[], float[])} up to float rounding. For a 3x3 kernel
     * with stride 1 and padding 1, {@code dx[c, i, j] = Σ_o Σ_ky,kx dy[o, i+1-ky, j+1-kx] w[o, c, ky, kx]}, that is
     * a convolution of dy (cout channels in) with {@code w'[c, o, ky, kx] = w[o, c, 2-ky, 2-kx]} (cin channels out),
     * again padding 1. dy [n, cout, h, w], weight [cout, cin, 3, 3], dx [n, cin, h, w].
     */
    public static void backwardInput(ConvShape s, float[] dy, float[] weight, float[] dx) {
        check("winograd", s);
        require("winograd", s, "dy", dy, (long) s.n() * s.cout() * s.h() * s.w());
        require("winograd", s, "weight", weight, (long) s.cout() * s.cin() * 9);
        require("winograd", s, "dx", dx, (long) s.n() * s.cin() * s.h() * s.w());
        if (!FastPath.on()) {
            Conv.backwardInputScalar(s, dy, weight, dx);
            return;
        }
        Scratch mine = SCRATCH.get();
        float[] u = mine.u = grow(mine.u, 16 * s.cout() * s.cin());
        transformWeights(weight, s.cout(), s.cin(), true, u);
        run(s.n(), s.cout(), s.cin(), s.h(), s.w(), dy, u, null, dx);
    }

    /**
     * dw += dL/dweight, db += dL/dbias (db may be null), accumulated: the same result as
     * {@link Conv#backwardWeight(ConvShape, float[], float[], float[], float[])} up to float rounding.
     *
     * <p>The adjoint of the forward pass. Per tile, {@code Y = Aᵀ [(G g Gᵀ) ⊙ V] A} is linear in the kernel g, so
     * {@code dL/dg = Gᵀ [(A dY Aᵀ) ⊙ V] G}, summed over tiles: V is the forward's input transform, A dY Aᵀ
     * spreads a 2x2 block of dy over the 4x4 grid, and the sum over tiles is, for each ξ, a matrix product
     * {@code M[ξ] [cin, cout] = V[ξ] [cin, T] · P[ξ] [T, cout]} with {@code P[ξ][t][o] = (A dY[o,t] Aᵀ)[ξ]}.
     * Then {@code dw[o, c] += Gᵀ M[., c, o] G}. 16 multiply-adds per tile and channel pair instead of 36.
     * P is laid out tile-major (t, then o) so that its products need no transposing pack; it is computed with
     * L output channels per vector, from dy turned pixel-major one pair of rows at a time ({@link Transpose}).
     */
    public static void backwardWeight(ConvShape s, float[] x, float[] dy, float[] dw, float[] db) {
        check("winograd", s);
        require("winograd", s, "x", x, (long) s.n() * s.cin() * s.h() * s.w());
        require("winograd", s, "dy", dy, (long) s.n() * s.cout() * s.h() * s.w());
        require("winograd", s, "dw", dw, (long) s.cout() * s.cin() * 9);
        if (db != null) require("winograd", s, "db", db, s.cout());
        if (!FastPath.on()) {
            Conv.backwardWeightScalar(s, x, dy, dw, db);
            return;
        }
        int n = s.n(), cin = s.cin(), cout = s.cout(), h = s.h(), w = s.w();
        int coutV = Math.ceilDiv(cout, L) * L; // P's channels rounded up to whole vectors (zeros past cout)
        Groups gr = Groups.of(n, h, w);
        int tw = gr.tw(), groups = gr.count(), ldT = gr.ldT(), vPlane = cin * ldT + PAD;
        int pPlane = gr.rows() * tw * coutV + PAD; // P [tiles, coutV] per ξ
        int mLen = 16 * cin * coutV;
        int chunks = Parallel.chunks(groups);
        float[][] partial = partials(chunks, mLen); // M of each chunk, summed in chunk order below
        // zeroed here, not in the chunks: nested inside another parallel loop, forRange runs only chunk 0
        for (float[] part : partial) java.util.Arrays.fill(part, 0, mLen, 0f);
        int[][] vRows = new int[16][cin]; // where row c of V[ξ] starts: GEMM reads V in place, unpacked
        for (int xi = 0; xi < 16; xi++) for (int c = 0; c < cin; c++) vRows[xi][c] = xi * vPlane + c * ldT;
        Parallel.forRange(groups, (chunk, g0, g1) -> {
            Scratch sc = SCRATCH.get();
            float[] v = sc.v = grow(sc.v, 16 * vPlane), p = sc.m = grow(sc.m, 16 * pPlane); // P in M's buffer
            float[] rows = sc.rows = grow(sc.rows, Math.max(rowsLength(tw), 2 * (w + 1) * coutV));
            float[] m = partial[chunk];
            for (int g = g0; g < g1; g++) {
                int r0 = gr.first(g), r1 = gr.first(g + 1), tiles = (r1 - r0) * tw;
                transformInput(x, cin, h, w, r0, r1, v, ldT, vPlane, rows, sc.tmp);
                transformGradient(dy, cout, coutV, h, w, r0, r1, p, pPlane, rows);
                for (int xi = 0; xi < 16; xi++) { // M[ξ] [cin, coutV] += V[ξ] [cin, tiles] · P[ξ] [tiles, coutV]
                    Gemm.gemmRowsA(cin, coutV, tiles, v, vRows[xi], p, xi * pPlane, coutV, m, xi * cin * coutV, coutV, true);
                }
            }
        });
        float[] sum = partial[0];
        for (int c = 1; c < chunks; c++) Vec.axpy(1f, partial[c], 0, sum, 0, mLen); // chunk order: deterministic
        float[] t = new float[16], gt = new float[12];
        for (int o = 0; o < cout; o++)
            for (int c = 0; c < cin; c++) { // dw[o, c] += Gᵀ M G, M = the 4x4 grid of (c, o)
                for (int xi = 0; xi < 16; xi++) t[xi] = sum[(xi * cin + c) * coutV + o];
                for (int col = 0; col < 4; col++) { // Gᵀ M: rows M0 + (M1 + M2)/2, (M1 - M2)/2, (M1 + M2)/2 + M3
                    float m0 = t[col], m1 = t[4 + col], m2 = t[8 + col], m3 = t[12 + col];
                    gt[col] = m0 + 0.5f * (m1 + m2);
                    gt[4 + col] = 0.5f * (m1 - m2);
                    gt[8 + col] = 0.5f * (m1 + m2) + m3;
                }
                int dst = (o * cin + c) * 9;
                for (int row = 0; row < 3; row++) { // (Gᵀ M) G: the same along each row
                    float a = gt[4 * row], b = gt[4 * row + 1], cc = gt[4 * row + 2], d = gt[4 * row + 3];
                    dw[dst + 3 * row] += a + 0.5f * (b + cc);
                    dw[dst + 3 * row + 1] += 0.5f * (b - cc);
                    dw[dst + 3 * row + 2] += 0.5f * (b + cc) + d;
                }
            }
        if (db != null) {
            int hw = h * w;
            for (int i = 0; i < n; i++)
                for (int o = 0; o < cout; o++) db[o] += Vec.sum(dy, (i * cout + o) * hw, hw);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // The algorithm, for a convolution with inC input and outC output channels (forward: cin, cout;
    // input gradient: cout, cin).

    /**
     * out [n, outC, h, w] = conv3x3(in [n, inC, h, w]) with the transformed weights u [16][outC][inC], + bias.
     * The batch's tile rows are cut into {@link Groups}; each group is transformed, multiplied and transformed back
     * on its own.
     */
    private static void run(int n, int inC, int outC, int h, int w, float[] in, float[] u, float[] bias, float[] out) {
        Groups gr = Groups.of(n, h, w);
        int tw = gr.tw(), groups = gr.count(), ldT = gr.ldT(), vPlane = inC * ldT + PAD, mPlane = outC * ldT + PAD;
        Parallel.forRange(groups, (chunk, g0, g1) -> {
            Scratch sc = SCRATCH.get();
            float[] v = sc.v = grow(sc.v, 16 * vPlane), m = sc.m = grow(sc.m, 16 * mPlane + L); // + L: the last vector of a row may read past it
            float[] rows = sc.rows = grow(sc.rows, rowsLength(tw));
            for (int g = g0; g < g1; g++) {
                int r0 = gr.first(g), r1 = gr.first(g + 1), tiles = (r1 - r0) * tw;
                transformInput(in, inC, h, w, r0, r1, v, ldT, vPlane, rows, sc.tmp);
                for (int xi = 0; xi < 16; xi++) { // M[ξ] [outC, tiles] = U[ξ] [outC, inC] · V[ξ] [inC, tiles]
                    Gemm.gemm(false, false, outC, tiles, inC, u, xi * outC * inC, inC,
                            v, xi * vPlane, ldT, m, xi * mPlane, ldT, false);
                }
                transformOutput(m, outC, ldT, mPlane, h, w, r0, r1, bias, out, sc.tmp);
            }
        });
    }

    /**
     * The batch's tile rows (th = ceil(h/2) per image, tw = ceil(w/2) tiles each) cut into {@code count} groups of
     * {@code rows} tile rows (about {@link #GROUP_TILES} tiles, at least {@link #MIN_GROUPS} groups when there are
     * enough rows); a group's scratch matrices have rows {@code ldT} floats apart. Depends on the shape only.
     */
    private record Groups(int tw, int tileRows, int rows, int count) {
        static Groups of(int n, int h, int w) {
            int tw = (w + 1) / 2, tileRows = n * ((h + 1) / 2);
            int rows = Math.max(1, Math.min(GROUP_TILES / tw, Math.ceilDiv(tileRows, MIN_GROUPS)));
            return new Groups(tw, tileRows, rows, Math.ceilDiv(tileRows, rows));
        }

        /** First tile row of group g (g = count: the end). */
        int first(int g) {
            return Math.min(tileRows, g * rows);
        }

        /**
         * Row stride of V, M and P: one cache line (PAD floats) more than the tiles need, and their 16 planes
         * are padded the same way. Without it rows and planes lie a multiple of 4 KiB apart, so the 16 planes
         * that the transforms write and read together all fall into the same L1 cache set and evict each other.
         */
        int ldT() {
            return rows * tw + PAD;
        }
    }

    /**
     * u[ξ][o][c] = (G g Gᵀ)[ξ] for every kernel g = weight[o, c] ([cout, cin, 3, 3]), ξ = 4*row + column.
     * With {@code rotate} the kernels are turned by 180° and the roles swapped: u[ξ][c][o] from
     * weight[o, c, 2-ky, 2-kx] (the input gradient's convolution).
     */
    static void transformWeights(float[] weight, int cout, int cin, boolean rotate, float[] u) {
        int outC = rotate ? cin : cout, inC = rotate ? cout : cin, plane = outC * inC;
        float[] g = new float[9], gg = new float[12]; // g 3x3, G g 4x3 (tiny, per call)
        for (int o = 0; o < cout; o++)
            for (int c = 0; c < cin; c++) {
                int src = (o * cin + c) * 9;
                for (int i = 0; i < 9; i++) g[i] = weight[src + (rotate ? 8 - i : i)];
                for (int col = 0; col < 3; col++) { // G g: G times each column (g0, g1, g2) of g
                    float g0 = g[col], g1 = g[3 + col], g2 = g[6 + col];
                    gg[col] = g0;
                    gg[3 + col] = 0.5f * (g0 + g1 + g2);
                    gg[6 + col] = 0.5f * (g0 - g1 + g2);
                    gg[9 + col] = g2;
                }
                int dst = rotate ? c * inC + o : o * inC + c; // [outC][inC] position of this kernel
                for (int row = 0; row < 4; row++) { // (G g) Gᵀ: G times each row of G g
                    float g0 = gg[3 * row], g1 = gg[3 * row + 1], g2 = gg[3 * row + 2];
                    u[(4 * row) * plane + dst] = g0;
                    u[(4 * row + 1) * plane + dst] = 0.5f * (g0 + g1 + g2);
                    u[(4 * row + 2) * plane + dst] = 0.5f * (g0 - g1 + g2);
                    u[(4 * row + 3) * plane + dst] = g2;
                }
            }
    }

    /** Floats of the input transform's row buffer: 4 padded rows, or the packed path's 4 pairs of lines of 2L. */
    private static int rowsLength(int tw) {
        return Math.max(4 * rowLength(tw), 16 * L);
    }

    /** One padded input row: a zero, the w pixels, zeros up to 2*tw + 2, and room for the last vector loads. */
    private static int rowLength(int tw) {
        return 2 * tw + 2 + 2 * L;
    }

    /**
     * V[ξ][c][t] = (Bᵀ d B)[ξ] for the tiles t of tile rows r0..r1-1 (tile t = (r - r0) * tw + tx), every
     * channel c. Tile (ty, tx) of an image is d = in[c, 2ty-1 .. 2ty+2, 2tx-1 .. 2tx+2], zero outside.
     * Vectorized over tx: lane i works on tile tx0 + i.
     */
    private static void transformInput(float[] in, int inC, int h, int w, int r0, int r1, float[] v, int ldT, int vPlane,
                                       float[] rows, float[] tmp) {
        int th = (h + 1) / 2, tw = (w + 1) / 2, rowLen = rowLength(tw);
        if (2 * tw <= L) {
            transformInputPacked(in, inC, h, w, r0, r1, v, ldT, vPlane, rows, tmp);
            return;
        }
        if (w % (2 * L) == 0) {
            transformInputAligned(in, inC, h, w, r0, r1, v, ldT, vPlane, tmp);
            return;
        }
        java.util.Arrays.fill(rows, 0, 4 * rowLen, 0f); // the padding columns, written once: the copies below never reach them
        for (int c = 0; c < inC; c++)
            for (int r = r0; r < r1; r++) {
                int img = r / th, ty = r % th, plane = (img * inC + c) * h * w, t0 = (r - r0) * tw;
                for (int k = 0; k < 4; k++) { // padded copy p of input row iy: p[i] = in[c, iy, i-1]
                    int iy = 2 * ty - 1 + k, p = k * rowLen;
                    if (iy >= 0 && iy < h) System.arraycopy(in, plane + iy * w, rows, p + 1, w);
                    else java.util.Arrays.fill(rows, p + 1, p + 1 + w, 0f);
                }
                for (int tx0 = 0; tx0 < tw; tx0 += L) {
                    // row pass, d B: tile row k holds d_k0..d_k3 = p[2tx], p[2tx+1], p[2tx+2], p[2tx+3]
                    for (int k = 0; k < 4; k++) {
                        int p = k * rowLen + 2 * tx0;
                        FloatVector a = FloatVector.fromArray(S, rows, p), b = FloatVector.fromArray(S, rows, p + L);
                        FloatVector a2 = FloatVector.fromArray(S, rows, p + 2), b2 = FloatVector.fromArray(S, rows, p + 2 + L);
                        FloatVector d0 = EVEN.selectFrom(a, b), d1 = ODD.selectFrom(a, b);
                        FloatVector d2 = EVEN.selectFrom(a2, b2), d3 = ODD.selectFrom(a2, b2);
                        d0.sub(d2).intoArray(tmp, (4 * k) * L);     // (d B)_k0 = d0 - d2
                        d1.add(d2).intoArray(tmp, (4 * k + 1) * L); // (d B)_k1 = d1 + d2
                        d2.sub(d1).intoArray(tmp, (4 * k + 2) * L); // (d B)_k2 = d2 - d1
                        d1.sub(d3).intoArray(tmp, (4 * k + 3) * L); // (d B)_k3 = d1 - d3
                    }
                    // column pass, Bᵀ (d B): the same combination down each column j
                    VectorMask<Float> inside = S.indexInRange(tx0, tw);
                    int dst = c * ldT + t0 + tx0; // V[ξ][c][t] at ξ * vPlane + dst
                    for (int j = 0; j < 4; j++) {
                        FloatVector e0 = FloatVector.fromArray(S, tmp, j * L), e1 = FloatVector.fromArray(S, tmp, (4 + j) * L);
                        FloatVector e2 = FloatVector.fromArray(S, tmp, (8 + j) * L), e3 = FloatVector.fromArray(S, tmp, (12 + j) * L);
                        e0.sub(e2).intoArray(v, j * vPlane + dst, inside);
                        e1.add(e2).intoArray(v, (4 + j) * vPlane + dst, inside);
                        e2.sub(e1).intoArray(v, (8 + j) * vPlane + dst, inside);
                        e1.sub(e3).intoArray(v, (12 + j) * vPlane + dst, inside);
                    }
                }
            }
    }

    /**
     * {@link #transformInput} for rows of whole pairs of vectors (w a multiple of 2L: 32-wide images with AVX-512),
     * read in place without the padded copy: for the 2L pixels e = in[2 tx0 ..] of a block of L tiles, the even and
     * odd pixels are d_1 and d_2 of each tile, d_0 is the odd ones moved one lane up (the pixel left of the block,
     * or the zero padding, coming in) and d_3 the even ones moved one lane down (the pixel right of the block, or
     * zero). The same values as the padded rows, so the same bits.
     */
    private static void transformInputAligned(float[] in, int inC, int h, int w, int r0, int r1, float[] v, int ldT, int vPlane,
                                              float[] tmp) {
        int th = (h + 1) / 2, tw = w / 2;
        FloatVector zero = FloatVector.zero(S);
        for (int c = 0; c < inC; c++)
            for (int r = r0; r < r1; r++) {
                int img = r / th, ty = r % th, plane = (img * inC + c) * h * w, t0 = (r - r0) * tw;
                for (int tx0 = 0; tx0 < tw; tx0 += L) {
                    for (int k = 0; k < 4; k++) { // row pass, d B, as in transformInput
                        int iy = 2 * ty - 1 + k;
                        FloatVector d0 = zero, d1 = zero, d2 = zero, d3 = zero;
                        if (iy >= 0 && iy < h) {
                            int at = plane + iy * w + 2 * tx0; // pixel 2 tx0 of row iy
                            FloatVector x0 = FloatVector.fromArray(S, in, at), x1 = FloatVector.fromArray(S, in, at + L);
                            FloatVector left = tx0 == 0 ? zero : FloatVector.broadcast(S, in[at - 1]);
                            FloatVector right = 2 * tx0 + 2 * L < w ? FloatVector.broadcast(S, in[at + 2 * L]) : zero;
                            d1 = EVEN.selectFrom(x0, x1);
                            d2 = ODD.selectFrom(x0, x1);
                            d0 = UP.selectFrom(left, d2);
                            d3 = DOWN.selectFrom(d1, right);
                        }
                        d0.sub(d2).intoArray(tmp, (4 * k) * L);
                        d1.add(d2).intoArray(tmp, (4 * k + 1) * L);
                        d2.sub(d1).intoArray(tmp, (4 * k + 2) * L);
                        d1.sub(d3).intoArray(tmp, (4 * k + 3) * L);
                    }
                    int dst = c * ldT + t0 + tx0; // column pass, Bᵀ (d B); whole vectors (tw is a multiple of L)
                    for (int j = 0; j < 4; j++) {
                        FloatVector e0 = FloatVector.fromArray(S, tmp, j * L), e1 = FloatVector.fromArray(S, tmp, (4 + j) * L);
                        FloatVector e2 = FloatVector.fromArray(S, tmp, (8 + j) * L), e3 = FloatVector.fromArray(S, tmp, (12 + j) * L);
                        e0.sub(e2).intoArray(v, j * vPlane + dst);
                        e1.add(e2).intoArray(v, (4 + j) * vPlane + dst);
                        e2.sub(e1).intoArray(v, (8 + j) * vPlane + dst);
                        e1.sub(e3).intoArray(v, (12 + j) * vPlane + dst);
                    }
                }
            }
    }

    /**
     * {@link #transformInput} for narrow images (tw &lt;= L/2 tiles per tile row): lane i works on tile i % tw of
     * tile row r + i / tw, so one vector holds {@code L / tw} tile rows (resnet20's 16x16 maps: 2, 8x8 maps: 4)
     * instead of one row with the other lanes idle, and V is written with whole vectors. The four input rows of
     * each tile row go into lines A_k (padded row from column 0) and B_k (from column 2), one segment of 2 tw
     * floats per tile row, so that the even / odd split of A_k gives d_k0, d_k1 and of B_k gives d_k2, d_k3 of
     * every lane's tile. The same sums as {@link #transformInput}, so the same bits.
     */
    private static void transformInputPacked(float[] in, int inC, int h, int w, int r0, int r1, float[] v, int ldT, int vPlane,
                                             float[] rows, float[] tmp) {
        int th = (h + 1) / 2, tw = (w + 1) / 2, span = 2 * tw, seg = L / tw; // tile rows per vector
        int headA = Math.min(w, span - 1), tailB = w - 1; // pixels of a row in its A and B segment
        java.util.Arrays.fill(rows, 0, 16 * L, 0f); // the padding and the lanes past seg * tw: the copies never reach them
        for (int c = 0; c < inC; c++)
            for (int r = r0; r < r1; r += seg) {
                int count = Math.min(seg, r1 - r);
                for (int k = 0; k < 4; k++) {
                    int lineA = 4 * k * L, lineB = lineA + 2 * L; // A_k [2L], B_k [2L]
                    for (int s = 0; s < seg; s++) {
                        int a = lineA + s * span, b = lineB + s * span;
                        int img = (r + s) / th, iy = 2 * ((r + s) % th) - 1 + k;
                        if (s >= count || iy < 0 || iy >= h) { // past the group, or the padding above / below
                            java.util.Arrays.fill(rows, a, a + span, 0f);
                            java.util.Arrays.fill(rows, b, b + span, 0f);
                            continue;
                        }
                        int src = ((img * inC + c) * h + iy) * w; // the padding around stays zero (filled above)
                        System.arraycopy(in, src, rows, a + 1, headA); // p[1 .. 2tw) = in[0 .. 2tw-1)
                        System.arraycopy(in, src + 1, rows, b, tailB); // p[2 .. 2tw+2) = in[1 .. w), then zeros
                    }
                    FloatVector a0 = FloatVector.fromArray(S, rows, lineA), a1 = FloatVector.fromArray(S, rows, lineA + L);
                    FloatVector b0 = FloatVector.fromArray(S, rows, lineB), b1 = FloatVector.fromArray(S, rows, lineB + L);
                    FloatVector d0 = EVEN.selectFrom(a0, a1), d1 = ODD.selectFrom(a0, a1);
                    FloatVector d2 = EVEN.selectFrom(b0, b1), d3 = ODD.selectFrom(b0, b1);
                    d0.sub(d2).intoArray(tmp, (4 * k) * L);
                    d1.add(d2).intoArray(tmp, (4 * k + 1) * L);
                    d2.sub(d1).intoArray(tmp, (4 * k + 2) * L);
                    d1.sub(d3).intoArray(tmp, (4 * k + 3) * L);
                }
                int dst = c * ldT + (r - r0) * tw, lanes = count * tw;
                for (int j = 0; j < 4; j++) {
                    FloatVector e0 = FloatVector.fromArray(S, tmp, j * L), e1 = FloatVector.fromArray(S, tmp, (4 + j) * L);
                    FloatVector e2 = FloatVector.fromArray(S, tmp, (8 + j) * L), e3 = FloatVector.fromArray(S, tmp, (12 + j) * L);
                    if (lanes == L) {
                        e0.sub(e2).intoArray(v, j * vPlane + dst);
                        e1.add(e2).intoArray(v, (4 + j) * vPlane + dst);
                        e2.sub(e1).intoArray(v, (8 + j) * vPlane + dst);
                        e1.sub(e3).intoArray(v, (12 + j) * vPlane + dst);
                    } else {
                        VectorMask<Float> inside = S.indexInRange(0, lanes);
                        e0.sub(e2).intoArray(v, j * vPlane + dst, inside);
                        e1.add(e2).intoArray(v, (4 + j) * vPlane + dst, inside);
                        e2.sub(e1).intoArray(v, (8 + j) * vPlane + dst, inside);
                        e1.sub(e3).intoArray(v, (12 + j) * vPlane + dst, inside);
                    }
                }
            }
    }

    /**
     * P[ξ][t][o] = (A dY[o, t] Aᵀ)[ξ] for the tiles t of tile rows r0..r1-1 (t = (r - r0) * tw + tx), where
     * dY[o, t] = dy[img, o, 2ty .. 2ty+1, 2tx .. 2tx+1] (zero past the image) and A = [[1,0],[1,1],[1,-1],[0,-1]]
     * (the transpose of the forward's output transform). Vectorized over output channels: dy's two rows of a
     * tile row are first made pixel-major, buf [2][w+1][coutV] (channels past cout and column w are zero).
     */
    private static void transformGradient(float[] dy, int cout, int coutV, int h, int w, int r0, int r1, float[] p,
                                          int pPlane, float[] buf) {
        int th = (h + 1) / 2, tw = (w + 1) / 2, rowLen = (w + 1) * coutV;
        for (int r = r0; r < r1; r++) {
            int img = r / th, ty = r % th, t0 = (r - r0) * tw;
            java.util.Arrays.fill(buf, 0, 2 * rowLen, 0f);
            for (int k = 0; k < 2 && 2 * ty + k < h; k++) // [cout, w] -> [w, coutV]
                Transpose.transpose(dy, (img * cout * h + 2 * ty + k) * w, h * w, cout, w, buf, k * rowLen, coutV);
            for (int tx = 0; tx < tw; tx++)
                for (int o = 0; o < coutV; o += L) {
                    int a = 2 * tx * coutV + o, b = a + rowLen; // pixel (0, 2tx) and (1, 2tx) of the block
                    FloatVector d00 = FloatVector.fromArray(S, buf, a), d01 = FloatVector.fromArray(S, buf, a + coutV);
                    FloatVector d10 = FloatVector.fromArray(S, buf, b), d11 = FloatVector.fromArray(S, buf, b + coutV);
                    // A dY: rows dY0, dY0 + dY1, dY0 - dY1, -dY1; then each row (u, v) -> (u, u + v, u - v, -v)
                    int dst = (t0 + tx) * coutV + o;
                    spreadRow(d00, d01, p, dst, pPlane, 0);
                    spreadRow(d00.add(d10), d01.add(d11), p, dst, pPlane, 4);
                    spreadRow(d00.sub(d10), d01.sub(d11), p, dst, pPlane, 8);
                    spreadRow(d10.neg(), d11.neg(), p, dst, pPlane, 12);
                }
        }
    }

    /** Row (u, v) of A dY times Aᵀ: (u, u + v, u - v, -v) into P[ξ0 .. ξ0+3] at dst. */
    private static void spreadRow(FloatVector u, FloatVector v, float[] p, int dst, int pPlane, int xi0) {
        u.intoArray(p, xi0 * pPlane + dst);
        u.add(v).intoArray(p, (xi0 + 1) * pPlane + dst);
        u.sub(v).intoArray(p, (xi0 + 2) * pPlane + dst);
        v.neg().intoArray(p, (xi0 + 3) * pPlane + dst);
    }

    /**
     * out[img, o, 2ty .. 2ty+1, 2tx .. 2tx+1] = Aᵀ M[., o, t] A (+ bias[o]) for the tiles of tile rows r0..r1-1,
     * cropped to the image. Vectorized over tx, then each pair of output rows is interleaved back.
     */
    private static void transformOutput(float[] m, int outC, int ldT, int plane, int h, int w, int r0, int r1, float[] bias, float[] out,
                                        float[] tmp) {
        int th = (h + 1) / 2, tw = (w + 1) / 2; // M[ξ][o][t] at ξ * plane + o * ldT + t
        if (2 * tw <= L) {
            transformOutputPacked(m, outC, ldT, plane, h, w, r0, r1, bias, out, tmp);
            return;
        }
        for (int o = 0; o < outC; o++) {
            FloatVector b = FloatVector.broadcast(S, bias == null ? 0f : bias[o]);
            for (int r = r0; r < r1; r++) {
                int img = r / th, ty = r % th, src = o * ldT + (r - r0) * tw;
                int y0 = ((img * outC + o) * h + 2 * ty) * w; // first output row of this tile row
                boolean secondRow = 2 * ty + 1 < h;
                for (int tx0 = 0; tx0 < tw; tx0 += L) {
                    int at = src + tx0;
                    outputColumnPass(m, plane, at, tmp);
                    FloatVector z00 = FloatVector.fromArray(S, tmp, 0), z01 = FloatVector.fromArray(S, tmp, L);
                    FloatVector z02 = FloatVector.fromArray(S, tmp, 2 * L), z03 = FloatVector.fromArray(S, tmp, 3 * L);
                    FloatVector z10 = FloatVector.fromArray(S, tmp, 4 * L), z11 = FloatVector.fromArray(S, tmp, 5 * L);
                    FloatVector z12 = FloatVector.fromArray(S, tmp, 6 * L), z13 = FloatVector.fromArray(S, tmp, 7 * L);
                    // row pass, (Aᵀ M) A: the same combination along each row, then the bias
                    FloatVector y00 = z00.add(z01).add(z02).add(b), y01 = z01.sub(z02).sub(z03).add(b);
                    FloatVector y10 = z10.add(z11).add(z12).add(b), y11 = z11.sub(z12).sub(z13).add(b);
                    // lane i is tile tx0+i; interleave so output column 2(tx0+i) gets y_0 and 2(tx0+i)+1 gets y_1
                    int col = 2 * tx0;
                    VectorMask<Float> lo = S.indexInRange(col, w), hi = S.indexInRange(col + L, w);
                    LOW.selectFrom(y00, y01).intoArray(out, y0 + col, lo);
                    HIGH.selectFrom(y00, y01).intoArray(out, y0 + col + L, hi);
                    if (secondRow) {
                        LOW.selectFrom(y10, y11).intoArray(out, y0 + w + col, lo);
                        HIGH.selectFrom(y10, y11).intoArray(out, y0 + w + col + L, hi);
                    }
                }
            }
        }
    }

    /**
     * The column pass of the output transform, Aᵀ M, for the L tiles from {@code at}: rows 0..3 of each column j
     * become z0j = m0j + m1j + m2j (into tmp[j·L ..]) and z1j = m1j - m2j - m3j (into tmp[(4 + j)·L ..]).
     */
    private static void outputColumnPass(float[] m, int plane, int at, float[] tmp) {
        for (int j = 0; j < 4; j++) {
            FloatVector m0 = FloatVector.fromArray(S, m, j * plane + at), m1 = FloatVector.fromArray(S, m, (4 + j) * plane + at);
            FloatVector m2 = FloatVector.fromArray(S, m, (8 + j) * plane + at), m3 = FloatVector.fromArray(S, m, (12 + j) * plane + at);
            m0.add(m1).add(m2).intoArray(tmp, j * L);
            m1.sub(m2).sub(m3).intoArray(tmp, (4 + j) * L);
        }
    }

    /**
     * {@link #transformOutput} for narrow images (tw &lt;= L/2): lane i is tile i % tw of tile row r + i / tw, as in
     * {@link #transformInputPacked}; each interleaved pair of output rows (2L floats, one segment of 2 tw per tile
     * row) goes through tmp and is copied out row by row, cropped to the image. The same sums, so the same bits.
     */
    private static void transformOutputPacked(float[] m, int outC, int ldT, int plane, int h, int w, int r0, int r1, float[] bias,
                                              float[] out, float[] tmp) {
        int th = (h + 1) / 2, tw = (w + 1) / 2, span = 2 * tw, seg = L / tw;
        int rowsOut = 8 * L; // tmp [8L, 12L): the two interleaved output rows, 2L floats each
        for (int o = 0; o < outC; o++) {
            FloatVector b = FloatVector.broadcast(S, bias == null ? 0f : bias[o]);
            for (int r = r0; r < r1; r += seg) {
                int count = Math.min(seg, r1 - r), at = o * ldT + (r - r0) * tw; // lanes past count * tw: unused
                outputColumnPass(m, plane, at, tmp);
                FloatVector z00 = FloatVector.fromArray(S, tmp, 0), z01 = FloatVector.fromArray(S, tmp, L);
                FloatVector z02 = FloatVector.fromArray(S, tmp, 2 * L), z03 = FloatVector.fromArray(S, tmp, 3 * L);
                FloatVector z10 = FloatVector.fromArray(S, tmp, 4 * L), z11 = FloatVector.fromArray(S, tmp, 5 * L);
                FloatVector z12 = FloatVector.fromArray(S, tmp, 6 * L), z13 = FloatVector.fromArray(S, tmp, 7 * L);
                FloatVector y00 = z00.add(z01).add(z02).add(b), y01 = z01.sub(z02).sub(z03).add(b);
                FloatVector y10 = z10.add(z11).add(z12).add(b), y11 = z11.sub(z12).sub(z13).add(b);
                LOW.selectFrom(y00, y01).intoArray(tmp, rowsOut);
                HIGH.selectFrom(y00, y01).intoArray(tmp, rowsOut + L);
                LOW.selectFrom(y10, y11).intoArray(tmp, rowsOut + 2 * L);
                HIGH.selectFrom(y10, y11).intoArray(tmp, rowsOut + 3 * L);
                for (int s = 0; s < count; s++) {
                    int img = (r + s) / th, ty = (r + s) % th;
                    int y0 = ((img * outC + o) * h + 2 * ty) * w; // first output row of tile row r + s
                    System.arraycopy(tmp, rowsOut + s * span, out, y0, w);
                    if (2 * ty + 1 < h) System.arraycopy(tmp, rowsOut + 2 * L + s * span, out, y0 + w, w);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------

    /** Refuses a geometry other than 3x3, stride 1, padding 1, naming the kernel ({@code winograd}, {@code winograd4}). */
    static void check(String kernel, ConvShape s) {
        if (!supports(s)) {
            throw new IllegalArgumentException(kernel + ": needs a 3x3 kernel, stride 1, padding 1, got " + s);
        }
    }

    /** Refuses an array shorter than len floats, naming the kernel, the array and the shape. */
    static void require(String kernel, ConvShape s, String what, float[] a, long len) {
        if (a == null || a.length < len) {
            throw new IllegalArgumentException(kernel + ": " + what + " has " + (a == null ? "no array" : a.length + " floats")
                    + ", needs " + len + " for " + s);
        }
    }

    /** Per-caller partial sums of {@link #backwardWeight}, one row per chunk (filled by the workers), reused. */
    private static final ThreadLocal<float[][]> PARTIALS = ThreadLocal.withInitial(() -> new float[0][]);

    private static float[][] partials(int chunks, int len) {
        float[][] p = PARTIALS.get();
        if (p.length != chunks || p[0].length < len) {
            p = new float[chunks][len];
            PARTIALS.set(p);
        }
        return p;
    }

    static float[] grow(float[] buf, int len) {
        return buf.length >= len ? buf : new float[len];
    }

    static FloatVector lanes(java.util.function.IntUnaryOperator index) {
        float[] f = new float[L];
        for (int i = 0; i < L; i++) f[i] = index.applyAsInt(i);
        return FloatVector.fromArray(S, f, 0);
    }
}
