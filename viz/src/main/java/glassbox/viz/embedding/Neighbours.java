package glassbox.viz.embedding;

import glassbox.kernels.Gemm;
import glassbox.kernels.Parallel;

/**
 * Exact k nearest neighbours of every point (itself excluded), nearest first, by one of two methods chosen
 * from the dimension alone (so the choice is the same on every machine):
 * <table>
 *   <caption>method by input dimension D</caption>
 *   <tr><th>D</th><th>method</th><th>why</th></tr>
 *   <tr><td>&le; {@value #TREE_MAX_DIMS}</td><td>{@link VpTree}</td><td>O(N log N): the tree prunes well in few dimensions</td></tr>
 *   <tr><td>&gt; {@value #TREE_MAX_DIMS}</td><td>blocks of all distances, ||a||² + ||b||² - 2 a·b by GEMM</td>
 *       <td>in 50 dimensions a query visits most of the tree anyway; measured on the 10,000 MNIST test images
 *       after PCA to 50: the tree took about 10x longer than the GEMM blocks</td></tr>
 * </table>
 * Both are exact; ties are broken by the smaller index. Leaves out approximate methods (random projection
 * forests, HNSW).
 */
final class Neighbours {
    /** Widest input that goes to the vantage-point tree. */
    static final int TREE_MAX_DIMS = 16;
    private static final int BLOCK = 256;

    /** Which search {@link #of} uses for {@code d} dimensions. */
    enum Method { VP_TREE, GEMM_BLOCKS }

    static Method method(int d) {
        return d <= TREE_MAX_DIMS ? Method.VP_TREE : Method.GEMM_BLOCKS;
    }

    /** k neighbours of each of the N points of {@code x} [N, D] into {@code idx}, {@code dist} [N, k] (Euclidean). */
    static void of(float[] x, int n, int d, int k, long seed, int[] idx, float[] dist) {
        of(x, n, d, k, seed, idx, dist, method(d));
    }

    static void of(float[] x, int n, int d, int k, long seed, int[] idx, float[] dist, Method m) {
        if (m == Method.VP_TREE) {
            VpTree tree = new VpTree(x, n, d, seed);
            Parallel.forRange(n, (chunk, from, to) -> {
                for (int i = from; i < to; i++) tree.search(i, k, idx, dist, i * k);
            });
            return;
        }
        float[] norms = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) s += (double) x[i * d + j] * x[i * d + j];
            norms[i] = (float) s;
        }
        float[] dot = new float[BLOCK * n];
        for (int r0 = 0; r0 < n; r0 += BLOCK) {
            int rows = Math.min(BLOCK, n - r0), base = r0;
            Gemm.gemm(false, true, rows, n, d, x, r0 * d, d, x, 0, d, dot, 0, n, false); // [rows, N]
            Parallel.forRange(rows, (chunk, from, to) -> {
                for (int r = from; r < to; r++) {
                    int i = base + r, o = i * k;
                    for (int t = 0; t < k; t++) dist[o + t] = Float.POSITIVE_INFINITY;
                    float worst = Float.POSITIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        if (j == i) continue;
                        float d2 = Math.max(0f, norms[i] + norms[j] - 2 * dot[r * n + j]);
                        if (d2 < worst) { // insertion into the sorted k best (strict: an equal later index stays out)
                            int p = k - 1;
                            while (p > 0 && dist[o + p - 1] > d2) {
                                dist[o + p] = dist[o + p - 1];
                                idx[o + p] = idx[o + p - 1];
                                p--;
                            }
                            dist[o + p] = d2;
                            idx[o + p] = j;
                            worst = dist[o + k - 1];
                        }
                    }
                    for (int t = 0; t < k; t++) dist[o + t] = (float) Math.sqrt(dist[o + t]);
                }
            });
        }
    }
}
