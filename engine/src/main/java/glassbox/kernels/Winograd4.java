package glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3x3 convolutions (stride 1, padding 1) with Winograd's larger tile F(4x4, 3x3): a 4x4 block of outputs from a 6x6
 * input tile with 36 multiplications instead of 4*4*9 = 144, against 16 for 2*2*9 = 36 with {@link Winograd}'s
 * F(2x2, 3x3). Per output that is 2.25 multiplications instead of 4 (and 9 done directly), and the transformed
 * input the products read is 2.25 floats per output instead of 4.
 *
 * <p>The same algorithm as {@link Winograd} (read its comment first), with 6x6 transforms from Lavin &amp; Gray
 * (interpolation points 0, ±1, ±2 and ∞):
 * <pre>
 *        | 4  0 -5  0  1  0 |          | 1/4    0     0   |
 *        | 0 -4 -4  1  1  0 |          | -1/6 -1/6  -1/6  |          | 1  1  1  1  1  0 |
 *   Bᵀ = | 0  4 -4 -1  1  0 |      G = | -1/6  1/6  -1/6  |     Aᵀ = | 0  1 -1  2 -2  0 |
 *        | 0 -2 -1  2  1  0 |          | 1/24  1/12  1/6  |          | 0  1  1  4  4  0 |
 *        | 0  2 -1 -2  1  0 |          | 1/24 -1/12  1/6  |          | 0  1 -1  8 -8  1 |
 *        | 0  4  0 -5  0  1 |          | 0     0     1    |
 * </pre>
 * {@code Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A}, and over the channels of a layer 36 matrix products
 * {@code M[ξ] = U[ξ] · V[ξ]}, ξ = 6*row + column.
 *
 * <p><b>The price: rounding.</b> The transforms multiply by up to 5 and 8 and G holds sixths, so the intermediate
 * terms are larger before they cancel: in Winograd4Test the worst element is 5.1 times ConvTest's bound for a direct
 * sum, against 0.24 times for F(2x2, 3x3), some twenty times the error. That is why training and the layers' default
 * routes stay on {@link Winograd} (their results agree with PyTorch to 6e-7). This class serves callers that run many
 * passes on fixed weights and need only a few digits, an attack above all (it follows the sign of the input
 * gradient): {@code Conv2d.setFrozenWeights(true, true)}.
 *
 * <p><b>Work layout.</b> Tiles are numbered through a group of tile rows, {@code t = row * tw + tx}, and vectorized
 * over t (lane i holds tile t0 + i), so narrow images (resnet20's 8x8 maps have 2 tiles a row) still fill every lane.
 * For that, each padded input row of the group is laid out with its tile rows one after another, 4*tw floats each,
 * so that tile t starts at 4t: its columns 0..3 are the four phases of 4L consecutive floats (two rounds of
 * even/odd {@code selectFrom}), and its columns 4 and 5, which the next tile row would overwrite, come from a second
 * copy of the row moved by 4. Rows of whole vectors (4*tw a multiple of L: resnet20's 32- and 16-wide maps) need no
 * such copy: each vector of the laid-out row is one load from the input itself, its padding lanes zeroed by a
 * blend; rows of half a vector (8-wide maps) take each vector's halves from two loads (except in a group whose
 * loads would leave the array, its first or last rows). The output goes the other way: four phases are interleaved
 * back into 4L consecutive floats and each tile row's w columns copied out (straight to the output for rows of
 * whole vectors). The 36 products of a group are small matrix products with a kernel of their own ({@link #product}),
 * and a group's scratch is kept under a core's L2 ({@link #GROUP_FLOATS}). Groups depend on the shape only, so the
 * results are the same bits for any thread count.
 *
 * <p>Only what an attack's frozen copies need: forward and input gradient from transformed weights. No weight
 * gradient (training stays on {@link Winograd}).
 */
public final class Winograd4 {
    private Winograd4() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Tiles per group at most, the n of each of the 36 products. */
    static final int GROUP_TILES = 128;
    /**
     * A group's transformed input and products, 36 * (inC + outC) * tiles floats, are kept within this many floats
     * (640 KB, under the 1 MB L2 of a Zen 5 core), but at least one register tile wide: so 128 tiles at 16 channels,
     * 64 at 32, 32 at 64. 128 tiles at 32 channels (1.2 MB) measured slower.
     */
    static final int GROUP_FLOATS = 160 * 1024;
    /** Groups are made at least this many when there are enough tile rows (work for every thread). */
    static final int MIN_GROUPS = 4;
    /** One cache line of floats: padding of the rows and planes of V and M (see {@link Winograd}). */
    private static final int PAD = 16;
    /** The products' register tile, {@link Gemm}'s: MR output channels by NR tiles (two vectors). */
    static final int MR = Gemm.MR;
    private static final int NR = Gemm.NR;

    /** {@link Winograd}'s permutations: even / odd lanes of two vectors, and their interleaving. */
    private static final FloatVector EVEN = Winograd.EVEN, ODD = Winograd.ODD, LOW = Winograd.LOW, HIGH = Winograd.HIGH;
    /** The upper half of a vector's lanes. */
    private static final boolean[] UPPER_HALF = new boolean[L];

    static {
        for (int i = L / 2; i < L; i++) UPPER_HALF[i] = true;
    }

    /** Per-thread scratch, grown on demand and reused across calls. */
    private static final class Scratch {
        float[] v = new float[0];    // input transform V [36][inC][ldT], planes vPlane apart
        float[] m = new float[0];    // products        M [36][outC][ldT], planes mPlane apart
        float[] rows = new float[0]; // 6 input rows of the group and their copies moved by 4, then 4 output rows
        float[] tmp = new float[36 * L]; // 36 vectors between the two passes of a transform
        float[] stage = new float[8 * L]; // a row's vectors assembled from half rows, for inputRow
        boolean[] keep = new boolean[0]; // which lanes of the input row loads are pixels (else padding, zero)
        int[] to = new int[0];           // output rows written in place: where each chunk's vectors go
        int[] from = new int[0];         // in-place row pass: where each chunk's row vectors start, and their lanes in keep
        boolean[] tail = new boolean[0]; // which lanes of an output row's last, short vector are in the row
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** True for the geometry this class computes: 3x3 kernel, stride 1, padding 1. */
    public static boolean supports(ConvShape s) {
        return Winograd.supports(s);
    }

    /**
     * The kernels' transforms (G g Gᵀ)[ξ] for every kernel g = weight[o, c] ([cout, cin, 3, 3]), ξ = 6*row + column,
     * computed in double, laid out for {@link #product}: U[ξ] [outC, inC] in blocks of {@link #MR} rows,
     * {@code u[((ξ * blocks + o / MR) * inC + c) * MR + o % MR]}, a block's rows past outC zero. With {@code rotate}
     * the kernels are turned by 180° and the roles swapped, outC = cin and inC = cout (the input gradient's
     * convolution, as in {@link Winograd#transformedWeights}).
     */
    public static float[] transformedWeights(float[] weight, int cout, int cin, boolean rotate) {
        int outC = rotate ? cin : cout, inC = rotate ? cout : cin, plane = blocks(outC) * MR * inC;
        float[] u = new float[36 * plane];
        double[] g = new double[9], gg = new double[18], row6 = new double[6]; // g 3x3, G g 6x3, a row of G g Gᵀ
        for (int o = 0; o < cout; o++)
            for (int c = 0; c < cin; c++) {
                int src = (o * cin + c) * 9;
                for (int i = 0; i < 9; i++) g[i] = weight[src + (rotate ? 8 - i : i)];
                for (int col = 0; col < 3; col++) gColumn(g[col], g[3 + col], g[6 + col], gg, col, 3);
                int row = rotate ? c : o, column = rotate ? o : c; // of U[ξ]
                int dst = ((row / MR) * inC + column) * MR + row % MR;
                for (int r = 0; r < 6; r++) { // (G g) Gᵀ: G times each row of G g
                    gColumn(gg[3 * r], gg[3 * r + 1], gg[3 * r + 2], row6, 0, 1);
                    for (int col = 0; col < 6; col++) u[(6 * r + col) * plane + dst] = (float) row6[col];
                }
            }
        return u;
    }

    /** Blocks of MR rows that hold c rows. */
    private static int blocks(int c) {
        return Math.ceilDiv(c, MR);
    }

    /** out[at + i*stride] = (G (g0, g1, g2))_i for i = 0..5. */
    private static void gColumn(double g0, double g1, double g2, double[] out, int at, int stride) {
        out[at] = g0 / 4;
        out[at + stride] = -(g0 + g1 + g2) / 6;
        out[at + 2 * stride] = -(g0 - g1 + g2) / 6;
        out[at + 3 * stride] = g0 / 24 + g1 / 12 + g2 / 6;
        out[at + 4 * stride] = g0 / 24 - g1 / 12 + g2 / 6;
        out[at + 5 * stride] = g2;
    }

    /**
     * y = conv(x, weight) + bias (bias may be null) from u = {@link #transformedWeights}(weight, cout, cin, false);
     * y overwritten. x [n, cin, h, w], y [n, cout, h, w]. With {@link FastPath} off, the direct sum on weight.
     */
    public static void forwardTransformed(ConvShape s, float[] x, float[] weight, float[] u, float[] bias, float[] y) {
        Winograd.check("winograd4", s);
        Winograd.require("winograd4", s, "x", x, (long) s.n() * s.cin() * s.h() * s.w());
        Winograd.require("winograd4", s, "u", u, 36L * blocks(s.cout()) * MR * s.cin());
        Winograd.require("winograd4", s, "y", y, (long) s.n() * s.cout() * s.h() * s.w());
        if (bias != null) Winograd.require("winograd4", s, "bias", bias, s.cout());
        if (!FastPath.on()) {
            Conv.forwardScalar(s, x, weight, bias, y);
            return;
        }
        run(s.n(), s.cin(), s.cout(), s.h(), s.w(), x, u, bias, y);
    }

    /**
     * dx = dL/dx from dy (overwritten) with u = {@link #transformedWeights}(weight, cout, cin, true): the convolution
     * of dy with the kernels turned by 180° (see {@link Winograd#backwardInput}). dy [n, cout, h, w], dx [n, cin, h, w].
     */
    public static void backwardInputTransformed(ConvShape s, float[] dy, float[] weight, float[] u, float[] dx) {
        Winograd.check("winograd4", s);
        Winograd.require("winograd4", s, "dy", dy, (long) s.n() * s.cout() * s.h() * s.w());
        Winograd.require("winograd4", s, "u", u, 36L * blocks(s.cin()) * MR * s.cout());
        Winograd.require("winograd4", s, "dx", dx, (long) s.n() * s.cin() * s.h() * s.w());
        if (!FastPath.on()) {
            Conv.backwardInputScalar(s, dy, weight, dx);
            return;
        }
        run(s.n(), s.cout(), s.cin(), s.h(), s.w(), dy, u, null, dx);
    }

    /** out [n, outC, h, w] = conv3x3(in [n, inC, h, w]) with u (the layout of transformedWeights), + bias; group by group. */
    private static void run(int n, int inC, int outC, int h, int w, float[] in, float[] u, float[] bias, float[] out) {
        int tw = (w + 3) / 4, th = (h + 3) / 4, tileRows = n * th;
        int groupTiles = Math.clamp(GROUP_FLOATS / (36 * (inC + outC)) / NR * NR, NR, GROUP_TILES);
        int rowsPerGroup = Math.max(1, Math.min(groupTiles / tw, Math.ceilDiv(tileRows, MIN_GROUPS)));
        int groups = Math.ceilDiv(tileRows, rowsPerGroup);
        // rows of V and M hold whole register tiles (product reads and writes past the group's last tile, unused)
        int ldT = Math.ceilDiv(rowsPerGroup * tw, NR) * NR + PAD, vPlane = inC * ldT + PAD, mPlane = blocks(outC) * MR * ldT + PAD;
        int line = 4 * (Math.ceilDiv(rowsPerGroup * tw, L) * L) + L; // one row of the group: 4 floats a tile, whole vectors, + a spill
        Parallel.forRange(groups, (chunk, g0, g1) -> {
            Scratch sc = SCRATCH.get();
            float[] v = sc.v = Winograd.grow(sc.v, 36 * vPlane), m = sc.m = Winograd.grow(sc.m, 36 * mPlane + L); // + L: last vector of a row
            float[] rows = sc.rows = Winograd.grow(sc.rows, 12 * line);
            for (int g = g0; g < g1; g++) {
                int r0 = g * rowsPerGroup, r1 = Math.min(tileRows, r0 + rowsPerGroup), tiles = (r1 - r0) * tw;
                transformInput(in, inC, h, w, th, tw, r0, r1, v, ldT, vPlane, rows, line, sc.tmp, sc);
                for (int xi = 0; xi < 36; xi++) product(u, xi * blocks(outC) * MR * inC, inC, outC, v, xi * vPlane, m, xi * mPlane, ldT, tiles);
                transformOutput(m, outC, ldT, mPlane, h, w, th, tw, r0, r1, bias, out, rows, line, sc.tmp, sc);
            }
        });
    }

    /**
     * M[ξ] [outC, tiles] = U[ξ] [outC, inC] · V[ξ] [inC, tiles], one of the 36 products of a group: U from u at
     * {@code uAt} (blocks of MR rows), V and M rows ldT apart. A GEMM, but a small one (inC = 16 to 64 steps of k, 128
     * tiles): so small that {@link Gemm#gemm}'s packing, blocking and write-back of tiles took as long as the
     * multiply-adds. Here U was laid out once with the kernels in the layout of Gemm's packed A panels, V is read where
     * it lies, and Gemm's micro-kernel writes its register tile straight to M: the same sums in the same order.
     */
    private static void product(float[] u, int uAt, int inC, int outC, float[] v, int vAt, float[] m, int mAt, int ldT, int tiles) {
        for (int ob = 0; ob < blocks(outC); ob++)
            for (int t0 = 0; t0 < tiles; t0 += NR)
                Gemm.microKernel(inC, u, uAt + ob * inC * MR, v, vAt + t0, ldT, m, mAt + ob * MR * ldT + t0, ldT);
    }

    /**
     * V[ξ][c][t] = (Bᵀ d B)[ξ] for the tiles of tile rows r0..r1-1, every channel c. Tile (ty, tx) of an image is
     * d = in[c, 4ty-1 .. 4ty+4, 4tx-1 .. 4tx+4], zero outside. rows holds the group's 6 input rows (k = 0..5,
     * {@code line} floats apart) and, from 6 * line on, the same rows moved left by 4.
     */
    private static void transformInput(float[] in, int inC, int h, int w, int th, int tw, int r0, int r1, float[] v,
                                       int ldT, int vPlane, float[] rows, int line, float[] tmp, Scratch sc) {
        int tiles = (r1 - r0) * tw, seg = 4 * tw;
        FloatVector zero = FloatVector.zero(S);
        int segV = Math.ceilDiv(seg, L) * L;
        boolean halves = 2 * seg == L; // rows of half a vector (8-wide maps): a vector holds two tile rows' segments
        // keep: which lanes of the loads are pixels of their row (else padding, zero), as stretches of L booleans:
        // row [0, segV), the copy moved by 4 [segV, 2 segV), none [2 segV, +L); for half rows (segV = L) also, from
        // 2 segV + L on, L each: the lower half only (row, moved), the upper half only (row, moved), both (row, moved).
        int halfKeep = 2 * segV + L;
        boolean[] keep = sc.keep = sc.keep.length >= halfKeep + 6 * L ? sc.keep : new boolean[halfKeep + 6 * L];
        java.util.Arrays.fill(keep, 2 * segV, halfKeep + 6 * L, false);
        for (int i = 0; i < segV; i++) {
            keep[i] = i >= 1 && i <= w && i < seg;  // p[i] = in[i-1]
            keep[segV + i] = i + 3 < w && i < seg;  // p[4+i] = in[3+i]
        }
        for (int i = 0; halves && i < L; i++) {
            boolean row = keep[i % seg], moved = keep[segV + i % seg]; // the lane's place in its half
            keep[halfKeep + i] = i < seg && row;
            keep[halfKeep + L + i] = i < seg && moved;
            keep[halfKeep + 2 * L + i] = i >= seg && row;
            keep[halfKeep + 3 * L + i] = i >= seg && moved;
            keep[halfKeep + 4 * L + i] = row;
            keep[halfKeep + 5 * L + i] = moved;
        }
        // Rows of whole vectors, or of half vectors, are read from the input itself instead of a laid-out copy. For
        // each chunk of L tiles and row k, from holds 16 ints: where the 4 vectors start in channel 0 (the tile row's
        // input row, moved by -1), where their upper halves start (half rows; else the same), and their lanes in keep,
        // for the row and for the copy moved by 4.
        boolean inPlace = seg % L == 0 || halves;
        int chunks = Math.ceilDiv(tiles, L);
        int[] from = sc.from = inPlace && sc.from.length < chunks * 96 ? new int[chunks * 96] : sc.from;
        int image = inC * h * w, lastChannel = (inC - 1) * h * w;
        for (int t0 = 0; inPlace && t0 < tiles; t0 += L)
            for (int k = 0; k < 6; k++)
                for (int q = 0; q < 4; q++) {
                    int pos = 4 * t0 + q * L, r = r0 + pos / seg, i = pos % seg, at = ((t0 / L) * 6 + k) * 16;
                    int iy = 4 * (r % th) - 1 + k, iyB = 4 * ((r + 1) % th) - 1 + k; // (iyB: the upper half's row, half rows)
                    boolean row = r < r1 && iy >= 0 && iy < h, rowB = halves && r + 1 < r1 && iyB >= 0 && iyB < h;
                    int f = row ? (r / th) * image + iy * w - 1 + i : 0, g = rowB ? ((r + 1) / th) * image + iyB * w - 1 - seg : f;
                    boolean both = row && rowB;
                    from[at + q] = f;
                    from[at + 4 + q] = g;
                    from[at + 8 + q] = !halves ? (row ? i : 2 * segV)
                            : both ? halfKeep + 4 * L : row ? halfKeep : rowB ? halfKeep + 2 * L : 2 * segV;
                    from[at + 12 + q] = !halves ? (row ? segV + i : 2 * segV)
                            : both ? halfKeep + 5 * L : row ? halfKeep + L : rowB ? halfKeep + 3 * L : 2 * segV;
                    if (Math.min(f, g) < 0 || Math.max(f, g) + 4 + lastChannel + L > in.length)
                        inPlace = false; // a load would leave the array (its first or last row): this group lays the rows out
                }
        for (int c = 0; c < inC; c++) {
            if (inPlace) {
                for (int t0 = 0; t0 < tiles; t0 += L) {
                    for (int k = 0; k < 6; k++) {
                        int at = ((t0 / L) * 6 + k) * 16;
                        if (halves) { // two half rows a vector, assembled in stage, then the row pass on them
                            halfRows(in, c * h * w, from, at, keep, sc.stage);
                            inputRow(sc.stage, 0, 4 * L, tmp, 6 * k * L);
                        } else {
                            inputRowInPlace(in, c * h * w, from, at, keep, tmp, 6 * k * L);
                        }
                    }
                    int dst = c * ldT + t0;
                    for (int j = 0; j < 6; j++) inputColumn(tmp, j, v, dst, vPlane);
                }
                continue;
            }
            for (int r = r0; r < r1; r++) { // lay out the 6 rows: padded row p[i] = in[c, iy, i-1], zero outside
                int img = r / th, ty = r % th, plane = (img * inC + c) * h * w, at = (r - r0) * seg;
                for (int k = 0; k < 6; k++) {
                    int iy = 4 * ty - 1 + k, a = k * line + at, b = (6 + k) * line + at, src = plane + iy * w;
                    boolean inside = iy >= 0 && iy < h;
                    for (int i = 0; i < seg; i += L) { // whole vectors: a short last one spills into the next segment, written after
                        if (inside) { // (no vector variable across the branches: the JIT would box it)
                            int fromA = src - 1 + i, fromB = src + 3 + i; // p[i..] = in[i-1..], p[4+i..] = in[3+i..]
                            if (fromA >= 0 && fromB + L <= in.length) { // plain loads, the lanes outside the row zeroed
                                zero.blend(FloatVector.fromArray(S, in, fromA), VectorMask.fromArray(S, keep, i)).intoArray(rows, a + i);
                                zero.blend(FloatVector.fromArray(S, in, fromB), VectorMask.fromArray(S, keep, segV + i)).intoArray(rows, b + i);
                            } else { // at the ends of the array: loads that stay inside it
                                FloatVector.fromArray(S, in, fromA, VectorMask.fromArray(S, keep, i)).intoArray(rows, a + i);
                                FloatVector.fromArray(S, in, fromB, VectorMask.fromArray(S, keep, segV + i)).intoArray(rows, b + i);
                            }
                        } else {
                            zero.intoArray(rows, a + i);
                            zero.intoArray(rows, b + i);
                        }
                    }
                }
            }
            for (int t0 = 0; t0 < tiles; t0 += L) {
                for (int k = 0; k < 6; k++) inputRow(rows, k * line + 4 * t0, (6 + k) * line + 4 * t0, tmp, 6 * k * L);
                int dst = c * ldT + t0; // V[ξ][c][t] at ξ * vPlane + dst
                for (int j = 0; j < 6; j++) inputColumn(tmp, j, v, dst, vPlane);
            }
        }
    }

    /**
     * {@link #inputRow} reading the input in place (rows of whole vectors): vector q of the row (q = 0..3) starts at
     * in[channel + from[at+q]] with the lanes keep[from[at+8+q] ..] kept (an all-false stretch: no such row), its copy
     * moved by 4 at 4 floats further with keep[from[at+12+q] ..]; results to tmp from out.
     */
    private static void inputRowInPlace(float[] in, int channel, int[] from, int at, boolean[] keep, float[] tmp, int out) {
        int f0 = channel + from[at], f1 = channel + from[at + 1], f2 = channel + from[at + 2], f3 = channel + from[at + 3];
        int k0 = from[at + 8], k1 = from[at + 9], k2 = from[at + 10], k3 = from[at + 11];
        int n0 = from[at + 12], n1 = from[at + 13], n2 = from[at + 14], n3 = from[at + 15]; // the copy moved by 4
        FloatVector zero = FloatVector.zero(S); // (plain loads, the lanes outside the row zeroed by a blend: no branches)
        FloatVector a0 = zero.blend(FloatVector.fromArray(S, in, f0), VectorMask.fromArray(S, keep, k0));
        FloatVector a1 = zero.blend(FloatVector.fromArray(S, in, f1), VectorMask.fromArray(S, keep, k1));
        FloatVector a2 = zero.blend(FloatVector.fromArray(S, in, f2), VectorMask.fromArray(S, keep, k2));
        FloatVector a3 = zero.blend(FloatVector.fromArray(S, in, f3), VectorMask.fromArray(S, keep, k3));
        FloatVector e01 = EVEN.selectFrom(a0, a1), o01 = ODD.selectFrom(a0, a1);
        FloatVector e23 = EVEN.selectFrom(a2, a3), o23 = ODD.selectFrom(a2, a3);
        FloatVector d0 = EVEN.selectFrom(e01, e23), d2 = ODD.selectFrom(e01, e23);
        FloatVector d1 = EVEN.selectFrom(o01, o23), d3 = ODD.selectFrom(o01, o23);
        FloatVector b0 = zero.blend(FloatVector.fromArray(S, in, f0 + 4), VectorMask.fromArray(S, keep, n0));
        FloatVector b1 = zero.blend(FloatVector.fromArray(S, in, f1 + 4), VectorMask.fromArray(S, keep, n1));
        FloatVector b2 = zero.blend(FloatVector.fromArray(S, in, f2 + 4), VectorMask.fromArray(S, keep, n2));
        FloatVector b3 = zero.blend(FloatVector.fromArray(S, in, f3 + 4), VectorMask.fromArray(S, keep, n3));
        FloatVector d4 = EVEN.selectFrom(EVEN.selectFrom(b0, b1), EVEN.selectFrom(b2, b3));
        FloatVector d5 = EVEN.selectFrom(ODD.selectFrom(b0, b1), ODD.selectFrom(b2, b3));
        FloatVector p = d2.mul(-4f).add(d4), q = d1.mul(-4f).add(d3);
        FloatVector cc = d4.sub(d2), e = d3.sub(d1).mul(2f);
        d0.mul(4f).add(d2.mul(-5f)).add(d4).intoArray(tmp, out);
        p.add(q).intoArray(tmp, out + L);
        p.sub(q).intoArray(tmp, out + 2 * L);
        cc.add(e).intoArray(tmp, out + 3 * L);
        cc.sub(e).intoArray(tmp, out + 4 * L);
        d1.mul(4f).add(d3.mul(-5f)).add(d5).intoArray(tmp, out + 5 * L);
    }

    /**
     * Rows of half a vector (8-wide maps, two tile rows' segments a vector): the 8 vectors {@link #inputRowInPlace}
     * would read, each the lower half of a load at from[at + q] and the upper half of a load at from[at + 4 + q], the
     * padding lanes zeroed, to stage [8L] in the layout {@link #inputRow} reads (4 of the row, 4 of its copy moved by 4).
     */
    private static void halfRows(float[] in, int channel, int[] from, int at, boolean[] keep, float[] stage) {
        FloatVector zero = FloatVector.zero(S);
        VectorMask<Float> upper = VectorMask.fromArray(S, UPPER_HALF, 0);
        for (int q = 0; q < 4; q++) {
            int f = channel + from[at + q], g = channel + from[at + 4 + q];
            FloatVector row = FloatVector.fromArray(S, in, f).blend(FloatVector.fromArray(S, in, g), upper);
            FloatVector moved = FloatVector.fromArray(S, in, f + 4).blend(FloatVector.fromArray(S, in, g + 4), upper);
            zero.blend(row, VectorMask.fromArray(S, keep, from[at + 8 + q])).intoArray(stage, q * L);
            zero.blend(moved, VectorMask.fromArray(S, keep, from[at + 12 + q])).intoArray(stage, (4 + q) * L);
        }
    }

    // inputRow, inputRowInPlace and inputColumn each spell out Bᵀ on six vectors instead of calling one helper:
    // vectors passed to a method the JIT does not inline are boxed (measured: several times slower).

    /** Row pass d B of row k for L tiles: columns 0..3 from the row at {@code row}, 4..5 from its copy at {@code moved}; 6 vectors to tmp. */
    private static void inputRow(float[] rows, int row, int moved, float[] tmp, int at) {
        FloatVector a0 = FloatVector.fromArray(S, rows, row), a1 = FloatVector.fromArray(S, rows, row + L);
        FloatVector a2 = FloatVector.fromArray(S, rows, row + 2 * L), a3 = FloatVector.fromArray(S, rows, row + 3 * L);
        FloatVector e01 = EVEN.selectFrom(a0, a1), o01 = ODD.selectFrom(a0, a1);
        FloatVector e23 = EVEN.selectFrom(a2, a3), o23 = ODD.selectFrom(a2, a3);
        FloatVector d0 = EVEN.selectFrom(e01, e23), d2 = ODD.selectFrom(e01, e23);
        FloatVector d1 = EVEN.selectFrom(o01, o23), d3 = ODD.selectFrom(o01, o23);
        FloatVector b0 = FloatVector.fromArray(S, rows, moved), b1 = FloatVector.fromArray(S, rows, moved + L);
        FloatVector b2 = FloatVector.fromArray(S, rows, moved + 2 * L), b3 = FloatVector.fromArray(S, rows, moved + 3 * L);
        FloatVector d4 = EVEN.selectFrom(EVEN.selectFrom(b0, b1), EVEN.selectFrom(b2, b3));
        FloatVector d5 = EVEN.selectFrom(ODD.selectFrom(b0, b1), ODD.selectFrom(b2, b3));
        FloatVector p = d2.mul(-4f).add(d4), q = d1.mul(-4f).add(d3); // outputs 1, 2: p ± q
        FloatVector cc = d4.sub(d2), e = d3.sub(d1).mul(2f);        // outputs 3, 4: c ± e
        d0.mul(4f).add(d2.mul(-5f)).add(d4).intoArray(tmp, at);
        p.add(q).intoArray(tmp, at + L);
        p.sub(q).intoArray(tmp, at + 2 * L);
        cc.add(e).intoArray(tmp, at + 3 * L);
        cc.sub(e).intoArray(tmp, at + 4 * L);
        d1.mul(4f).add(d3.mul(-5f)).add(d5).intoArray(tmp, at + 5 * L);
    }

    /**
     * Column pass Bᵀ (d B) down column j: the 6 vectors tmp[k][j] to V[6k + j][c][t0..]. Whole vectors, unmasked
     * (a masked store costs several plain ones): lanes past the group's last tile land in the row's padding, which
     * only the products' unused columns read.
     */
    private static void inputColumn(float[] tmp, int j, float[] v, int dst, int vPlane) {
        FloatVector d0 = FloatVector.fromArray(S, tmp, j * L), d1 = FloatVector.fromArray(S, tmp, (6 + j) * L);
        FloatVector d2 = FloatVector.fromArray(S, tmp, (12 + j) * L), d3 = FloatVector.fromArray(S, tmp, (18 + j) * L);
        FloatVector d4 = FloatVector.fromArray(S, tmp, (24 + j) * L), d5 = FloatVector.fromArray(S, tmp, (30 + j) * L);
        FloatVector a = d2.mul(-4f).add(d4), b = d1.mul(-4f).add(d3); // rows 1, 2: a ± b
        FloatVector cc = d4.sub(d2), e = d3.sub(d1).mul(2f);        // rows 3, 4: c ± e
        d0.mul(4f).add(d2.mul(-5f)).add(d4).intoArray(v, j * vPlane + dst);
        a.add(b).intoArray(v, (6 + j) * vPlane + dst);
        a.sub(b).intoArray(v, (12 + j) * vPlane + dst);
        cc.add(e).intoArray(v, (18 + j) * vPlane + dst);
        cc.sub(e).intoArray(v, (24 + j) * vPlane + dst);
        d1.mul(4f).add(d3.mul(-5f)).add(d5).intoArray(v, (30 + j) * vPlane + dst);
    }

    /**
     * out[., o, 4ty .. 4ty+3, 4tx .. 4tx+3] = Aᵀ M[., o, t] A (+ bias[o]) for the tiles of rows r0..r1-1, cropped
     * at the image's edges. Each output channel's 4 output rows of the group go through rows (4 lines) first.
     */
    private static void transformOutput(float[] m, int outC, int ldT, int plane, int h, int w, int th, int tw, int r0,
                                        int r1, float[] bias, float[] out, float[] rows, int line, float[] tmp, Scratch sc) {
        int tiles = (r1 - r0) * tw, seg = 4 * tw;
        boolean[] tail = sc.tail = sc.tail.length >= L ? sc.tail : new boolean[L];
        for (int i = 0; i < L; i++) tail[i] = i < w % L; // the lanes of a row's last, short vector
        // rows of whole vectors, no cropping: each vector of an output row goes straight to its place in out
        boolean direct = seg % L == 0 && w == seg && h % 4 == 0;
        int[] to = sc.to = direct && sc.to.length < Math.ceilDiv(tiles, L) * 4 ? new int[Math.ceilDiv(tiles, L) * 4] : sc.to;
        if (direct)
            for (int t0 = 0; t0 < tiles; t0 += L)
                for (int q = 0; q < 4; q++) { // where vector q of output row 0 of this chunk goes in channel 0 (-1: past the group)
                    int pos = 4 * t0 + q * L, r = r0 + pos / seg, img = r / th, ty = r % th;
                    to[(t0 / L) * 4 + q] = r < r1 ? img * outC * h * w + 4 * ty * w + pos % seg : -1;
                }
        for (int o = 0; o < outC; o++) {
            float b = bias == null ? 0f : bias[o];
            for (int t0 = 0; t0 < tiles; t0 += L) {
                int at = o * ldT + t0;
                for (int j = 0; j < 6; j++) outputColumn(m, plane, at, j, tmp);
                if (direct) {
                    int c = (t0 / L) * 4, t1 = to[c], t2 = to[c + 1], t3 = to[c + 2], t4 = to[c + 3], ch = o * h * w;
                    for (int i = 0; i < 4; i++)
                        outputRow(tmp, i, b, out, t1 < 0 ? -1 : t1 + ch + i * w, t2 < 0 ? -1 : t2 + ch + i * w,
                                t3 < 0 ? -1 : t3 + ch + i * w, t4 < 0 ? -1 : t4 + ch + i * w);
                } else {
                    for (int i = 0; i < 4; i++) {
                        int d = i * line + 4 * t0;
                        outputRow(tmp, i, b, rows, d, d + L, d + 2 * L, d + 3 * L);
                    }
                }
            }
            if (direct) continue;
            for (int r = r0; r < r1; r++) { // each output row: w floats, in whole vectors (the last one masked)
                int img = r / th, ty = r % th, dst = (img * outC + o) * h * w, from = (r - r0) * seg;
                for (int i = 0; i < 4 && 4 * ty + i < h; i++) {
                    int src = i * line + from, row = dst + (4 * ty + i) * w, x = 0;
                    for (; x <= w - L; x += L) FloatVector.fromArray(S, rows, src + x).intoArray(out, row + x);
                    if (x < w) FloatVector.fromArray(S, rows, src + x).intoArray(out, row + x, VectorMask.fromArray(S, tail, 0));
                }
            }
        }
    }

    /** Column pass Aᵀ M down column j: M[6k + j] (k = 0..5) to tmp[i][j], i = 0..3. */
    private static void outputColumn(float[] m, int plane, int at, int j, float[] tmp) {
        FloatVector m0 = FloatVector.fromArray(S, m, j * plane + at), m1 = FloatVector.fromArray(S, m, (6 + j) * plane + at);
        FloatVector m2 = FloatVector.fromArray(S, m, (12 + j) * plane + at), m3 = FloatVector.fromArray(S, m, (18 + j) * plane + at);
        FloatVector m4 = FloatVector.fromArray(S, m, (24 + j) * plane + at), m5 = FloatVector.fromArray(S, m, (30 + j) * plane + at);
        FloatVector s12 = m1.add(m2), d12 = m1.sub(m2), s34 = m3.add(m4), d34 = m3.sub(m4);
        m0.add(s12).add(s34).intoArray(tmp, j * L);
        d34.mul(2f).add(d12).intoArray(tmp, (6 + j) * L);
        s34.mul(4f).add(s12).intoArray(tmp, (12 + j) * L);
        d34.mul(8f).add(d12).add(m5).intoArray(tmp, (18 + j) * L);
    }

    /** Row pass (Aᵀ M) A of output row i for L tiles, + bias: 4 columns a tile, interleaved into 4L floats at dst. */
    private static void outputRow(float[] tmp, int i, float bias, float[] target, int d0, int d1, int d2, int d3) {
        int at = 6 * i * L;
        FloatVector m0 = FloatVector.fromArray(S, tmp, at), m1 = FloatVector.fromArray(S, tmp, at + L);
        FloatVector m2 = FloatVector.fromArray(S, tmp, at + 2 * L), m3 = FloatVector.fromArray(S, tmp, at + 3 * L);
        FloatVector m4 = FloatVector.fromArray(S, tmp, at + 4 * L), m5 = FloatVector.fromArray(S, tmp, at + 5 * L);
        FloatVector s12 = m1.add(m2), d12 = m1.sub(m2), s34 = m3.add(m4), d34 = m3.sub(m4);
        FloatVector y0 = m0.add(s12).add(s34).add(bias), y1 = d34.mul(2f).add(d12).add(bias);
        FloatVector y2 = s34.mul(4f).add(s12).add(bias), y3 = d34.mul(8f).add(d12).add(m5).add(bias);
        FloatVector lo02 = LOW.selectFrom(y0, y2), hi02 = HIGH.selectFrom(y0, y2); // y0 y2 pairs
        FloatVector lo13 = LOW.selectFrom(y1, y3), hi13 = HIGH.selectFrom(y1, y3); // y1 y3 pairs
        FloatVector v0 = LOW.selectFrom(lo02, lo13), v1 = HIGH.selectFrom(lo02, lo13); // y0 y1 y2 y3 of tile 0, then tile 1, ..
        FloatVector v2 = LOW.selectFrom(hi02, hi13), v3 = HIGH.selectFrom(hi02, hi13);
        if (d0 >= 0) v0.intoArray(target, d0);
        if (d1 >= 0) v1.intoArray(target, d1);
        if (d2 >= 0) v2.intoArray(target, d2);
        if (d3 >= 0) v3.intoArray(target, d3);
    }

}
