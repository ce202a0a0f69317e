package glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply, row-major: {@code C[m,n] (+)= op(A)[m,k] · op(B)[k,n]}.
 *
 * <p>{@code op(X)} is X or its transpose ({@code transA}, {@code transB}); {@code lda}, {@code ldb},
 * {@code ldc} are row strides of the matrices as stored. With {@code accumulate} the product is added to C,
 * otherwise C is overwritten. {@link #gemmScalar} is the plain triple loop that defines the result;
 * {@link #gemm} is the fast path and must agree with it (up to float rounding: it sums in another order).
 *
 * <p>The fast path follows the layered loops of BLIS / GotoBLAS (Goto &amp; van de Geijn, "Anatomy of
 * high-performance matrix multiplication", ACM TOMS 2008; Van Zee &amp; van de Geijn, "BLIS", ACM TOMS 2015):
 * <pre>
 *   for jc in n step NC            // a column block of B and C
 *     for pc in k step KC          //   pack B[pc:pc+KC, jc:jc+NC] into panels of NR columns   (stays in L3)
 *       for ic in m step MC        //     pack A[ic:ic+MC, pc:pc+KC] into panels of MR rows    (stays in L2)
 *         for jr in NC step NR     //       one B panel, KC x NR                               (stays in L1)
 *           for ir in MC step MR   //         micro-kernel: C[MR, NR] += Apanel · Bpanel, in registers
 * </pre>
 * Packing makes every operand of the micro-kernel contiguous whatever the transposes and strides were, so
 * one micro-kernel serves all four cases. (With m &lt;= MC an untransposed B is not packed: each of its panels
 * serves only a few row panels in a row, so the micro-kernel reads it in place, rows ldb apart.) Panels are zero-padded to full MR / NR, and partial tiles at the
 * edges are written back under a lane mask. Two shapes skip packing: tiny products (a few thousand
 * multiply-adds, {@code gemmSmall}) and a few rows times a transposed B ({@code gemmDots}, dot products in
 * register blocks of 2 x 6, e.g. a conv weight gradient with 6 or 16 output channels). A third entry point,
 * {@link #gemmRowsA}, takes A as a table of row starts and broadcasts from the rows where they lie (an implicit
 * im2col matrix, Winograd's transformed inputs), with a twin of the micro-kernel.
 *
 * <p>Threads: above {@link #PARALLEL_MIN_FLOPS} the output is cut into disjoint column (or row) blocks, one per
 * thread, each computed by the same serial algorithm. Every C element therefore sees exactly the same
 * sequence of fused multiply-adds whatever the thread count: results are bit-identical run to run and across
 * thread counts. There is no split over k (that would need a reduction across threads).
 *
 * <p>Left out: complex/double types, alpha/beta scaling other than 0/1, and Strassen-like tricks.
 */
public final class Gemm {
    private Gemm() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    private static final int L = S.length();

    // Micro-tile MR x NR = 8 x 2 vectors: 16 accumulator registers + 2 B vectors + 1 broadcast A value,
    // which fits the 32 vector registers of AVX-512 with room to spare, and gives 16 independent FMAs per
    // step of k (enough to hide FMA latency on two FMA pipes). The classic AVX-512 shape; others not tried.
    static final int MR = 8;
    static final int NR = 2 * L;
    // Cache blocks, chosen by measurement on Zen 5 (GFLOP per CPU-second on one core, n = 256..2048, on a
    // shared machine): KC = 512, MC = 64, NC = 1024 gave ~90-99, the textbook KC = 256, MC = 128, NC = 2048
    // ~78-86, KC = 192 or MC = 256 less. A long KC means fewer write-backs of each C tile; the MC x KC block
    // of A (128 KiB) stays in L2, the KC x NR panel of B (64 KiB) mostly in L1, the KC x NC block of B in L3.
    static final int KC = 512;
    static final int MC = 64;
    static final int NC = 1024;

    /**
     * Below this many flops (2mnk, ~10 us of one core) a GEMM stays on the calling thread: splitting it
     * costs a hand-over (under 1 us, see {@link Parallel}) and the partial tiles at the cut.
     */
    static final long PARALLEL_MIN_FLOPS = 2L * 64 * 64 * 64;
    /**
     * A · Bᵀ with up to MR rows, or up to 2*MR rows and at least this long a k, is computed as dot products
     * ({@code gemmDots}), without packing. Measured on one core (CPU time) for conv weight-gradient shapes:
     * m = 16, n = 150, k = 256..1000: 1.5-1.9x faster than packing; k = 100..200: slower.
     */
    static final int DOTS_MIN_K = 256;
    /** Below this many multiply-adds packing does not pay off; a simple row-axpy loop is used instead. */
    static final long SMALL_MACS = 16 * 16 * 16;

    /** Per-thread packing buffers, reused across calls (a GEMM never allocates in steady state). */
    private static final ThreadLocal<float[]> PACK_A = ThreadLocal.withInitial(() -> new float[MC * KC]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);
    private static final ThreadLocal<float[]> PACK_B = ThreadLocal.withInitial(() -> new float[KC * roundUp(NC, NR)]);

    /** Fast path: same contract as {@link #gemmScalar}. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (!FastPath.on()) {
            gemmScalar(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        if (k == 0) { // empty sum
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        if ((long) m * n * k <= SMALL_MACS) {
            gemmSmall(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        long flops = 2L * m * n * k;
        int threads = Parallel.threads();
        if (!transA && transB && (m <= MR || m <= 2 * MR && k >= DOTS_MIN_K)) { // few rows times Bᵀ: dot products beat transposing B for packing
            if (threads == 1 || flops < PARALLEL_MIN_FLOPS) {
                gemmDots(0, n, k, m, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            } else {
                Parallel.forRange(n, (chunk, j0, j1) -> gemmDots(j0, j1, k, m, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate));
            }
            return;
        }
        int colTiles = Math.ceilDiv(n, NR), rowTiles = Math.ceilDiv(m, MR);
        if (threads == 1 || flops < PARALLEL_MIN_FLOPS || Math.max(colTiles, rowTiles) < 2) {
            gemmBlocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        } else if (colTiles >= rowTiles) { // split the columns of B and C into whole NR tiles
            Parallel.forRange(colTiles, (chunk, t0, t1) -> {
                int j0 = t0 * NR, j1 = Math.min(n, t1 * NR);
                gemmBlocked(transA, transB, m, j1 - j0, k, a, aOff, lda,
                        b, bOff + (transB ? j0 * ldb : j0), ldb, c, cOff + j0, ldc, accumulate);
            });
        } else { // split the rows of A and C into whole MR tiles
            Parallel.forRange(rowTiles, (chunk, t0, t1) -> {
                int i0 = t0 * MR, i1 = Math.min(m, t1 * MR);
                gemmBlocked(transA, transB, i1 - i0, n, k, a, aOff + (transA ? i0 : i0 * lda), lda,
                        b, bOff, ldb, c, cOff + i0 * ldc, ldc, accumulate);
            });
        }
    }

    /** Reference: the definition of the product, one dot product per output element. */
    public static void gemmScalar(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += aip * bpj;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + sum : sum;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Serial blocked algorithm (the loop nest in the class comment).

    private static void gemmBlocked(boolean transA, boolean transB, int m, int n, int k,
                                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    float[] c, int cOff, int ldc, boolean accumulate) {
        float[] packA = PACK_A.get(), packB = PACK_B.get(), tile = TILE.get();
        // k is cut into equal blocks of at most KC (k = 576 gives 2 x 288, not 512 + a thin 64) so that no
        // block is too short to amortize the tile write-back. The cut depends on k only: deterministic.
        int kStep = Math.ceilDiv(k, Math.ceilDiv(k, KC));
        // With m <= MC there is a single block of A, so each B panel serves at most MC / MR row panels right
        // after one another, from L1/L2: packing it first copies all of B for little gain. Whole NR-column
        // panels of an untransposed B are then read where they lie (rows ldb apart), and only a narrower last
        // panel is packed (zero-padded). Measured on one core (CPU time, old / new): m = 6, n = 784, k = 25
        // (LeNet conv1 forward) 1.8x; m = 16, n = 400, k = 150 (conv2 forward, a group of 4 images) 1.4x;
        // m = 32..64, k = 144..576: 1.1-1.4x.
        boolean directB = !transB && m <= MC;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                int packed = directB ? nc / NR * NR : 0; // columns read in place; the rest is packed
                if (packed < nc) packB(transB, b, bOff, ldb, pc, jc + packed, kc, nc - packed, packB);
                boolean acc = accumulate || pc > 0; // later k blocks add to what the first one wrote
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, a, aOff, lda, ic, pc, mc, kc, packA);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        boolean inPlace = jr < packed;
                        float[] bp = inPlace ? b : packB;
                        int bPanel = inPlace ? bOff + pc * ldb + jc + jr : ((jr - packed) / NR) * kc * NR;
                        int bStep = inPlace ? ldb : NR;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir);
                            int aPanel = (ir / MR) * kc * MR;
                            microKernel(kc, packA, aPanel, bp, bPanel, bStep, tile, 0, NR);
                            writeTile(tile, c, cOff + (ic + ir) * ldc + jc + jr, ldc, rows, cols, acc);
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs op(B)[pc:pc+kc, jc:jc+nc] into panels of NR columns: panel q holds, for p = 0..kc-1, the NR
     * values op(B)[pc+p, jc+q*NR .. jc+q*NR+NR-1] one after another (zero past column nc).
     * packed [nc/NR panels][kc][NR]
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int jc, int kc, int nc, float[] dst) {
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            int base = (j0 / NR) * kc * NR;
            if (!transB) { // rows of B are contiguous: copy NR floats per step of k
                int src = bOff + pc * ldb + jc + j0;
                for (int p = 0; p < kc; p++, src += ldb) {
                    int d = base + p * NR;
                    System.arraycopy(b, src, dst, d, cols);
                    if (cols < NR) java.util.Arrays.fill(dst, d + cols, d + NR, 0f);
                }
            } else { // op(B)[p, j] = b[j*ldb + p]: a transpose, done in strips of 16 steps of k so that each
                // cache line read from a row of b is used whole, while the 16 panel rows written stay in L1.
                // (Reading all NR rows per step of k instead was several times slower with ldb = 1024:
                // the rows then fall into the same L1 cache set.)
                for (int p0 = 0; p0 < kc; p0 += 16) {
                    int p1 = Math.min(kc, p0 + 16);
                    for (int jj = 0; jj < cols; jj++) {
                        int src = bOff + (jc + j0 + jj) * ldb + pc;
                        for (int p = p0; p < p1; p++) dst[base + p * NR + jj] = b[src + p];
                    }
                    for (int jj = cols; jj < NR; jj++)
                        for (int p = p0; p < p1; p++) dst[base + p * NR + jj] = 0f;
                }
            }
        }
    }

    /**
     * Packs op(A)[ic:ic+mc, pc:pc+kc] into panels of MR rows: panel q holds, for p = 0..kc-1, the MR values
     * op(A)[ic+q*MR .. ic+q*MR+MR-1, pc+p] (zero past row mc). packed [mc/MR panels][kc][MR]
     */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int pc, int mc, int kc, float[] dst) {
        for (int i0 = 0; i0 < mc; i0 += MR) {
            int rows = Math.min(MR, mc - i0);
            int base = (i0 / MR) * kc * MR;
            if (transA) { // op(A)[i, p] = a[p*lda + i]: MR consecutive floats per step of k
                int src = aOff + pc * lda + ic + i0;
                for (int p = 0; p < kc; p++, src += lda) {
                    int d = base + p * MR;
                    for (int ii = 0; ii < rows; ii++) dst[d + ii] = a[src + ii]; // 8 floats: a loop beats a call
                    for (int ii = rows; ii < MR; ii++) dst[d + ii] = 0f;
                }
            } else { // rows of A are contiguous along k: scatter each into one lane of the panel
                for (int ii = 0; ii < rows; ii++) {
                    int src = aOff + (ic + i0 + ii) * lda + pc;
                    for (int p = 0; p < kc; p++) dst[base + p * MR + ii] = a[src + p];
                }
                for (int ii = rows; ii < MR; ii++)
                    for (int p = 0; p < kc; p++) dst[base + p * MR + ii] = 0f;
            }
        }
    }

    /**
     * C[MR, NR] = Apanel[kc, MR]ᵀ · Bpanel[kc, NR], the rows of Bpanel bStep floats apart (NR when packed,
     * ldb when read in place), C's rows at c[c0 + i*ldc] (here the tile buffer, c0 = 0, ldc = NR; Winograd4 writes
     * its products straight to their place). The 16 accumulators are named locals so that the JIT keeps them in
     * registers; each step of k loads two B vectors and broadcasts eight A values.
     */
    static void microKernel(int kc, float[] ap, int a0, float[] bp, int b0, int bStep, float[] c, int c0, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int ai = a0, bi = b0;
        for (int p = 0; p < kc; p++, ai += MR, bi += bStep) {
            FloatVector b0v = FloatVector.fromArray(S, bp, bi);
            FloatVector b1v = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = av.fma(b0v, c60);
            c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = av.fma(b0v, c70);
            c71 = av.fma(b1v, c71);
        }
        // Spill the tile to a small buffer and let writeTile merge it into C: keeping loads of C, masks and
        // edge cases out of this method keeps it small enough for the JIT to hold all 16 accumulators
        // in registers (with them inline, C2 gave up on intrinsics and boxed vectors: 10x slower).
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
        c40.intoArray(c, c0 + 4 * ldc);
        c41.intoArray(c, c0 + 4 * ldc + L);
        c50.intoArray(c, c0 + 5 * ldc);
        c51.intoArray(c, c0 + 5 * ldc + L);
        c60.intoArray(c, c0 + 6 * ldc);
        c61.intoArray(c, c0 + 6 * ldc + L);
        c70.intoArray(c, c0 + 7 * ldc);
        c71.intoArray(c, c0 + 7 * ldc + L);
    }

    /** C[rows, cols] = tile (or += with acc); rows &lt; MR or cols &lt; NR only at the edges of C. */
    private static void writeTile(float[] tile, float[] c, int c0, int ldc, int rows, int cols, boolean acc) {
        if (cols == NR) { // whole rows: plain vector loads and stores (a masked one costs several times more)
            for (int r = 0; r < rows; r++) {
                int off = c0 + r * ldc, t = r * NR;
                FloatVector v0 = FloatVector.fromArray(S, tile, t), v1 = FloatVector.fromArray(S, tile, t + L);
                if (acc) {
                    v0 = v0.add(FloatVector.fromArray(S, c, off));
                    v1 = v1.add(FloatVector.fromArray(S, c, off + L));
                }
                v0.intoArray(c, off);
                v1.intoArray(c, off + L);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int off = c0 + r * ldc;
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> mask = S.indexInRange(j, cols);
                FloatVector v = FloatVector.fromArray(S, tile, r * NR + j);
                if (acc) v = v.add(FloatVector.fromArray(S, c, off + j, mask));
                v.intoArray(c, off + j, mask);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // A read in place through a table of row offsets (an implicit im2col matrix, see Conv).

    /**
     * At most this many steps of k per block of {@link #gemmRowsA}, cut into equal blocks as in gemmBlocked: a
     * block's NR-column panel of B (up to 48 KiB) then mostly stays in L1.
     */
    static final int KC_ROWS = 384;

    /**
     * C[m, n] (+)= A · B, serial, where row i of A is the k floats from a[aRows[i]] on, and B [k, n] is
     * row-major (rows ldb apart, untransposed). No copy of A is made: the micro-kernel broadcasts A's
     * values from the 8 rows of a panel where they lie. A convolution with stride 1 uses it with the rows of
     * its im2col matrix, each of which is the zero-padded input plane shifted by a fixed offset, so that the
     * matrix is never written out. {@link #gemmScalar} with A gathered row by row is the reference.
     */
    public static void gemmRowsA(int m, int n, int k, float[] a, int[] aRows, float[] b, int bOff, int ldb,
                                 float[] c, int cOff, int ldc, boolean accumulate) {
        if (aRows.length < m) throw new IllegalArgumentException("gemm: " + aRows.length + " row offsets for " + m + " rows");
        for (int i = 0; i < m; i++) {
            if (aRows[i] < 0 || (long) aRows[i] + k > a.length) {
                throw new IllegalArgumentException("gemm: row " + i + " of A at " + aRows[i] + " (+" + k
                        + ") does not fit in an array of " + a.length + " floats");
            }
        }
        checkMatrix("B", b, bOff, ldb, k, n);
        checkMatrix("C", c, cOff, ldc, m, n);
        if (m == 0 || n == 0) return;
        if (k == 0 || !FastPath.on()) {
            for (int i = 0; i < m; i++)
                gemmScalar(false, false, 1, n, k, a, aRows[i], k, b, bOff, ldb, c, cOff + i * ldc, ldc, accumulate);
            return;
        }
        float[] packB = PACK_B.get(), tile = TILE.get();
        int full = n / NR * NR; // whole NR-column panels of B are read in place; a narrower last one is packed
        int kStep = Math.ceilDiv(k, Math.ceilDiv(k, KC_ROWS));
        for (int pc = 0; pc < k; pc += kStep) {
            int kc = Math.min(kStep, k - pc);
            if (full < n) packB(false, b, bOff, ldb, pc, full, kc, n - full, packB);
            boolean acc = accumulate || pc > 0;
            for (int ir = 0; ir < m; ir += MR) {
                int rows = Math.min(MR, m - ir), last = m - 1; // past the last row: repeat it, not written back
                for (int jr = 0; jr < n; jr += NR) {
                    boolean inPlace = jr < full;
                    microKernelRows(kc, a, aRows[ir] + pc, aRows[Math.min(ir + 1, last)] + pc,
                            aRows[Math.min(ir + 2, last)] + pc, aRows[Math.min(ir + 3, last)] + pc,
                            aRows[Math.min(ir + 4, last)] + pc, aRows[Math.min(ir + 5, last)] + pc,
                            aRows[Math.min(ir + 6, last)] + pc, aRows[Math.min(ir + 7, last)] + pc,
                            inPlace ? b : packB, inPlace ? bOff + pc * ldb + jr : 0, inPlace ? ldb : NR, tile);
                    writeTile(tile, c, cOff + ir * ldc + jr, ldc, rows, Math.min(NR, n - jr), acc);
                }
            }
        }
    }

    /**
     * {@link #microKernel} with the MR values of A at step p taken from a0 + p, ..., a7 + p. A twin on purpose:
     * one kernel for both, with eight row starts and a step (MR packed, 1 in place), measured 0.94x on small
     * packed GEMMs (m = 32..256) and 0.93x on a lenet5 training step (JarAB, same process).
     */
    private static void microKernelRows(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int a6,
                                        int a7, float[] bp, int b0, int bStep, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int bi = b0;
        for (int p = 0; p < kc; p++, bi += bStep) {
            FloatVector b0v = FloatVector.fromArray(S, bp, bi);
            FloatVector b1v = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(S, a[a6 + p]);
            c60 = av.fma(b0v, c60);
            c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(S, a[a7 + p]);
            c70 = av.fma(b0v, c70);
            c71 = av.fma(b1v, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    // ---------------------------------------------------------------------------------------------------
    // Tiny products (a few thousand multiply-adds): packing would cost more than it saves.

    /** C row i = sum over p of op(A)[i,p] * op(B) row p, vectorized along the row when B is not transposed. */
    private static void gemmSmall(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        if (transB || n < L) { // rows of B not contiguous, or shorter than one vector: nothing to vectorize
            gemmScalar(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                int bp = bOff + p * ldb;
                int j = 0;
                FloatVector av = FloatVector.broadcast(S, aip);
                for (int bound = S.loopBound(n); j < bound; j += L) {
                    av.fma(FloatVector.fromArray(S, b, bp + j), FloatVector.fromArray(S, c, ci + j)).intoArray(c, ci + j);
                }
                for (; j < n; j++) c[ci + j] += aip * b[bp + j];
            }
        }
    }

    /**
     * C[i, j] (+)= A row i · B row j for columns j0..j1-1, when op(B) = Bᵀ: both rows are contiguous along k,
     * so each element is a dot product and nothing needs packing. For a handful of rows (a conv layer's weight
     * gradient: dy [cout, hw] · colᵀ with cout = 6 or 16 and k = hw in the hundreds) this beats the packed
     * path, which would first transpose all of B. Register-blocked: {@link #DOT_ROWS} rows of A times
     * {@link #DOT_COLS} rows of B at a time, 12 vector accumulators fed by 8 loads per step of k (one dot at a
     * time needs 2 loads per multiply-add and waits on each add). At the edges the last row / column is
     * repeated and the copies are not written back. Every element takes the same steps (vector multiply-adds
     * along k, a masked last step, lanes summed in a fixed order) whichever block it falls in, so the result
     * does not depend on how columns are split between threads.
     */
    private static void gemmDots(int j0, int j1, int k, int m, float[] a, int aOff, int lda,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        float[] lanes = TILE.get(); // the DOT_ROWS x DOT_COLS accumulators of a block, L lanes each
        int kVec = S.loopBound(k);
        for (int i = 0; i < m; i += DOT_ROWS)
            for (int j = j0; j < j1; j += DOT_COLS) {
                int a0 = aOff + i * lda, a1 = aOff + Math.min(i + 1, m - 1) * lda; // repeated past the edge
                int last = j1 - 1;
                dotBlock(kVec, a, a0, a1, b, bOff + j * ldb, bOff + Math.min(j + 1, last) * ldb,
                        bOff + Math.min(j + 2, last) * ldb, bOff + Math.min(j + 3, last) * ldb,
                        bOff + Math.min(j + 4, last) * ldb, bOff + Math.min(j + 5, last) * ldb, lanes);
                for (int ii = 0; ii < Math.min(DOT_ROWS, m - i); ii++)
                    for (int q = 0; q < Math.min(DOT_COLS, j1 - j); q++) {
                        int ci = cOff + (i + ii) * ldc + j + q, e = (ii * DOT_COLS + q) * L;
                        int ai = aOff + (i + ii) * lda, bi = bOff + (j + q) * ldb;
                        float dot = 0f;
                        for (int lane = 0; lane < L; lane++) dot += lanes[e + lane]; // fixed order (see Vec.sum)
                        for (int p = kVec; p < k; p++) dot = Math.fma(a[ai + p], b[bi + p], dot); // tail of k
                        c[ci] = accumulate ? c[ci] + dot : dot;
                    }
            }
    }

    /** Rows of A and of B per block of {@link #gemmDots}. */
    static final int DOT_ROWS = 2, DOT_COLS = 6;

    /**
     * lanes[(r * 6 + q) * L ..] = the L partial sums of A row r · B row q over the first kVec (a multiple of L)
     * elements, for the two A rows at a0, a1
     * and six B rows at b0..b5. Twelve named accumulators, as in {@link #microKernel}, so that the JIT keeps
     * them in registers.
     */
    private static void dotBlock(int kVec, float[] a, int a0, int a1, float[] b, int b0, int b1, int b2, int b3,
                                 int b4, int b5, float[] lanes) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S);
        FloatVector s03 = FloatVector.zero(S), s04 = FloatVector.zero(S), s05 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S);
        FloatVector s13 = FloatVector.zero(S), s14 = FloatVector.zero(S), s15 = FloatVector.zero(S);
        for (int p = 0; p < kVec; p += L) { // no masks in here: with them C2 boxed the vectors (100x slower)
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p), x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector y;
            y = FloatVector.fromArray(S, b, b0 + p);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            y = FloatVector.fromArray(S, b, b1 + p);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            y = FloatVector.fromArray(S, b, b2 + p);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            y = FloatVector.fromArray(S, b, b3 + p);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
            y = FloatVector.fromArray(S, b, b4 + p);
            s04 = x0.fma(y, s04);
            s14 = x1.fma(y, s14);
            y = FloatVector.fromArray(S, b, b5 + p);
            s05 = x0.fma(y, s05);
            s15 = x1.fma(y, s15);
        }
        s00.intoArray(lanes, 0);
        s01.intoArray(lanes, L);
        s02.intoArray(lanes, 2 * L);
        s03.intoArray(lanes, 3 * L);
        s04.intoArray(lanes, 4 * L);
        s05.intoArray(lanes, 5 * L);
        s10.intoArray(lanes, 6 * L);
        s11.intoArray(lanes, 7 * L);
        s12.intoArray(lanes, 8 * L);
        s13.intoArray(lanes, 9 * L);
        s14.intoArray(lanes, 10 * L);
        s15.intoArray(lanes, 11 * L);
    }

    // ---------------------------------------------------------------------------------------------------

    private static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k);
        if (m == 0 || n == 0) return;
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", c, cOff, ldc, m, n);
    }

    /** A stored matrix of rows x cols with row stride ld starting at off must fit in the array. */
    private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) return;
        if (ld < cols || off < 0 || (long) off + (long) (rows - 1) * ld + cols > x.length) {
            throw new IllegalArgumentException("gemm: matrix " + name + " of " + rows + "x" + cols + " with offset " + off
                    + " and row stride " + ld + " does not fit in an array of " + x.length + " floats");
        }
    }

    private static int roundUp(int a, int b) {
        return Math.ceilDiv(a, b) * b;
    }
}
