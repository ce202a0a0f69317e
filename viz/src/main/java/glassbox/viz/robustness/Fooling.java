package glassbox.viz.robustness;

import com.fasterxml.jackson.annotation.JsonIgnore;
import glassbox.model.Model;
import glassbox.train.Normalization;

import java.util.List;

/**
 * A fooling image for one input: targeted PGD (L-infinity) towards a chosen class, the same
 * {@link Attack} as the robustness curves. The radius is doubled from 1/255 until the target class is reached
 * with at least {@code confidence} probability, then bisected four times between the last failure and the
 * first success, so the result is a small change, not just any change. Leaves out minimum-norm attacks
 * (DeepFool, Carlini-Wagner): the radius is searched, not optimized.
 *
 * @param index         index of the image in its split (-1 for an image file)
 * @param label         true class (-1 if unknown)
 * @param target        the class the attack aims for
 * @param epsilon       the radius used (pixel units 0..1)
 * @param steps         PGD steps
 * @param stepSize      PGD step α
 * @param reached       whether the target class was reached with the requested confidence
 * @param cleanProbs    softmax probabilities of the original [K]
 * @param foolProbs     softmax probabilities of the result [K]
 * @param targetByStep  probability of the target class after each step, step 0 = start [steps + 1]
 * @param linf          max |δ|, pixel units
 * @param l2            ||δ||₂, pixel units
 * @param classNames    class names [K]
 * @param shape         [C, H, W]
 * @param original      original pixels [C, H, W] in 0..1 (not in the JSON)
 * @param fooled        resulting pixels [C, H, W] in 0..1 (not in the JSON)
 */
public record Fooling(int index, int label, int target, float epsilon, int steps, float stepSize, boolean reached,
                      float[] cleanProbs, float[] foolProbs, float[] targetByStep, float linf, float l2,
                      List<String> classNames, int[] shape, @JsonIgnore float[] original, @JsonIgnore float[] fooled) {

    /** Radii tried in turn before the bisection (pixel units): 1/255 .. 64/255. */
    public static final float[] RADII = {1 / 255f, 2 / 255f, 4 / 255f, 8 / 255f, 16 / 255f, 32 / 255f, 64 / 255f};

    /**
     * Fools {@code model} on one image.
     *
     * @param image      pixels [C, H, W] in 0..1
     * @param target     class to reach
     * @param steps      PGD steps per radius (e.g. 40)
     * @param confidence probability of {@code target} to reach, e.g. 0.9
     * @param maxEpsilon the largest radius tried
     */
    public static Fooling of(Model model, Normalization norm, float[] image, int index, int label, int target, int steps,
                             float confidence, float maxEpsilon, List<String> classNames) {
        int k = model.outputShape(1)[1];
        if (target < 0 || target >= k) throw new IllegalArgumentException("class " + target + " is outside 0.." + (k - 1));
        if (!(maxEpsilon > 0)) throw new IllegalArgumentException("epsilon must be > 0, got " + maxEpsilon);
        float[] clean = Predict.probabilities(model, norm, image, 1).clone();
        Fooling last = null;
        float below = 0; // largest radius known to fail
        for (float eps : RADII) {
            Fooling f = attempt(model, norm, image, index, label, target, steps, Math.min(eps, maxEpsilon), confidence, clean, classNames, k);
            last = f;
            if (f.reached || eps >= maxEpsilon) break;
            below = f.epsilon;
        }
        if (!last.reached) return last;
        // Bisection between the last failing and the first succeeding radius, 4 halvings: within 1/16 of the gap.
        float hi = last.epsilon;
        for (int it = 0; it < 4; it++) {
            float mid = (below + hi) / 2;
            Fooling f = attempt(model, norm, image, index, label, target, steps, mid, confidence, clean, classNames, k);
            if (f.reached) {
                last = f;
                hi = mid;
            } else {
                below = mid;
            }
        }
        return last;
    }

    private static Fooling attempt(Model model, Normalization norm, float[] image, int index, int label, int target, int steps,
                                   float eps, float confidence, float[] clean, List<String> classNames, int k) {
        Attack a = new Attack(Attack.Method.PGD, Attack.Norm.LINF, eps, steps, 2.5f * eps / steps, false, 0);
        float[] byStep = new float[steps + 1];
        // Run without early stop (reaching the class is not enough: we want it with confidence), keep the best iterate.
        Attack.Result r = a.run(model, norm, image, new int[]{target}, true, false, (step, probs) -> byStep[step] = probs[target]);
        float[] probs = java.util.Arrays.copyOf(r.probabilities(), k);
        boolean reached = r.predicted()[0] == target && probs[target] >= confidence;
        return new Fooling(index, label, target, eps, steps, a.stepSize(), reached, clean, probs, byStep,
                AttackCurves.linf(image, r.adversarial()), AttackCurves.l2(image, r.adversarial()), classNames,
                model.inputShape(), image.clone(), r.adversarial());
    }
}
