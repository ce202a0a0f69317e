package glassbox.viz.embedding;

import glassbox.kernels.Gemm;
import glassbox.kernels.Parallel;

/**
 * How well classes separate in a space, as two numbers: leave-one-out k-nearest-neighbour accuracy (each
 * point classified by the majority label of its k nearest other points; a tie goes to the smallest class
 * index, as {@code numpy.bincount(...).argmax()} does) and the mean silhouette (Rousseeuw 1987: for each
 * point, (b - a) / max(a, b) with a the mean distance to its own class and b the smallest mean distance to
 * another class; 1 is perfectly separated, 0 overlapping).
 *
 * <p>Exact, from all pairwise Euclidean distances, computed a block of rows at a time as
 * ||a||² + ||b||² - 2 a·b with the engine's GEMM (O(N² D) work, O(block · N) memory), so one pass serves both
 * numbers. Leaves out approximate neighbours: 10,000 points of 784 dimensions take about a second.
 *
 * @param knnAccuracy k-NN accuracy, 0..1
 * @param k           the k used
 * @param silhouette  mean silhouette, -1..1
 * @param points      how many points
 * @param dims        their dimension
 */
public record Separation(double knnAccuracy, int k, double silhouette, int points, int dims) {
    private static final int BLOCK = 256;

    /** Both numbers for {@code x} [N, D] with labels [N] in 0..classes-1. */
    public static Separation of(float[] x, int n, int d, int[] labels, int classes, int k) {
        if (k < 1 || k >= n) throw new IllegalArgumentException("k-NN needs 1 <= k < points, got k = " + k + " for " + n + " points");
        float[] norms = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) s += (double) x[i * d + j] * x[i * d + j];
            norms[i] = (float) s;
        }
        int[] classSize = new int[classes];
        for (int l : labels) classSize[l]++;
        int[] correct = new int[n];
        double[] sil = new double[n];
        float[] dot = new float[BLOCK * n];
        for (int r0 = 0; r0 < n; r0 += BLOCK) {
            int rows = Math.min(BLOCK, n - r0);
            Gemm.gemm(false, true, rows, n, d, x, r0 * d, d, x, 0, d, dot, 0, n, false); // [rows, N] = X_blk Xᵀ
            final int base = r0;
            Parallel.forRange(rows, (chunk, from, to) -> {
                int[] nbIdx = new int[k];
                float[] nbDist = new float[k];
                double[] sum = new double[classes];
                for (int r = from; r < to; r++) {
                    int i = base + r;
                    java.util.Arrays.fill(nbDist, Float.POSITIVE_INFINITY);
                    java.util.Arrays.fill(sum, 0);
                    for (int j = 0; j < n; j++) {
                        if (j == i) continue;
                        float d2 = Math.max(0f, norms[i] + norms[j] - 2 * dot[r * n + j]);
                        sum[labels[j]] += Math.sqrt(d2);
                        if (d2 < nbDist[k - 1]) { // insertion into the sorted k best
                            int p = k - 1;
                            while (p > 0 && nbDist[p - 1] > d2) {
                                nbDist[p] = nbDist[p - 1];
                                nbIdx[p] = nbIdx[p - 1];
                                p--;
                            }
                            nbDist[p] = d2;
                            nbIdx[p] = j;
                        }
                    }
                    int[] votes = new int[classes];
                    for (int j : nbIdx) votes[labels[j]]++;
                    int best = 0;
                    for (int c = 1; c < classes; c++) if (votes[c] > votes[best]) best = c;
                    correct[i] = best == labels[i] ? 1 : 0;
                    int own = labels[i];
                    if (classSize[own] <= 1) {
                        sil[i] = 0; // Rousseeuw: a point alone in its class scores 0
                        continue;
                    }
                    double a = sum[own] / (classSize[own] - 1), b = Double.POSITIVE_INFINITY;
                    for (int c = 0; c < classes; c++) if (c != own && classSize[c] > 0) b = Math.min(b, sum[c] / classSize[c]);
                    sil[i] = b == Double.POSITIVE_INFINITY ? 0 : (b - a) / Math.max(a, b);
                }
            });
        }
        long c = 0;
        double s = 0;
        for (int i = 0; i < n; i++) {
            c += correct[i];
            s += sil[i];
        }
        return new Separation((double) c / n, k, s / n, n, d);
    }
}
