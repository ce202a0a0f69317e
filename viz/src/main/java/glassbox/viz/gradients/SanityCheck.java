package glassbox.viz.gradients;

import glassbox.layers.Layer;
import glassbox.model.Init;
import glassbox.model.Model;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;

/**
 * The model-randomization sanity check of Adebayo et al. 2018, "Sanity Checks for Saliency Maps":
 * cascading randomization of the weights from the top layer down. After each further layer is
 * re-initialized, every method is run again on the same images and its map compared with the map of the
 * trained model. A method that explains the model must change; one whose maps barely change when the
 * weights are destroyed explains the input instead (an edge detector would pass any visual inspection).
 *
 * <p>Conventions: the layers with parameters (convolutions, linear, batch norm), blocks' children
 * included, are re-initialized from the output backwards, each as at the start of training: weights He
 * normal (seeded), biases 0, batch-norm scales 1 and shifts 0 (running statistics kept). Similarity of
 * two maps: Spearman rank correlation of their absolute values (the paper's "absolute value" variant),
 * averaged over the images where it is defined (not for constant maps, e.g. an all-zero Grad-CAM), and
 * SSIM ({@link Similarity#ssim}), averaged over all images. A method is flagged when its mean Spearman
 * correlation after every layer is randomized is still at least {@link #FLAG_THRESHOLD}. The model's
 * weights are restored afterwards.
 */
public final class SanityCheck {
    /** Spearman correlation with the trained model's maps, after full randomization, at or above which a method is flagged. */
    public static final double FLAG_THRESHOLD = 0.5;

    private SanityCheck() {
    }

    /**
     * @param methods    method names, in the order given
     * @param randomized step labels: "trained", then "+&lt;layer&gt;" for each layer added to the randomized set, top down
     * @param spearman   [method][step] mean Spearman correlation of |map| with the trained model's
     * @param ssim       [method][step] mean SSIM with the trained model's map
     * @param flagged    [method] still correlated at least {@link #FLAG_THRESHOLD} after every layer is randomized
     * @param maps       [method][step] the map of the first image [H*W]
     */
    public record Result(List<String> methods, List<String> randomized, double[][] spearman, double[][] ssim,
                         boolean[] flagged, double threshold, int images, int height, int width, float[][][] maps) {
        /** Names of the flagged methods. */
        public List<String> flaggedMethods() {
            List<String> f = new ArrayList<>();
            for (int i = 0; i < methods.size(); i++) if (flagged[i]) f.add(methods.get(i));
            return f;
        }
    }

    /**
     * Runs the check.
     *
     * @param images  [N, C, H, W]
     * @param targets one target per image
     */
    public static Result run(Model m, Tensor images, List<Target> targets, Map<String, Explainer> methods, long seed,
                             DoubleConsumer progress) {
        int n = images.dim(0), h = images.dim(2), w = images.dim(3);
        if (targets.size() != n) throw new IllegalArgumentException(n + " images but " + targets.size() + " targets");
        List<Layer> cascade = new ArrayList<>();
        for (Layer l : m.allLayers()) if (!l.params().isEmpty()) cascade.add(0, l);
        List<float[]> saved = new ArrayList<>();
        for (Param p : m.params()) saved.add(p.value().data().clone());
        List<String> names = List.copyOf(methods.keySet());
        int steps = cascade.size() + 1, k = names.size();
        double[][] sp = new double[k][steps], ss = new double[k][steps];
        float[][][] shown = new float[k][steps][];
        float[][][] trained = new float[k][n][];
        List<String> labels = new ArrayList<>(List.of("trained"));
        try {
            for (int step = 0; step < steps; step++) {
                if (step > 0) {
                    Layer l = cascade.get(step - 1);
                    reinit(l, seed + step);
                    labels.add("+" + l.name());
                }
                for (int mi = 0; mi < k; mi++) {
                    Explainer e = methods.get(names.get(mi));
                    int defined = 0;
                    for (int i = 0; i < n; i++) {
                        float[] map = e.explain(m, images.sample(i), targets.get(i)).map();
                        if (step == 0) trained[mi][i] = map;
                        if (i == 0) shown[mi][step] = map;
                        double r = Similarity.spearman(abs(trained[mi][i]), abs(map));
                        if (!Double.isNaN(r)) { // a constant (e.g. all-zero) map has no ranks: left out of the mean
                            sp[mi][step] += r;
                            defined++;
                        }
                        ss[mi][step] += Similarity.ssim(trained[mi][i], map, h, w) / n;
                    }
                    sp[mi][step] = defined > 0 ? sp[mi][step] / defined : Double.NaN;
                    if (progress != null) progress.accept((step * k + mi + 1.0) / (steps * k));
                }
            }
        } finally {
            List<Param> ps = m.params();
            for (int i = 0; i < ps.size(); i++) System.arraycopy(saved.get(i), 0, ps.get(i).value().data(), 0, saved.get(i).length);
        }
        boolean[] flagged = new boolean[k];
        for (int mi = 0; mi < k; mi++) flagged[mi] = sp[mi][steps - 1] >= FLAG_THRESHOLD; // NaN: not flagged
        return new Result(names, labels, sp, ss, flagged, FLAG_THRESHOLD, n, h, w, shown);
    }

    /** Re-initializes one layer's parameters as at the start of training. */
    static void reinit(Layer l, long seed) {
        for (Param p : l.params()) {
            if (p.value().rank() >= 2) Init.he(p, seed);
            else Init.constant(p, p.name().endsWith(".weight") ? 1f : 0f); // batch-norm scale 1; biases and shifts 0
        }
    }

    private static float[] abs(float[] v) {
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) a[i] = Math.abs(v[i]);
        return a;
    }
}
