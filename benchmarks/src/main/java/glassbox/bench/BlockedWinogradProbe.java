package glassbox.bench;

import glassbox.kernels.ConvShape;
import glassbox.kernels.Parallel;
import glassbox.kernels.Winograd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * An experiment, not an engine kernel: Winograd F(2x2, 3x3) forward on a channel-blocked layout, timed against the
 * engine's {@link Winograd#forwardTransformed} on the same weights, to see whether a path of its own for the attack
 * (docs/robustness.md, "How far from the machine's peak") would pay.
 *
 * <p>Layout: activations {@code [n][C/16][H+2][W+2][16]}, 16 channels a vector, padded by one zero pixel so that the
 * input transform loads without bounds checks; output {@code [n][K/16][H][W][16]}. Per image, chunks of {@link #TB}
 * tiles: the input transform writes {@code V[ξ][tile][c]}, 16 GEMMs {@code M[ξ][tile][k] = Σc V[ξ][tile][c]
 * U[ξ][c][k]} broadcast V and load U as vectors over k, the output transform adds the bias (and could apply ReLU and
 * a residual sum at no extra pass). Each tile's transforms are methods of their own: in one large method the JIT
 * stops inlining the small helpers, and vectors passed to a call that is not inlined are boxed (10x slower).
 *
 * <p>Prints, for resnet20's three 3x3 shapes (batch 32, one thread, CPU time, best of 200): the engine's time, the
 * blocked time, and the blocked transforms alone. Requires C and K multiples of 16, H and W even.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar glassbox.bench.BlockedWinogradProbe}
 */
public final class BlockedWinogradProbe {
    private BlockedWinogradProbe() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;
    /** Tiles per chunk: a multiple of kernel12x1's 12 rows; kernel8x2's last block of a chunk has 4. */
    static final int TB = 60;
    /** One cache line between the 16 planes of V and M: planes a multiple of 4 KiB apart evict each other in L1. */
    private static final int PAD = 16;

    /**
     * y = conv3x3(x) + bias on the blocked layout. x padded [n][C/16][H+2][W+2][16], ut [16][C][K] (the engine's U
     * transposed), y [n][K/16][H][W][16]; v and m scratch of {@link #scratch} floats. {@code gemm} false skips the
     * GEMMs (to time the transforms alone).
     */
    static void forward(int n, int c, int k, int h, int w, float[] x, float[] ut, float[] bias, float[] y,
                        float[] v, float[] m, boolean gemm) {
        int tw = w / 2, tiles = (h / 2) * tw, cbs = c / L, kbs = k / L, vPlane = TB * c + PAD, mPlane = TB * k + PAD;
        for (int img = 0; img < n; img++) {
            for (int t0 = 0; t0 < tiles; t0 += TB) {
                int tb = Math.min(TB, tiles - t0);
                for (int t = 0; t < tb; t++) {
                    int ty = (t0 + t) / tw, tx = (t0 + t) % tw;
                    for (int cb = 0; cb < cbs; cb++) {
                        int at = (((img * cbs + cb) * (h + 2) + 2 * ty) * (w + 2) + 2 * tx) * L; // padded pixel (2ty, 2tx)
                        inputTile(x, at, (w + 2) * L, v, t * c + cb * L, vPlane);
                    }
                }
                for (int xi = 0; gemm && xi < 16; xi++) {
                    int vb = xi * vPlane, ub = xi * c * k, mb = xi * mPlane;
                    if (k % 32 == 0) {
                        for (int kb = 0; kb < k; kb += 32)
                            for (int t = 0; t < tb; t += 8) kernel8x2(v, vb + t * c, c, ut, ub + kb, k, m, mb + t * k + kb, k, Math.min(8, tb - t));
                    } else {
                        for (int t = 0; t < tb; t += 12) kernel12x1(v, vb + t * c, c, ut, ub, k, m, mb + t * k, k, Math.min(12, tb - t));
                    }
                }
                for (int t = 0; t < tb; t++) {
                    int ty = (t0 + t) / tw, tx = (t0 + t) % tw;
                    for (int kb = 0; kb < kbs; kb++) {
                        int at = (((img * kbs + kb) * h + 2 * ty) * w + 2 * tx) * L;
                        outputTile(m, t * k + kb * L, mPlane, bias, kb * L, y, at, w * L);
                    }
                }
            }
        }
    }

    /** Floats of each of the scratch arrays v and m for c (or k) channels. */
    static int scratch(int channels) {
        return 16 * (TB * channels + PAD);
    }

    /** V[ξ] = (Bᵀ d B)[ξ] for the 4x4 block d of 16-channel vectors at x[at], rows {@code row} floats apart. */
    private static void inputTile(float[] x, int at, int row, float[] v, int dst, int plane) {
        int r1 = at + row, r2 = r1 + row, r3 = r2 + row;
        FloatVector d00 = ld(x, at), d01 = ld(x, at + L), d02 = ld(x, at + 2 * L), d03 = ld(x, at + 3 * L);
        FloatVector d10 = ld(x, r1), d11 = ld(x, r1 + L), d12 = ld(x, r1 + 2 * L), d13 = ld(x, r1 + 3 * L);
        FloatVector d20 = ld(x, r2), d21 = ld(x, r2 + L), d22 = ld(x, r2 + 2 * L), d23 = ld(x, r2 + 3 * L);
        FloatVector d30 = ld(x, r3), d31 = ld(x, r3 + L), d32 = ld(x, r3 + 2 * L), d33 = ld(x, r3 + 3 * L);
        // Bᵀ d: rows d0 - d2, d1 + d2, d2 - d1, d1 - d3; then each row times B the same way
        inputRow(d00.sub(d20), d01.sub(d21), d02.sub(d22), d03.sub(d23), v, dst, plane, 0);
        inputRow(d10.add(d20), d11.add(d21), d12.add(d22), d13.add(d23), v, dst, plane, 4);
        inputRow(d20.sub(d10), d21.sub(d11), d22.sub(d12), d23.sub(d13), v, dst, plane, 8);
        inputRow(d10.sub(d30), d11.sub(d31), d12.sub(d32), d13.sub(d33), v, dst, plane, 12);
    }

    private static void inputRow(FloatVector e0, FloatVector e1, FloatVector e2, FloatVector e3, float[] v, int dst, int plane, int xi) {
        e0.sub(e2).intoArray(v, xi * plane + dst);
        e1.add(e2).intoArray(v, (xi + 1) * plane + dst);
        e2.sub(e1).intoArray(v, (xi + 2) * plane + dst);
        e1.sub(e3).intoArray(v, (xi + 3) * plane + dst);
    }

    /** The 2x2 output block at y[at] (rows {@code row} floats apart) = Aᵀ M A + bias, M the 16 planes at m[src]. */
    private static void outputTile(float[] m, int src, int plane, float[] bias, int b0, float[] y, int at, int row) {
        FloatVector q00 = ld(m, src), q01 = ld(m, src + plane), q02 = ld(m, src + 2 * plane), q03 = ld(m, src + 3 * plane);
        FloatVector q10 = ld(m, src + 4 * plane), q11 = ld(m, src + 5 * plane), q12 = ld(m, src + 6 * plane), q13 = ld(m, src + 7 * plane);
        FloatVector q20 = ld(m, src + 8 * plane), q21 = ld(m, src + 9 * plane), q22 = ld(m, src + 10 * plane), q23 = ld(m, src + 11 * plane);
        FloatVector q30 = ld(m, src + 12 * plane), q31 = ld(m, src + 13 * plane), q32 = ld(m, src + 14 * plane), q33 = ld(m, src + 15 * plane);
        // Aᵀ q: rows q0 + q1 + q2 and q1 - q2 - q3; then each row times A the same way
        FloatVector f0 = q00.add(q10).add(q20), f1 = q01.add(q11).add(q21), f2 = q02.add(q12).add(q22), f3 = q03.add(q13).add(q23);
        FloatVector g0 = q10.sub(q20).sub(q30), g1 = q11.sub(q21).sub(q31), g2 = q12.sub(q22).sub(q32), g3 = q13.sub(q23).sub(q33);
        FloatVector b = ld(bias, b0);
        f0.add(f1).add(f2).add(b).intoArray(y, at);
        f1.sub(f2).sub(f3).add(b).intoArray(y, at + L);
        g0.add(g1).add(g2).add(b).intoArray(y, at + row);
        g1.sub(g2).sub(g3).add(b).intoArray(y, at + row + L);
    }

    private static FloatVector ld(float[] a, int at) {
        return FloatVector.fromArray(S, a, at);
    }

    /** c[r][0, 32) = Σj a[a0 + r·lda + j] · b[b0 + j·ldb + (0, 32)] for r &lt; rows ≤ 8 (missing rows repeat the last). */
    private static void kernel8x2(float[] a, int a0, int lda, float[] b, int b0, int ldb, float[] c, int c0, int ldc, int rows) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        int q0 = a0, q1 = a0 + Math.min(1, rows - 1) * lda, q2 = a0 + Math.min(2, rows - 1) * lda, q3 = a0 + Math.min(3, rows - 1) * lda;
        int q4 = a0 + Math.min(4, rows - 1) * lda, q5 = a0 + Math.min(5, rows - 1) * lda, q6 = a0 + Math.min(6, rows - 1) * lda, q7 = a0 + Math.min(7, rows - 1) * lda;
        for (int j = 0; j < lda; j++) {
            FloatVector u0 = ld(b, b0 + j * ldb), u1 = ld(b, b0 + j * ldb + L), s;
            s = FloatVector.broadcast(S, a[q0 + j]); c00 = s.fma(u0, c00); c01 = s.fma(u1, c01);
            s = FloatVector.broadcast(S, a[q1 + j]); c10 = s.fma(u0, c10); c11 = s.fma(u1, c11);
            s = FloatVector.broadcast(S, a[q2 + j]); c20 = s.fma(u0, c20); c21 = s.fma(u1, c21);
            s = FloatVector.broadcast(S, a[q3 + j]); c30 = s.fma(u0, c30); c31 = s.fma(u1, c31);
            s = FloatVector.broadcast(S, a[q4 + j]); c40 = s.fma(u0, c40); c41 = s.fma(u1, c41);
            s = FloatVector.broadcast(S, a[q5 + j]); c50 = s.fma(u0, c50); c51 = s.fma(u1, c51);
            s = FloatVector.broadcast(S, a[q6 + j]); c60 = s.fma(u0, c60); c61 = s.fma(u1, c61);
            s = FloatVector.broadcast(S, a[q7 + j]); c70 = s.fma(u0, c70); c71 = s.fma(u1, c71);
        }
        store(c00, c01, c, c0, ldc, 0, rows); store(c10, c11, c, c0, ldc, 1, rows);
        store(c20, c21, c, c0, ldc, 2, rows); store(c30, c31, c, c0, ldc, 3, rows);
        store(c40, c41, c, c0, ldc, 4, rows); store(c50, c51, c, c0, ldc, 5, rows);
        store(c60, c61, c, c0, ldc, 6, rows); store(c70, c71, c, c0, ldc, 7, rows);
    }

    /** c[r][0, 16) = Σj a[a0 + r·lda + j] · b[b0 + j·ldb + (0, 16)] for r &lt; rows ≤ 12: one broadcast per FMA. */
    private static void kernel12x1(float[] a, int a0, int lda, float[] b, int b0, int ldb, float[] c, int c0, int ldc, int rows) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0v = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z, c8 = z, c9 = z, c10 = z, c11 = z;
        int q0 = a0, q1 = a0 + Math.min(1, rows - 1) * lda, q2 = a0 + Math.min(2, rows - 1) * lda, q3 = a0 + Math.min(3, rows - 1) * lda;
        int q4 = a0 + Math.min(4, rows - 1) * lda, q5 = a0 + Math.min(5, rows - 1) * lda, q6 = a0 + Math.min(6, rows - 1) * lda, q7 = a0 + Math.min(7, rows - 1) * lda;
        int q8 = a0 + Math.min(8, rows - 1) * lda, q9 = a0 + Math.min(9, rows - 1) * lda, q10 = a0 + Math.min(10, rows - 1) * lda, q11 = a0 + Math.min(11, rows - 1) * lda;
        for (int j = 0; j < lda; j++) {
            FloatVector u = ld(b, b0 + j * ldb);
            c0v = FloatVector.broadcast(S, a[q0 + j]).fma(u, c0v); c1 = FloatVector.broadcast(S, a[q1 + j]).fma(u, c1);
            c2 = FloatVector.broadcast(S, a[q2 + j]).fma(u, c2); c3 = FloatVector.broadcast(S, a[q3 + j]).fma(u, c3);
            c4 = FloatVector.broadcast(S, a[q4 + j]).fma(u, c4); c5 = FloatVector.broadcast(S, a[q5 + j]).fma(u, c5);
            c6 = FloatVector.broadcast(S, a[q6 + j]).fma(u, c6); c7 = FloatVector.broadcast(S, a[q7 + j]).fma(u, c7);
            c8 = FloatVector.broadcast(S, a[q8 + j]).fma(u, c8); c9 = FloatVector.broadcast(S, a[q9 + j]).fma(u, c9);
            c10 = FloatVector.broadcast(S, a[q10 + j]).fma(u, c10); c11 = FloatVector.broadcast(S, a[q11 + j]).fma(u, c11);
        }
        store(c0v, c, c0, ldc, 0, rows); store(c1, c, c0, ldc, 1, rows); store(c2, c, c0, ldc, 2, rows);
        store(c3, c, c0, ldc, 3, rows); store(c4, c, c0, ldc, 4, rows); store(c5, c, c0, ldc, 5, rows);
        store(c6, c, c0, ldc, 6, rows); store(c7, c, c0, ldc, 7, rows); store(c8, c, c0, ldc, 8, rows);
        store(c9, c, c0, ldc, 9, rows); store(c10, c, c0, ldc, 10, rows); store(c11, c, c0, ldc, 11, rows);
    }

    private static void store(FloatVector lo, FloatVector hi, float[] c, int c0, int ldc, int r, int rows) {
        if (r < rows) {
            lo.intoArray(c, c0 + r * ldc);
            hi.intoArray(c, c0 + r * ldc + L);
        }
    }

    private static void store(FloatVector v, float[] c, int c0, int ldc, int r, int rows) {
        if (r < rows) v.intoArray(c, c0 + r * ldc);
    }

    /** NCHW to [n][C/16][H + 2p][W + 2p][16] with a zero border of p pixels. */
    static float[] blocked(float[] x, int n, int c, int h, int w, int p) {
        int hp = h + 2 * p, wp = w + 2 * p;
        float[] b = new float[n * c * hp * wp];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int yy = 0; yy < h; yy++)
                    for (int xx = 0; xx < w; xx++)
                        b[(((i * (c / L) + ch / L) * hp + yy + p) * wp + xx + p) * L + ch % L] = x[((i * c + ch) * h + yy) * w + xx];
        return b;
    }

    public static void main(String[] args) {
        Parallel.setThreads(1);
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        int n = 32;
        System.out.printf("%-18s %10s %10s %8s %16s %10s%n", "3x3 conv, batch 32", "engine ms", "blocked ms", "ratio", "transforms ms", "max error");
        for (int[] shape : new int[][]{{16, 32}, {32, 16}, {64, 8}}) {
            int c = shape[0], k = shape[0], h = shape[1], w = shape[1];
            Random r = new Random(1);
            float[] x = new float[n * c * h * w], weight = new float[k * c * 9], bias = new float[k];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            for (int i = 0; i < weight.length; i++) weight[i] = (float) (r.nextGaussian() * 0.1);
            for (int i = 0; i < k; i++) bias[i] = (float) r.nextGaussian();
            ConvShape s = new ConvShape(n, c, h, w, k, 3, 1, 1);
            float[] u = Winograd.transformedWeights(weight, k, c, false), ut = new float[16 * c * k]; // [16][K][C] -> [16][C][K]
            for (int xi = 0; xi < 16; xi++)
                for (int o = 0; o < k; o++)
                    for (int ch = 0; ch < c; ch++) ut[(xi * c + ch) * k + o] = u[(xi * k + o) * c + ch];
            float[] yEngine = new float[n * k * h * w], xb = blocked(x, n, c, h, w, 1), yb = new float[n * k * h * w];
            float[] v = new float[scratch(c)], m = new float[scratch(k)];
            Winograd.forwardTransformed(s, x, weight, u, bias, yEngine);
            forward(n, c, k, h, w, xb, ut, bias, yb, v, m, true);
            float[] expected = blocked(yEngine, n, k, h, w, 0);
            double err = 0;
            for (int i = 0; i < yb.length; i++) err = Math.max(err, Math.abs(yb[i] - expected[i]));
            if (!(err <= 1e-5)) throw new IllegalStateException("blocked output differs from the engine's by " + err + " (" + c + " channels)");
            long engine = Long.MAX_VALUE, mine = Long.MAX_VALUE, transforms = Long.MAX_VALUE;
            for (int rep = 0; rep < 200; rep++) { // alternating; the first rounds run before the JIT: keep the best
                long t0 = clock.getCurrentThreadCpuTime();
                Winograd.forwardTransformed(s, x, weight, u, bias, yEngine);
                long t1 = clock.getCurrentThreadCpuTime();
                forward(n, c, k, h, w, xb, ut, bias, yb, v, m, true);
                long t2 = clock.getCurrentThreadCpuTime();
                forward(n, c, k, h, w, xb, ut, bias, yb, v, m, false);
                long t3 = clock.getCurrentThreadCpuTime();
                engine = Math.min(engine, t1 - t0);
                mine = Math.min(mine, t2 - t1);
                transforms = Math.min(transforms, t3 - t2);
            }
            System.out.printf("%3d ch %2dx%-2d       %10.2f %10.2f %7.2fx %16.2f %10.1e%n",
                    c, h, w, engine / 1e6, mine / 1e6, (double) engine / mine, transforms / 1e6, err);
        }
    }
}
