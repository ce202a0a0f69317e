package glassbox.viz.embedding;

import glassbox.kernels.Parallel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Barnes-Hut t-SNE against its exact definition, PCA, the vantage-point tree and the separation numbers. */
class TsneTest {
    /** {@code classes} Gaussian clusters of {@code per} points in {@code d} dimensions, centres 10 apart, unit spread. */
    static float[] clusters(int classes, int per, int d, long seed, int[] labels) {
        Random r = new Random(seed);
        float[][] centres = new float[classes][d];
        for (float[] c : centres) for (int j = 0; j < d; j++) c[j] = (float) r.nextGaussian() * 10;
        float[] x = new float[classes * per * d];
        for (int i = 0; i < classes * per; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < d; j++) x[i * d + j] = centres[labels[i]][j] + (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void barnesHutGradientApproachesTheExactOneAsThetaGoesToZero() {
        int n = 300, d = 10;
        int[] labels = new int[n];
        float[] x = clusters(3, 100, d, 1, labels);
        Tsne.Affinities p = Tsne.Affinities.of(x, n, d, 20, 1);
        Random r = new Random(2);
        float[] y = new float[2 * n];
        for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian() * 3;
        Tsne.Forces f = new Tsne.Forces(p, n);
        float[] exact = new float[2 * n], bh = new float[2 * n];
        f.exactGradient(y, 12, exact);
        double previous = Double.POSITIVE_INFINITY;
        for (double theta : new double[]{0.8, 0.5, 0.2, 0.0}) {
            f.gradient(y, 12, theta, bh);
            double err = relError(bh, exact);
            assertTrue(err <= previous + 1e-7, "theta " + theta + ": error " + err + " after " + previous);
            previous = err;
            if (theta == 0.5) assertTrue(err < 0.05, "theta 0.5: " + err);
        }
        assertTrue(previous < 1e-5, "theta 0 is exact up to float rounding: " + previous);
    }

    static double relError(float[] a, float[] b) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (double) (a[i] - b[i]);
            den += b[i] * (double) b[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void affinitiesAreSymmetricSumToOneAndMatchThePerplexity() {
        int n = 200, d = 5;
        int[] labels = new int[n];
        float[] x = clusters(4, 50, d, 3, labels);
        Tsne.Affinities p = Tsne.Affinities.of(x, n, d, 10, 1);
        double total = 0;
        for (float v : p.val()) total += v;
        assertEquals(1, total, 1e-5);
        for (int i = 0; i < n; i++) {
            for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
                int j = p.col()[e];
                assertNotEquals(i, j);
                float back = Float.NaN;
                for (int e2 = p.rowStart()[j]; e2 < p.rowStart()[j + 1]; e2++) if (p.col()[e2] == i) back = p.val()[e2];
                assertEquals(p.val()[e], back, 1e-9f, "p_ij = p_ji");
            }
        }
        float[] dist = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, out = new float[15];
        Tsne.Affinities.calibrate(dist, 0, 15, 5, out);
        double h = 0;
        for (float v : out) if (v > 0) h -= v * Math.log(v);
        assertEquals(5, Math.exp(h), 1e-3, "perplexity 2^H (nats: e^H) = 5");
    }

    @Test
    void vpTreeFindsTheExactNearestNeighbours() {
        int n = 500, d = 8, k = 7;
        Random r = new Random(5);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        VpTree t = new VpTree(x, n, d, 9);
        int[] idx = new int[k];
        float[] dst = new float[k];
        for (int q = 0; q < n; q += 7) {
            t.search(q, k, idx, dst, 0);
            Integer[] all = new Integer[n - 1];
            for (int i = 0, a = 0; i < n; i++) if (i != q) all[a++] = i;
            final int qq = q;
            Arrays.sort(all, (a, b) -> a.equals(b) ? 0 : Float.compare(t.distance(qq, a), t.distance(qq, b)) != 0
                    ? Float.compare(t.distance(qq, a), t.distance(qq, b)) : Integer.compare(a, b));
            for (int j = 0; j < k; j++) assertEquals((int) all[j], idx[j], "query " + q + " neighbour " + j);
        }
    }

    @Test
    void bothNeighbourSearchesAgree() {
        int n = 300, d = 24, k = 10;
        Random r = new Random(6);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int[] a = new int[n * k], b = new int[n * k];
        float[] da = new float[n * k], db = new float[n * k];
        Neighbours.of(x, n, d, k, 1, a, da, Neighbours.Method.VP_TREE);
        Neighbours.of(x, n, d, k, 1, b, db, Neighbours.Method.GEMM_BLOCKS);
        assertArrayEquals(a, b);
        assertArrayEquals(da, db, 1e-4f);
        assertEquals(Neighbours.Method.VP_TREE, Neighbours.method(2));
        assertEquals(Neighbours.Method.GEMM_BLOCKS, Neighbours.method(50));
    }

    @Test
    void tsneAndPcaOfSeparatedClustersKeepThemApartAndTsneIsDeterministic() {
        int n = 200, d = 20;
        int[] labels = new int[n];
        float[] x = clusters(4, 50, d, 7, labels);
        Tsne t = new Tsne(10, 300, 0, 12, 100, 0.5, 50, 1);
        int before = Parallel.threads();
        float[] y1, y2;
        try {
            Parallel.setThreads(1);
            y1 = t.run(x, n, d, null).y();
            Parallel.setThreads(2);
            y2 = t.run(x, n, d, null).y();
        } finally {
            Parallel.setThreads(before);
        }
        assertArrayEquals(y1, y2, "same seed, different thread counts: the same map");
        double knn = Separation.of(y1, n, 2, labels, 4, 5).knnAccuracy();
        assertTrue(knn > 0.99, "t-SNE 5-NN accuracy " + knn);
        float[] p = Pca.fit(x, n, d, 2, 1).project(x, n, 2);
        assertTrue(Separation.of(p, n, 2, labels, 4, 5).knnAccuracy() > 0.95);
        Separation orig = Separation.of(x, n, d, labels, 4, 5);
        assertEquals(1.0, orig.knnAccuracy(), 1e-12);
        assertTrue(orig.silhouette() > 0.7, "silhouette " + orig.silhouette());
    }

    @Test
    void pcaFindsTheVarianceOfAKnownDistribution() {
        int n = 4000, d = 6;
        double[] sd = {5, 3, 2, 1, 0.5, 0.1};
        Random r = new Random(11);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i * d + j] = (float) (r.nextGaussian() * sd[j]) + 7;
        Pca p = Pca.fit(x, n, d, 3, 1);
        for (int c = 0; c < 3; c++) {
            assertEquals(sd[c] * sd[c], p.variance()[c], 0.06 * sd[c] * sd[c], "component " + c);
            assertEquals(1, Math.abs(p.components()[c][c]), 0.02, "axis-aligned direction");
        }
        double total = 0;
        for (double s : sd) total += s * s;
        assertEquals(total, p.totalVariance(), 0.05 * total);
        assertEquals(p.variance()[0] / p.totalVariance(), p.ratio()[0], 1e-12);
    }

    @Test
    void jacobiDiagonalizes() {
        double[][] a = {{4, 1, 2}, {1, 3, 0.5}, {2, 0.5, 1}}, copy = {{4, 1, 2}, {1, 3, 0.5}, {2, 0.5, 1}}, v = new double[3][3];
        double[] ev = Jacobi.eigen(a, v);
        for (int e = 0; e < 3; e++) {
            for (int i = 0; i < 3; i++) {
                double av = 0;
                for (int j = 0; j < 3; j++) av += copy[i][j] * v[j][e];
                assertEquals(ev[e] * v[i][e], av, 1e-10);
            }
        }
    }
}
