package glassbox.viz.embedding;

import glassbox.kernels.Gemm;

import java.util.SplittableRandom;

/**
 * Principal component analysis of N points in D dimensions: the top k directions of largest variance and
 * how much of the total variance each explains.
 *
 * <p>Method: the covariance C = Xcᵀ Xc / N (D x D, one multi-threaded GEMM), then block power (subspace)
 * iteration on C from a seeded random start with a few extra columns, and a Rayleigh-Ritz step (Jacobi on the
 * small projected matrix) for the final directions (Halko, Martinsson and Tropp 2011, "Finding Structure
 * with Randomness", algorithms 4.4 and 5.1). Deterministic for a seed. The total variance is the exact trace
 * of C, so the explained ratios are exact up to the accuracy of the leading eigenvalues. Leaves out whitening
 * and the full spectrum.
 *
 * @param mean       the mean point [D]
 * @param components unit directions [k][D], largest variance first; each one's sign is fixed so that its
 *                   largest-magnitude entry is positive
 * @param variance   variance along each direction [k]
 * @param ratio      {@code variance / totalVariance} [k]
 * @param totalVariance trace of the covariance
 */
public record Pca(float[] mean, float[][] components, double[] variance, double[] ratio, double totalVariance) {
    private static final int EXTRA = 10, ITERATIONS = 30;

    /** Fits {@code k} components to {@code x} [N, D] (row-major). */
    public static Pca fit(float[] x, int n, int d, int k, long seed) {
        if (k < 1 || k > d) throw new IllegalArgumentException("PCA: " + k + " components of " + d + " dimensions");
        if (n < 2) throw new IllegalArgumentException("PCA needs at least 2 points, got " + n);
        float[] mean = new float[d];
        double[] sum = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) sum[j] += x[i * d + j];
        for (int j = 0; j < d; j++) mean[j] = (float) (sum[j] / n);
        float[] xc = new float[n * d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) xc[i * d + j] = x[i * d + j] - mean[j];
        float[] cov = new float[d * d]; // [D, D] = Xcᵀ Xc / N
        Gemm.gemm(true, false, d, d, n, xc, 0, d, xc, 0, d, cov, 0, d, false);
        for (int i = 0; i < cov.length; i++) cov[i] /= n;
        double trace = 0;
        for (int j = 0; j < d; j++) trace += cov[j * d + j];

        int m = Math.min(d, k + EXTRA);
        float[] q = new float[d * m]; // [D, m], columns are the subspace
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
        orthonormalize(q, d, m);
        float[] cq = new float[d * m];
        for (int it = 0; it < ITERATIONS; it++) {
            Gemm.gemm(false, false, d, m, d, cov, 0, d, q, 0, m, cq, 0, m, false);
            System.arraycopy(cq, 0, q, 0, q.length);
            orthonormalize(q, d, m);
        }
        // Rayleigh-Ritz: B = Qᵀ C Q [m, m], B = U Λ Uᵀ, directions Q U.
        Gemm.gemm(false, false, d, m, d, cov, 0, d, q, 0, m, cq, 0, m, false);
        double[][] b = new double[m][m];
        for (int a = 0; a < m; a++) {
            for (int c = 0; c < m; c++) {
                double s = 0;
                for (int i = 0; i < d; i++) s += (double) q[i * m + a] * cq[i * m + c];
                b[a][c] = s;
            }
        }
        for (int a = 0; a < m; a++) for (int c = 0; c < a; c++) b[a][c] = b[c][a] = (b[a][c] + b[c][a]) / 2;
        double[][] u = new double[m][m];
        double[] lambda = Jacobi.eigen(b, u);
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) order[i] = i;
        java.util.Arrays.sort(order, (i1, i2) -> Double.compare(lambda[i2], lambda[i1]));
        float[][] comp = new float[k][d];
        double[] var = new double[k], ratio = new double[k];
        for (int c = 0; c < k; c++) {
            int e = order[c];
            double big = 0;
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int a = 0; a < m; a++) s += q[i * m + a] * u[a][e];
                comp[c][i] = (float) s;
                if (Math.abs(s) > Math.abs(big)) big = s;
            }
            if (big < 0) for (int i = 0; i < d; i++) comp[c][i] = -comp[c][i];
            var[c] = Math.max(0, lambda[e]);
            ratio[c] = trace > 0 ? var[c] / trace : 0;
        }
        return new Pca(mean, comp, var, ratio, trace);
    }

    /** Number of components. */
    public int k() {
        return components.length;
    }

    /** Projects {@code x} [N, D] onto the first {@code k} components: [N, k]. */
    public float[] project(float[] x, int n, int k) {
        int d = mean.length;
        float[] xc = new float[n * d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) xc[i * d + j] = x[i * d + j] - mean[j];
        float[] w = new float[k * d]; // [k, D]
        for (int c = 0; c < k; c++) System.arraycopy(components[c], 0, w, c * d, d);
        float[] out = new float[n * k];
        Gemm.gemm(false, true, n, k, d, xc, 0, d, w, 0, d, out, 0, k, false);
        return out;
    }

    /** Modified Gram-Schmidt, twice, on the m columns of q [D, m] (double accumulation). */
    private static void orthonormalize(float[] q, int d, int m) {
        for (int pass = 0; pass < 2; pass++) {
            for (int c = 0; c < m; c++) {
                for (int p = 0; p < c; p++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) dot += (double) q[i * m + c] * q[i * m + p];
                    for (int i = 0; i < d; i++) q[i * m + c] -= (float) (dot * q[i * m + p]);
                }
                double nn = 0;
                for (int i = 0; i < d; i++) nn += (double) q[i * m + c] * q[i * m + c];
                double inv = nn > 1e-30 ? 1 / Math.sqrt(nn) : 0;
                for (int i = 0; i < d; i++) q[i * m + c] *= (float) inv;
            }
        }
    }
}
