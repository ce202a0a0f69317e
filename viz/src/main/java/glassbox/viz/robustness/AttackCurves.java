package glassbox.viz.robustness;

import com.fasterxml.jackson.annotation.JsonIgnore;
import glassbox.data.Dataset;
import glassbox.model.Model;
import glassbox.train.Normalization;
import glassbox.viz.Progress;

import java.util.ArrayList;
import java.util.List;

/**
 * Robust accuracy over a whole split: for each epsilon, the fraction of images still classified correctly
 * after the attack, overall and per class, plus a gallery (clean, perturbation, adversarial) at one epsilon.
 * Images go through {@link Attack#run} a batch at a time (early stop per sample), so each batch is one
 * multi-threaded forward and backward per step; the clean pass runs the same way ({@link Attack#probabilities}). Images the model already gets wrong count as broken at
 * every epsilon (they are not attacked further once misclassified).
 */
public final class AttackCurves {
    private AttackCurves() {
    }

    /**
     * One gallery entry: an image before and after the attack.
     *
     * @param index           index in the split
     * @param label           true class
     * @param epsilon         the attack's radius
     * @param cleanPredicted  class predicted for the clean image
     * @param cleanConfidence its probability
     * @param advPredicted    class predicted for the adversarial image
     * @param advConfidence   its probability
     * @param linf            max |δ| of the perturbation, pixel units
     * @param l2              ||δ||₂ of the perturbation, pixel units
     * @param clean           clean pixels [C, H, W] in 0..1 (not in the JSON)
     * @param adversarial     adversarial pixels [C, H, W] in 0..1 (not in the JSON)
     */
    public record Example(int index, int label, float epsilon, int cleanPredicted, float cleanConfidence, int advPredicted,
                          float advConfidence, float linf, float l2, @JsonIgnore float[] clean, @JsonIgnore float[] adversarial) {
    }

    /**
     * The curve and the gallery of one model under one attack.
     *
     * @param curve   robust accuracy over epsilon (level 0 is the clean accuracy when epsilon 0 is included)
     * @param attack  the attack at its first non-zero epsilon, with its steps and step rule
     * @param gallery examples at the gallery epsilon
     * @param seconds wall time of the whole run
     */
    public record Run(Curve curve, Attack attack, List<Example> gallery, double seconds) {
    }

    /** A short name such as "FGSM L-inf" or "PGD-10 L2". */
    public static String describe(Attack a) {
        String norm = a.norm() == Attack.Norm.LINF ? "L-inf" : "L2";
        return (a.method() == Attack.Method.FGSM ? "FGSM" : "PGD-" + a.steps()) + " " + norm;
    }

    /**
     * Runs {@code attack} at each of {@code epsilons} over the first {@code n} images of {@code data}.
     *
     * @param galleryEpsilon epsilon whose examples go in the gallery (the nearest of {@code epsilons})
     * @param galleryCount   how many examples: the first images the model classifies correctly
     */
    public static Run run(String modelName, Model model, Normalization norm, Dataset data, int n, Attack attack, float[] epsilons,
                          int batch, float galleryEpsilon, int galleryCount, Progress progress) {
        for (float e : epsilons) if (!(e >= 0)) throw new IllegalArgumentException("epsilon must be >= 0, got " + e);
        long t0 = System.nanoTime();
        int k = data.numClasses(), per = data.sampleSize();
        int[][] correct = new int[epsilons.length][k];
        int[] classCount = new int[k];
        int cleanCorrect = 0, gal = nearest(epsilons, galleryEpsilon);
        List<Example> gallery = new ArrayList<>();
        long done = 0;
        progress.start("images attacked (x " + epsilons.length + " radii)", (long) n * epsilons.length);
        try {
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(batch, n - from);
                float[] clean = Pixels.of(data, from, b);
                int[] y = Pixels.labels(data, from, b);
                float[] cp = Attack.probabilities(model, norm, clean, b); // as the attack's passes run: folded, data parallel
                int[] cleanPred = new int[b];
                for (int i = 0; i < b; i++) {
                    cleanPred[i] = Predict.argmax(cp, i, k);
                    classCount[y[i]]++;
                    if (cleanPred[i] == y[i]) cleanCorrect++;
                }
                for (int e = 0; e < epsilons.length; e++) {
                    // Radius 0 cannot change an image: the clean predictions are the answer, no gradient needed.
                    Attack.Result r = epsilons[e] == 0 ? cleanResult(clean, cp, cleanPred, y, k)
                            : attack.withEpsilon(epsilons[e]).run(model, norm, clean, y, false, true, null);
                    for (int i = 0; i < b; i++) if (!r.fooled()[i] && cleanPred[i] == y[i]) correct[e][y[i]]++;
                    if (e == gal) {
                        for (int i = 0; i < b && gallery.size() < galleryCount; i++) {
                            if (cleanPred[i] != y[i]) continue;
                            float[] c0 = java.util.Arrays.copyOfRange(clean, i * per, (i + 1) * per);
                            float[] a0 = java.util.Arrays.copyOfRange(r.adversarial(), i * per, (i + 1) * per);
                            gallery.add(new Example(from + i, y[i], epsilons[e], cleanPred[i], cp[i * k + cleanPred[i]],
                                    r.predicted()[i], r.confidence()[i], linf(c0, a0), l2(c0, a0), c0, a0));
                        }
                    }
                    done += b;
                    progress.stepTo(done);
                }
            }
        } finally {
            progress.end();
        }
        Attack first = attack;
        for (float e : epsilons) if (e > 0) { first = attack.withEpsilon(e); break; }
        Curve c = Curve.of(modelName, describe(attack), "epsilon (" + (attack.norm() == Attack.Norm.LINF ? "L-inf" : "L2") + ", pixel units 0..1)",
                epsilons.clone(), correct, classCount, data.classNames(), n, (double) cleanCorrect / Math.max(1, n));
        return new Run(c, first, gallery, (System.nanoTime() - t0) / 1e9);
    }

    private static Attack.Result cleanResult(float[] clean, float[] probs, int[] pred, int[] y, int k) {
        float[] conf = new float[pred.length];
        boolean[] fooled = new boolean[pred.length];
        for (int i = 0; i < pred.length; i++) {
            conf[i] = probs[i * k + pred[i]];
            fooled[i] = pred[i] != y[i];
        }
        return new Attack.Result(clean.clone(), pred, conf, probs.clone(), fooled);
    }

    static int nearest(float[] levels, float v) {
        int best = 0;
        for (int i = 1; i < levels.length; i++) if (Math.abs(levels[i] - v) < Math.abs(levels[best] - v)) best = i;
        return best;
    }

    static float linf(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    static float l2(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) (a[i] - b[i]) * (a[i] - b[i]);
        return (float) Math.sqrt(s);
    }
}
