package glassbox.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gemm.gemm against its scalar twin: transposes, strides, offsets, accumulate, tails, threads. */
class GemmTest {
    private static final int THREADS = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(THREADS);
    }

    /** One random problem: operands stored with padding (ld > width) at an offset inside larger arrays. */
    private record Problem(boolean transA, boolean transB, int m, int n, int k,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc, boolean accumulate) {

        static Problem random(Random r, boolean transA, boolean transB, int m, int n, int k, boolean accumulate) {
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            int lda = aCols + r.nextInt(3), ldb = bCols + r.nextInt(3), ldc = n + r.nextInt(3);
            int aOff = r.nextInt(5), bOff = r.nextInt(5), cOff = r.nextInt(5);
            return new Problem(transA, transB, m, n, k,
                    Close.random(r, aOff + aRows * lda + 3), aOff, lda,
                    Close.random(r, bOff + bRows * ldb + 3), bOff, ldb,
                    Close.random(r, cOff + m * ldc + 3), cOff, ldc, accumulate);
        }

        float[] fast() {
            float[] out = c.clone();
            Gemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, out, cOff, ldc, accumulate);
            return out;
        }

        float[] scalar() {
            float[] out = c.clone();
            Gemm.gemmScalar(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, out, cOff, ldc, accumulate);
            return out;
        }

        /** The same sum over absolute values: the scale rounding errors are relative to. */
        float[] magnitude() {
            float[] out = Close.abs(c);
            Gemm.gemmScalar(transA, transB, m, n, k, Close.abs(a), aOff, lda, Close.abs(b), bOff, ldb, out, cOff, ldc, accumulate);
            return out;
        }

        double tol() {
            return 3e-7 * (k + 2);
        }

        void check() {
            String what = this.toString().replaceAll("\\[F@[0-9a-f]+", "[]");
            Close.assertClose(what, scalar(), fast(), magnitude(), tol());
        }

        @Override
        public String toString() {
            return "gemm transA=" + transA + " transB=" + transB + " m=" + m + " n=" + n + " k=" + k
                    + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " acc=" + accumulate;
        }
    }

    @Test
    void agreesWithScalarOnOddShapesAllTransposes() {
        Random r = new Random(42);
        // 1 and sizes around the vector width (16) and the micro-tile (8 x 32), (blocks: next test)
        int[] sizes = {1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47};
        for (boolean ta : new boolean[]{false, true})
            for (boolean tb : new boolean[]{false, true})
                for (int trial = 0; trial < 25; trial++) {
                    int m = sizes[r.nextInt(sizes.length)], n = sizes[r.nextInt(sizes.length)], k = sizes[r.nextInt(sizes.length)];
                    Problem.random(r, ta, tb, m, n, k, r.nextBoolean()).check();
                }
    }

    @Test
    void agreesWithScalarAcrossCacheBlocksAndThreads() {
        Random r = new Random(7);
        // k > KC = 512 (2 and 3 k blocks, later ones accumulate), m > MC = 64, n > NC = 1024, n not a multiple
        // of NR, both split directions of the 2-thread path
        int[][] shapes = {{131, 45, 300}, {20, 333, 260}, {129, 257, 17}, {1, 700, 40}, {600, 1, 40}, {64, 64, 513},
                {9, 40, 1100}, {3, 1100, 20}, {8, 1500, 300}}; // last: m <= 8 with Bᵀ takes the dot-product path
        for (int[] s : shapes)
            for (boolean ta : new boolean[]{false, true})
                for (boolean tb : new boolean[]{false, true})
                    Problem.random(r, ta, tb, s[0], s[1], s[2], r.nextBoolean()).check();
    }

    /**
     * gemmRowsA reads row i of A at a[rows[i]]: rows that overlap (shifted windows of one array, as a stride-1
     * convolution makes them), in any order, against gemmScalar on A gathered into a plain matrix. Sizes cross
     * the tile edges (m % 8, n % 32 != 0: a packed last panel of B) and the k blocks of 256.
     */
    @Test
    void rowsOfAReadInPlaceAgreeWithScalar() {
        Random r = new Random(11);
        int[][] shapes = {{1, 1, 1}, {7, 5, 3}, {8, 32, 16}, {9, 33, 17}, {27, 32, 300}, {288, 64, 1088}, {13, 47, 513}, {150, 16, 140}};
        for (int[] sh : shapes)
            for (boolean acc : new boolean[]{false, true}) {
                int m = sh[0], n = sh[1], k = sh[2];
                float[] src = Close.random(r, 3 * k + m + 5);
                int[] rows = new int[m];
                for (int i = 0; i < m; i++) rows[i] = r.nextInt(src.length - k + 1); // overlapping windows
                float[] a = new float[m * k];
                for (int i = 0; i < m; i++) System.arraycopy(src, rows[i], a, i * k, k);
                int ldb = n + r.nextInt(3), ldc = n + r.nextInt(3);
                float[] b = Close.random(r, 2 + k * ldb), c = Close.random(r, 1 + m * ldc);
                float[] fast = c.clone(), slow = c.clone(), mag = Close.abs(c);
                Gemm.gemmRowsA(m, n, k, src, rows, b, 2, ldb, fast, 1, ldc, acc);
                Gemm.gemmScalar(false, false, m, n, k, a, 0, k, b, 2, ldb, slow, 1, ldc, acc);
                Gemm.gemmScalar(false, false, m, n, k, Close.abs(a), 0, k, Close.abs(b), 2, ldb, mag, 1, ldc, acc);
                Close.assertClose("gemmRowsA m=" + m + " n=" + n + " k=" + k + " acc=" + acc, slow, fast, mag, 3e-7 * (k + 2));
            }
        assertThrows(IllegalArgumentException.class, () -> Gemm.gemmRowsA(2, 2, 4, new float[8], new int[]{0, 5},
                new float[8], 0, 2, new float[4], 0, 2, false), "a row running past the end of A");
    }

    @Test
    void dotProductPathAgreesWithScalarOnEdgesAndThreads() {
        // A · Bᵀ with few rows goes to gemmDots: blocks of 2 rows x 6 columns with the last row / column
        // repeated at the edges, k in vector steps plus a scalar tail. m = 1..16 (odd: a half row block;
        // 9..16 only from k >= DOTS_MIN_K), n not a multiple of 6 (and < 6), k with and without a tail,
        // offsets and strides, 1 and 2 threads (the 2-thread split cuts the columns).
        Random r = new Random(17);
        int[][] shapes = {{1, 5, 300}, {2, 6, 16}, {3, 7, 17}, {6, 25, 784}, {7, 1, 33}, {8, 13, 1}, {9, 11, 256},
                {16, 150, 1000}, {15, 31, 513}, {12, 100, 257}, {16, 3, 400}, {11, 600, 300}};
        for (int threads : new int[]{1, 2}) {
            Parallel.setThreads(threads);
            for (int[] s : shapes) Problem.random(r, false, true, s[0], s[1], s[2], r.nextBoolean()).check();
        }
    }

    @Test
    void bReadInPlaceAgreesWithScalar() {
        // m <= MC with B not transposed: whole 32-column panels of B are read in place, a narrower last one is
        // packed. n a multiple of NR, not, and below it; k over KC (later k blocks start pc rows down in B);
        // n over NC (a second column block); m = 1, 8, 9, 16, 17, 64; A transposed or not; 1 and 2 threads.
        Random r = new Random(19);
        int[][] shapes = {{6, 784, 25}, {16, 400, 150}, {1, 64, 7}, {8, 33, 40}, {9, 31, 600}, {17, 96, 1030},
                {64, 100, 513}, {16, 1100, 20}, {3, 2080, 9}, {64, 64, 576}};
        for (int threads : new int[]{1, 2}) {
            Parallel.setThreads(threads);
            for (int[] s : shapes)
                for (boolean ta : new boolean[]{false, true})
                    Problem.random(r, ta, false, s[0], s[1], s[2], r.nextBoolean()).check();
        }
    }

    @Test
    void accumulateAddsAndOverwriteIgnoresOldC() {
        Random r = new Random(3);
        Problem over = Problem.random(r, false, false, 19, 37, 23, false);
        Problem plus = new Problem(false, false, 19, 37, 23, over.a(), over.aOff(), over.lda(), over.b(), over.bOff(),
                over.ldb(), over.c(), over.cOff(), over.ldc(), true);
        over.check();
        plus.check();
        float[] o = over.fast(), p = plus.fast();
        int i = over.cOff() + 5 * over.ldc() + 4;
        assertEquals(o[i] + over.c()[i], p[i], 1e-4f, "accumulate = overwrite + old C");
    }

    @Test
    void kZeroGivesZeroOrLeavesC() {
        Problem p = Problem.random(new Random(1), false, true, 5, 40, 0, false);
        float[] out = p.fast();
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 40; j++) assertEquals(0f, out[p.cOff() + i * p.ldc() + j]);
        Problem q = new Problem(false, true, 5, 40, 0, p.a(), p.aOff(), p.lda(), p.b(), p.bOff(), p.ldb(), p.c(), p.cOff(), p.ldc(), true);
        assertArrayEquals(q.c(), q.fast());
    }

    @Test
    void leavesEverythingOutsideTheOutputWindowAlone() {
        Random r = new Random(11);
        Problem p = Problem.random(r, true, false, 37, 50, 70, true);
        float[] out = p.fast();
        for (int idx = 0; idx < out.length; idx++) {
            int rel = idx - p.cOff(), row = Math.floorDiv(rel, p.ldc()), col = rel - row * p.ldc();
            boolean inside = rel >= 0 && row < p.m() && col < p.n();
            if (!inside) assertEquals(p.c()[idx], out[idx], "element " + idx + " outside C was written");
        }
    }

    @Test
    void bitIdenticalRunToRunAndAcrossThreadCounts() {
        Random r = new Random(5);
        for (int[] s : new int[][]{{200, 210, 150}, {300, 40, 100}, {33, 500, 64}, {6, 3000, 200}, {13, 700, 300}}) {
            Problem p = Problem.random(r, false, true, s[0], s[1], s[2], false);
            Parallel.setThreads(2);
            float[] first = p.fast();
            assertArrayEquals(first, p.fast(), "same inputs, same threads: " + p);
            Parallel.setThreads(1);
            assertArrayEquals(first, p.fast(), "1 thread vs 2 threads: " + p);
        }
    }

    @Test
    void runsInlineInsideAParallelChunk() {
        Random r = new Random(9);
        Problem p = Problem.random(r, false, false, 150, 150, 150, false);
        float[] expected = p.fast();
        float[][] got = new float[2][];
        Parallel.setThreads(2);
        Parallel.forRange(2, (chunk, from, to) -> {
            for (int i = from; i < to; i++) got[i] = p.fast();
        });
        assertArrayEquals(expected, got[0]);
        assertArrayEquals(expected, got[1]);
    }

    @Test
    void checkerCatchesAnOffByOneInATail() {
        // A test that cannot fail is a defect: simulate the classic tail bug (the last column of a row not
        // written because a loop stopped one short) and check that the comparison used above notices it.
        Problem p = Problem.random(new Random(13), false, false, 9, 33, 20, false);
        float[] broken = p.fast();
        int last = p.cOff() + 8 * p.ldc() + 32;
        broken[last] = p.c()[last];
        assertTrue(Close.firstMismatch(p.scalar(), broken, p.magnitude(), p.tol()) == last);
        // and a perturbation of one rounding-level relative error 10x above the tolerance is caught too
        float[] fast = p.fast();
        fast[last] += (float) (10 * p.tol() * p.magnitude()[last]);
        assertTrue(Close.firstMismatch(p.scalar(), fast, p.magnitude(), p.tol()) == last);
    }

    @Test
    void rejectsMatricesThatDoNotFit() {
        float[] a = new float[10], b = new float[10], c = new float[10];
        var e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, 4, 3, 4, a, 0, 4, b, 0, 3, c, 0, 3, false));
        assertTrue(e.getMessage().contains("matrix A"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gemm.gemm(false, false, 2, 2, 2, a, 0, 1, b, 0, 2, c, 0, 2, false));
    }
}
