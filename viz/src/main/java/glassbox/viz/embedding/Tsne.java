package glassbox.viz.embedding;

import glassbox.kernels.Parallel;

import java.util.Arrays;

/**
 * Barnes-Hut t-SNE (van der Maaten and Hinton 2008, "Visualizing Data using t-SNE"; van der Maaten 2014,
 * "Accelerating t-SNE using Tree-Based Algorithms"): a 2-D map of N points in which points that are near
 * in the input stay near.
 *
 * <p>The steps, as in the 2014 paper and scikit-learn's {@code TSNE(method="barnes_hut")}:
 * <ol>
 *   <li>Inputs wider than {@code pcaDims} are first reduced by {@link Pca} (50 dimensions is customary).</li>
 *   <li>Input similarities over the K = 3·perplexity nearest neighbours only, found exactly with a
 *       {@link VpTree} (or, above 16 dimensions, blocks of all distances: see {@link Neighbours}): p(j|i) ∝ exp(-β_i ||x_i - x_j||²), β_i found by binary search so that the entropy of
 *       p(·|i) is log(perplexity); then p_ij = (p(j|i) + p(i|j)) / 2N, a sparse symmetric matrix.</li>
 *   <li>The map starts from the first two principal components, scaled to standard deviation 1e-4.</li>
 *   <li>Gradient descent on KL(P || Q), Q the Student-t similarities of the map:
 *       dC/dy_i = 4 Σ_j (p_ij - q_ij) (1 + ||y_i - y_j||²)⁻¹ (y_i - y_j). The attractive part runs over the
 *       sparse P; the repulsive part over a {@link QuadTree}, a cell of side w at distance d standing in for
 *       its points when w / d &lt; θ. P is multiplied by {@code exaggeration} for the first
 *       {@code exaggerationIterations} (momentum 0.5, then 0.8), and per-coordinate gains grow by 0.2 while
 *       the gradient keeps its sign and shrink by x0.8 when it flips (Jacobs 1988; floor 0.01).</li>
 * </ol>
 * Neighbour search, perplexity calibration and both force passes run over the points in parallel; each
 * point's sums are computed on one thread in a fixed order and the normalizer Z is added up point by point,
 * so the map is bit-identical for a seed whatever the thread count. Leaves out FFT-accelerated
 * interpolation (FIt-SNE), 3-D maps and other input metrics.
 *
 * @param perplexity             effective number of neighbours, e.g. 30
 * @param iterations             gradient steps in all, e.g. 1000
 * @param learningRate           step size; 0 or less means "auto": max(N / exaggeration / 4, 50) (Belkina et al. 2019)
 * @param exaggeration           early exaggeration factor, e.g. 12
 * @param exaggerationIterations how many first steps use it, e.g. 250
 * @param theta                  Barnes-Hut accuracy: 0 is exact, 0.5 the usual trade
 * @param pcaDims                reduce wider inputs to this many dimensions first (0: never)
 * @param seed                   seeds the PCA start and the vantage-point choice
 */
public record Tsne(double perplexity, int iterations, double learningRate, double exaggeration, int exaggerationIterations,
                   double theta, int pcaDims, long seed) {
    public Tsne {
        if (!(perplexity > 0)) throw new IllegalArgumentException("perplexity must be > 0, got " + perplexity);
        if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        if (!(theta >= 0)) throw new IllegalArgumentException("theta must be >= 0, got " + theta);
    }

    /** Perplexity 30, 1,000 steps, automatic learning rate, exaggeration 12 for 250 steps, θ = 0.5, PCA to 50. */
    public static Tsne defaults(long seed) {
        return new Tsne(30, 1000, 0, 12, 250, 0.5, 50, seed);
    }

    public Tsne withPerplexity(double p) {
        return new Tsne(p, iterations, learningRate, exaggeration, exaggerationIterations, theta, pcaDims, seed);
    }

    public Tsne withIterations(int n) {
        return new Tsne(perplexity, n, learningRate, exaggeration, exaggerationIterations, theta, pcaDims, seed);
    }

    public Tsne withLearningRate(double lr) {
        return new Tsne(perplexity, iterations, lr, exaggeration, exaggerationIterations, theta, pcaDims, seed);
    }

    public Tsne withTheta(double t) {
        return new Tsne(perplexity, iterations, learningRate, exaggeration, exaggerationIterations, t, pcaDims, seed);
    }

    /** Called every 50 steps (and after the last) with the step and the KL divergence of the map. */
    @FunctionalInterface
    public interface Listener {
        void onProgress(int iteration, int iterations, double kl);
    }

    /**
     * A finished map.
     *
     * @param y          the map [N, 2], row-major
     * @param kl         KL(P || Q) at the end (Q estimated by the tree)
     * @param klByStep   KL every 50 steps
     * @param neighbours K, the neighbours per point in P
     * @param seconds    wall time
     */
    public record Result(float[] y, double kl, double[] klByStep, int neighbours, double seconds) {
    }

    /** Embeds {@code x} [N, D] in 2-D. */
    public Result run(float[] x, int n, int d, Listener listener) {
        if (n < 4) throw new IllegalArgumentException("t-SNE needs at least 4 points, got " + n);
        long t0 = System.nanoTime();
        if (pcaDims > 0 && d > pcaDims) {
            x = Pca.fit(x, n, d, pcaDims, seed).project(x, n, pcaDims);
            d = pcaDims;
        }
        Affinities p = Affinities.of(x, n, d, perplexity, seed);
        float[] y = pcaStart(x, n, d);
        double lr = learningRate > 0 ? learningRate : Math.max(n / exaggeration / 4, 50);
        float[] grad = new float[2 * n], update = new float[2 * n], gains = new float[2 * n];
        Arrays.fill(gains, 1f);
        Forces f = new Forces(p, n);
        double[] kls = new double[(iterations + 49) / 50];
        double kl = Double.NaN;
        for (int it = 0; it < iterations; it++) {
            boolean early = it < exaggerationIterations;
            double z = f.gradient(y, early ? exaggeration : 1, theta, grad);
            float momentum = early ? 0.5f : 0.8f;
            for (int i = 0; i < 2 * n; i++) {
                gains[i] = (update[i] * grad[i] < 0) ? gains[i] + 0.2f : gains[i] * 0.8f; // sign kept: ascend
                if (gains[i] < 0.01f) gains[i] = 0.01f;
                update[i] = momentum * update[i] - (float) (lr * gains[i] * grad[i]);
                y[i] += update[i];
            }
            if ((it + 1) % 50 == 0 || it == iterations - 1) {
                kl = f.kl(y, z);
                if ((it + 1) % 50 == 0) kls[(it + 1) / 50 - 1] = kl;
                if (listener != null) listener.onProgress(it + 1, iterations, kl);
            }
        }
        return new Result(y, kl, kls, p.k, (System.nanoTime() - t0) / 1e9);
    }

    /** First two principal components, scaled so that the first has standard deviation 1e-4. */
    private float[] pcaStart(float[] x, int n, int d) {
        float[] y = Pca.fit(x, n, d, 2, seed).project(x, n, 2);
        double s = 0, m = 0;
        for (int i = 0; i < n; i++) m += y[2 * i];
        m /= n;
        for (int i = 0; i < n; i++) s += (y[2 * i] - m) * (y[2 * i] - m);
        double std = Math.sqrt(s / n);
        float scale = (float) (std > 0 ? 1e-4 / std : 1);
        for (int i = 0; i < y.length; i++) y[i] *= scale;
        return y;
    }

    /**
     * The sparse symmetric input similarities P in compressed rows: row i's entries are
     * {@code col[rowStart[i] .. rowStart[i+1])} with values {@code val[..]}, summing to 1 over the matrix.
     */
    record Affinities(int[] rowStart, int[] col, float[] val, int k) {
        static Affinities of(float[] x, int n, int d, double perplexity, long seed) {
            int k = Math.min(n - 1, (int) (3 * perplexity + 1));
            int[] nb = new int[n * k];
            float[] dist = new float[n * k], cond = new float[n * k];
            Neighbours.of(x, n, d, k, seed, nb, dist);
            Parallel.forRange(n, (chunk, from, to) -> {
                for (int i = from; i < to; i++) calibrate(dist, i * k, k, perplexity, cond);
            });
            return symmetrize(n, k, nb, cond);
        }

        /** p(j|i) over the K neighbours: binary search on β so that the entropy is log(perplexity). */
        static void calibrate(float[] dist, int off, int k, double perplexity, float[] out) {
            double target = Math.log(perplexity), beta = 1, lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY;
            double[] pr = new double[k];
            for (int step = 0; step < 100; step++) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    double d2 = (double) dist[off + j] * dist[off + j];
                    pr[j] = Math.exp(-d2 * beta);
                    sum += pr[j];
                }
                if (sum == 0) sum = 1e-8;
                double sumDP = 0;
                for (int j = 0; j < k; j++) {
                    pr[j] /= sum;
                    sumDP += (double) dist[off + j] * dist[off + j] * pr[j];
                }
                double entropy = Math.log(sum) + beta * sumDP, diff = entropy - target;
                if (Math.abs(diff) <= 1e-5) break;
                if (diff > 0) { // too flat: sharpen
                    lo = beta;
                    beta = hi == Double.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
                } else {
                    hi = beta;
                    beta = lo == Double.NEGATIVE_INFINITY ? beta / 2 : (beta + lo) / 2;
                }
            }
            for (int j = 0; j < k; j++) out[off + j] = (float) pr[j];
        }

        /** P = (P_cond + P_condᵀ) / sum, merged row by row. */
        static Affinities symmetrize(int n, int k, int[] nb, float[] cond) {
            int[] inCount = new int[n + 1];
            for (int e = 0; e < n * k; e++) inCount[nb[e] + 1]++;
            for (int i = 0; i < n; i++) inCount[i + 1] += inCount[i];
            int[] inFrom = new int[n * k];
            float[] inVal = new float[n * k];
            int[] fill = Arrays.copyOf(inCount, n);
            for (int i = 0; i < n; i++) { // rows in order: each incoming list is sorted by source
                for (int e = i * k; e < (i + 1) * k; e++) {
                    int j = nb[e], at = fill[j]++;
                    inFrom[at] = i;
                    inVal[at] = cond[e];
                }
            }
            int[] rowStart = new int[n + 1];
            int[] col = new int[2 * n * k];
            float[] val = new float[2 * n * k];
            int[] ord = new int[k];
            int at = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                rowStart[i] = at;
                // outgoing neighbours sorted by index, merged with the incoming list (already sorted)
                final int base = i * k;
                Integer[] o = new Integer[k];
                for (int j = 0; j < k; j++) o[j] = j;
                Arrays.sort(o, (a, b) -> Integer.compare(nb[base + a], nb[base + b]));
                for (int j = 0; j < k; j++) ord[j] = o[j];
                int a = 0, b = inCount[i], bEnd = inCount[i + 1];
                while (a < k || b < bEnd) {
                    int ja = a < k ? nb[base + ord[a]] : Integer.MAX_VALUE, jb = b < bEnd ? inFrom[b] : Integer.MAX_VALUE;
                    float v;
                    int j;
                    if (ja == jb) {
                        j = ja;
                        v = cond[base + ord[a++]] + inVal[b++];
                    } else if (ja < jb) {
                        j = ja;
                        v = cond[base + ord[a++]];
                    } else {
                        j = jb;
                        v = inVal[b++];
                    }
                    col[at] = j;
                    val[at++] = v;
                    total += v;
                }
            }
            rowStart[n] = at;
            float inv = (float) (1 / Math.max(total, 1e-300));
            for (int e = 0; e < at; e++) val[e] *= inv;
            return new Affinities(rowStart, Arrays.copyOf(col, at), Arrays.copyOf(val, at), k);
        }
    }

    /** The two force passes over a map; holds the tree and per-point scratch between steps. */
    static final class Forces {
        private final Affinities p;
        private final int n;
        private final QuadTree tree = new QuadTree();
        private final double[] zPart;

        Forces(Affinities p, int n) {
            this.p = p;
            this.n = n;
            this.zPart = new double[n];
        }

        /** Writes dC/dy [N, 2] into {@code grad}; returns Z = Σ_{i≠j} (1 + d_ij²)⁻¹ as estimated. */
        double gradient(float[] y, double exaggeration, double theta, float[] grad) {
            tree.build(y, n);
            float theta2 = (float) (theta * theta), ex = (float) exaggeration;
            float[] rep = new float[2 * n];
            // The points in the tree's order: near ones one after another, so that consecutive walks of the tree read
            // the same cells from cache. Each point's sums are its own, so the order changes no bit.
            int[] order = tree.perm;
            Parallel.forRange(n, (chunk, from, to) -> {
                int[] stack = new int[4096];
                for (int k = from; k < to; k++) {
                    int i = order[k];
                    attract(y, i, ex, grad);
                    zPart[i] = repel(y, i, theta2, rep, stack);
                }
            });
            double z = 0;
            for (int i = 0; i < n; i++) z += zPart[i];
            float invZ = (float) (1 / z);
            for (int i = 0; i < 2 * n; i++) grad[i] = 4 * (grad[i] - rep[i] * invZ);
            return z;
        }

        /** Σ_j p_ij (1 + d²)⁻¹ (y_i - y_j) into grad[2i..2i+1]. */
        private void attract(float[] y, int i, float ex, float[] grad) {
            float yx = y[2 * i], yy = y[2 * i + 1], fx = 0, fy = 0;
            int[] col = p.col();
            float[] val = p.val();
            for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
                int j = col[e];
                float dx = yx - y[2 * j], dy = yy - y[2 * j + 1];
                float q = 1 / (1 + dx * dx + dy * dy);
                float w = ex * val[e] * q;
                fx += w * dx;
                fy += w * dy;
            }
            grad[2 * i] = fx;
            grad[2 * i + 1] = fy;
        }

        /** Unnormalized repulsion Σ_j (1 + d²)⁻² (y_i - y_j) into rep; returns this point's part of Z. */
        private double repel(float[] y, int i, float theta2, float[] rep, int[] stack) {
            QuadTree t = tree;
            float[] cell = t.cell;
            int[] first = t.firstChild;
            float yx = y[2 * i], yy = y[2 * i + 1], fx = 0, fy = 0, z = 0;
            int top = 0;
            stack[top++] = 0;
            while (top > 0) {
                int c = stack[--top], o = QuadTree.STRIDE * c;
                float count = cell[o + 3];
                if (count == 0) continue;
                float dx = yx - cell[o], dy = yy - cell[o + 1], d2 = dx * dx + dy * dy;
                int ch = first[c];
                if (ch < 0) { // leaf: its points one by one, i itself skipped
                    int k0 = t.from[c], k1 = k0 + (int) count;
                    for (int k = k0; k < k1; k++) {
                        int j = t.perm[k];
                        if (j == i) continue;
                        float ex = yx - y[2 * j], ey = yy - y[2 * j + 1];
                        float q = 1 / (1 + ex * ex + ey * ey);
                        z += q;
                        fx += q * q * ex;
                        fy += q * q * ey;
                    }
                } else if (cell[o + 2] < theta2 * d2) { // side / distance < θ: the cell as one heavy point
                    float q = 1 / (1 + d2), m = count * q;
                    z += m;
                    fx += m * q * dx;
                    fy += m * q * dy;
                } else {
                    if (top + 4 > stack.length) stack = Arrays.copyOf(stack, 2 * stack.length);
                    stack[top++] = ch;
                    stack[top++] = ch + 1;
                    stack[top++] = ch + 2;
                    stack[top++] = ch + 3;
                }
            }
            rep[2 * i] = fx;
            rep[2 * i + 1] = fy;
            return z;
        }

        /** KL(P || Q) = Σ p_ij log(p_ij / q_ij) over the non-zero p_ij, with q_ij = (1 + d²)⁻¹ / Z. */
        double kl(float[] y, double z) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
                    int j = p.col()[e];
                    float dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    double q = 1 / (1 + dx * dx + dy * dy) / z, v = p.val()[e];
                    if (v > 0) s += v * Math.log(Math.max(v, 1e-12) / Math.max(q, 1e-12));
                }
            }
            return s;
        }

        /** The exact O(N²) gradient with the same P (for tests). */
        void exactGradient(float[] y, double exaggeration, float[] grad) {
            double z = 0;
            double[] rep = new double[2 * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i == j) continue;
                    double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1], q = 1 / (1 + dx * dx + dy * dy);
                    z += q;
                    rep[2 * i] += q * q * dx;
                    rep[2 * i + 1] += q * q * dy;
                }
            }
            for (int i = 0; i < n; i++) {
                double fx = 0, fy = 0;
                for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
                    int j = p.col()[e];
                    double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1], q = 1 / (1 + dx * dx + dy * dy);
                    fx += exaggeration * p.val()[e] * q * dx;
                    fy += exaggeration * p.val()[e] * q * dy;
                }
                grad[2 * i] = (float) (4 * (fx - rep[2 * i] / z));
                grad[2 * i + 1] = (float) (4 * (fy - rep[2 * i + 1] / z));
            }
        }
    }
}
