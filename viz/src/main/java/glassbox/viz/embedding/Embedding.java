package glassbox.viz.embedding;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

/**
 * A 2-D (PCA also 3-D) map of one layer's features with the numbers that say how well classes separate,
 * in the map and in the original feature space.
 *
 * @param layer         the layer, or "pixels"
 * @param method        "pca" or "tsne"
 * @param dims          dimension of the original features
 * @param points        N
 * @param classNames    class names
 * @param labels        true class of each point [N]
 * @param map           coordinates [N, 2] (PCA: components 1 and 2)
 * @param pca3          PCA: coordinates on components 1..3 [N, 3]; empty for t-SNE
 * @param explained     PCA: fraction of the variance explained by components 1..3; t-SNE: by the 50 components
 *                      it started from (their sum)
 * @param kl            t-SNE: final KL(P || Q); NaN for PCA
 * @param inFeatures    k-NN accuracy and silhouette in the original features
 * @param inMap         the same in the 2-D map
 * @param seconds       wall time of the map (features and separation numbers excluded)
 */
public record Embedding(String layer, String method, int dims, int points, List<String> classNames, int[] labels,
                        @JsonIgnore float[] map, @JsonIgnore float[] pca3, double[] explained, double kl,
                        Separation inFeatures, Separation inMap, double seconds) {

    /** The map coordinates as [N][2] for the JSON (the flat array is for code). */
    @com.fasterxml.jackson.annotation.JsonProperty("coordinates")
    public float[][] coordinates() {
        float[][] c = new float[points][2];
        for (int i = 0; i < points; i++) {
            c[i][0] = map[2 * i];
            c[i][1] = map[2 * i + 1];
        }
        return c;
    }

    /** PCA's coordinates on components 1..3 as [N][3] for the JSON (empty for t-SNE). */
    @com.fasterxml.jackson.annotation.JsonProperty("pca3")
    public float[][] pca3Coordinates() {
        int c = points == 0 ? 0 : pca3.length / points;
        float[][] out = new float[c == 0 ? 0 : points][c];
        for (int i = 0; i < out.length; i++) System.arraycopy(pca3, i * c, out[i], 0, c);
        return out;
    }

    /** Which map to compute. */
    public enum Method { PCA, TSNE }

    /**
     * Maps {@code f} with {@code method}; {@code k} for the k-NN accuracy (5 is customary).
     */
    public static Embedding of(Features f, List<String> classNames, Method method, Tsne tsne, int k, Tsne.Listener listener) {
        long t0 = System.nanoTime();
        float[] map, pca3 = new float[0];
        double[] explained;
        double kl = Double.NaN;
        if (method == Method.PCA) {
            int comps = Math.min(3, f.d());
            Pca p = Pca.fit(f.x(), f.n(), f.d(), comps, tsne.seed());
            pca3 = p.project(f.x(), f.n(), comps);
            map = new float[2 * f.n()];
            for (int i = 0; i < f.n(); i++) {
                map[2 * i] = pca3[i * comps];
                map[2 * i + 1] = comps > 1 ? pca3[i * comps + 1] : 0;
            }
            explained = p.ratio();
        } else {
            float[] x = f.x();
            int d = f.d();
            double sum = 1;
            if (tsne.pcaDims() > 0 && d > tsne.pcaDims()) {
                Pca p = Pca.fit(x, f.n(), d, tsne.pcaDims(), tsne.seed());
                x = p.project(x, f.n(), tsne.pcaDims());
                d = tsne.pcaDims();
                sum = 0;
                for (double r : p.ratio()) sum += r;
            }
            Tsne.Result r = tsne.run(x, f.n(), d, listener);
            map = r.y();
            kl = r.kl();
            explained = new double[]{sum};
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        int classes = classNames.size();
        Separation orig = Separation.of(f.x(), f.n(), f.d(), f.labels(), classes, k);
        Separation in2d = Separation.of(map, f.n(), 2, f.labels(), classes, k);
        return new Embedding(f.layer(), method.name().toLowerCase(java.util.Locale.ROOT), f.d(), f.n(), classNames, f.labels(),
                map, pca3, explained, kl, orig, in2d, secs);
    }
}
