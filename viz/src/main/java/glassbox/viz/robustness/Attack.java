package glassbox.viz.robustness;

import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Gradient attacks on a batch of images: FGSM (Goodfellow et al. 2015, "Explaining and Harnessing
 * Adversarial Examples") and PGD (Madry et al. 2018, "Towards Deep Learning Models Resistant to Adversarial
 * Attacks"), in the L-infinity or L2 ball, untargeted (raise the loss of the true class) or targeted (lower
 * the loss of a chosen class). The one attack implementation of Glassbox: robust accuracy curves and
 * fooling images both call {@link #run}.
 *
 * <p>Everything happens in pixel units, 0..1 per channel, where epsilon is meant: the model's normalization
 * {@code x = (p - mean[c]) / std[c]} is applied before each forward pass and the input gradient is carried
 * back through it ({@code dL/dp = dL/dx / std[c]}). An adversarial image therefore never leaves the valid
 * pixel range [0, 1], nor the epsilon ball around the clean image. One step:
 * <pre>
 *   L-inf: p ← clip(p + α · sign(g)),            projection: clamp each pixel to [p0 - ε, p0 + ε] ∩ [0, 1]
 *   L2:    p ← clip(p + α · g / ||g||₂),          projection: scale δ = p - p0 down to ||δ||₂ ≤ ε, then [0, 1]
 * </pre>
 * with g the input gradient of the cross-entropy (negated when targeted). Clamping to [0, 1] after the L2
 * projection only moves pixels towards p0 (p0 is in [0, 1]), so the ball is kept. FGSM is one step of size
 * ε from the clean image; PGD starts from a uniform random point of the ball (L-inf) or a random direction
 * at a uniform radius (L2) and takes {@code steps} steps of size α.
 *
 * <p>A sample counts as fooled when any iterate is misclassified (untargeted) or classified as its target
 * (targeted); with {@code stopWhenFooled} it is then frozen at that iterate (the usual early stop, which makes
 * PGD at least as strong as each of its iterates). The batch runs through the engine's multi-threaded
 * kernels in one forward and one backward per step; the backward skips parameter gradients
 * ({@link Model#setParamGradients}), as only the input gradient is read. Leaves out other losses (Carlini-Wagner margin),
 * restarts and momentum (MI-FGSM).
 *
 * @param method        FGSM or PGD
 * @param norm          the ball: L-infinity or L2
 * @param epsilon       radius of the ball in pixel units (0..1 scale), >= 0
 * @param steps         gradient steps (1 for FGSM)
 * @param stepSize      α in pixel units
 * @param randomStart   start from a random point of the ball (PGD)
 * @param seed          seed of the random start
 */
public record Attack(Method method, Norm norm, float epsilon, int steps, float stepSize, boolean randomStart, long seed) {
    /** Fast gradient sign method, or projected gradient descent. */
    public enum Method { FGSM, PGD }

    /** The ball the perturbation stays in. */
    public enum Norm { LINF, L2 }

    public Attack {
        if (!(epsilon >= 0) || !Float.isFinite(epsilon)) throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (!(stepSize >= 0)) throw new IllegalArgumentException("step size must be >= 0, got " + stepSize);
    }

    /** FGSM in the L-infinity ball: one signed-gradient step of size ε. */
    public static Attack fgsm(float epsilon) {
        return new Attack(Method.FGSM, Norm.LINF, epsilon, 1, epsilon, false, 0);
    }

    /** PGD with a random start and the customary step α = 2.5 ε / steps (Madry et al. 2018). */
    public static Attack pgd(Norm norm, float epsilon, int steps, long seed) {
        return new Attack(Method.PGD, norm, epsilon, steps, 2.5f * epsilon / steps, true, seed);
    }

    /** The same attack with another radius (and, for the default step rule, the step scaled with it). */
    public Attack withEpsilon(float eps) {
        float step = epsilon > 0 ? stepSize * eps / epsilon : (method == Method.FGSM ? eps : 2.5f * eps / steps);
        return new Attack(method, norm, eps, steps, step, randomStart, seed);
    }

    /**
     * What an attack did to a batch.
     *
     * @param adversarial  the attacked images [N, C, H, W], pixel units 0..1
     * @param predicted    the model's class for each attacked image [N]
     * @param confidence   softmax probability of that class [N]
     * @param probabilities softmax probabilities of the attacked images [N, K], row-major
     * @param fooled       whether the attack reached its goal for the sample [N]
     */
    public record Result(float[] adversarial, int[] predicted, float[] confidence, float[] probabilities, boolean[] fooled) {
    }

    /** Called after each step with the step number (1-based) and the current probabilities [N, K]; may be null. */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int step, float[] probabilities);
    }

    /**
     * Attacks a batch.
     *
     * @param model          the network, in inference mode (batch norm running statistics)
     * @param normalization  the model's input normalization
     * @param clean          clean images [N, C, H, W] in pixel units 0..1 (not modified)
     * @param labels         true classes [N] (untargeted) or target classes [N] (targeted)
     * @param targeted       whether {@code labels} are targets to reach rather than classes to leave
     * @param stopWhenFooled freeze a sample at the first iterate that reaches the goal
     * @param listener       per-step callback, or null
     */
    public Result run(Model model, Normalization normalization, float[] clean, int[] labels, boolean targeted,
                      boolean stopWhenFooled, StepListener listener) {
        int[] in = model.inputShape();
        int c = in[0], plane = in[1] * in[2], per = c * plane, n = labels.length;
        if (clean.length != n * per) {
            throw new IllegalArgumentException("attack: " + clean.length + " pixels for " + n + " images of " + Arrays.toString(in));
        }
        if (normalization.channels() != c) {
            throw new IllegalArgumentException("attack: normalization has " + normalization.channels() + " channels, the model " + c);
        }
        float[] mean = normalization.mean(), std = normalization.std();
        float[] p = clean.clone();
        if (randomStart && epsilon > 0) randomStart(p, clean, n, per);
        boolean[] fooled = new boolean[n];
        boolean[] done = new boolean[n];
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        float[] x = new float[n * per];
        int k = model.outputShape(1)[1];
        boolean reuse = model.reusesBuffers(), paramGrads = model.computesParamGradients();
        model.setReuseBuffers(true); // forward and backward write into the same tensors every step
        model.setParamGradients(false); // only dL/dx is needed: no weight gradients
        try {
            for (int step = 1; step <= steps; step++) {
                normalize(p, x, mean, std, c, plane);
                Tensor logits = model.forward(Tensor.of(x, n, in[0], in[1], in[2]), false);
                loss.forward(logits, labels);
                float[] probs = loss.probabilities().data();
                mark(probs, labels, targeted, fooled, k);
                if (listener != null) listener.onStep(step - 1, probs);
                if (stopWhenFooled) for (int i = 0; i < n; i++) done[i] = fooled[i];
                float[] g = model.backward(loss.backward()).data(); // dL/dx [N, C, H, W]
                for (int i = 0; i < g.length; i++) g[i] = (targeted ? -g[i] : g[i]) / std[(i / plane) % c]; // dL/dp, ascent direction
                step(p, clean, g, done, n, per);
            }
            normalize(p, x, mean, std, c, plane);
            Tensor logits = model.forward(Tensor.of(x, n, in[0], in[1], in[2]), false);
            loss.forward(logits, labels);
            float[] probs = loss.probabilities().data().clone();
            mark(probs, labels, targeted, fooled, k);
            if (listener != null) listener.onStep(steps, probs);
            int[] pred = new int[n];
            float[] conf = new float[n];
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < k; j++) if (probs[i * k + j] > probs[i * k + best]) best = j;
                pred[i] = best;
                conf[i] = probs[i * k + best];
            }
            return new Result(p, pred, conf, probs, fooled);
        } finally {
            model.setReuseBuffers(reuse);
            model.setParamGradients(paramGrads);
        }
    }

    /** p [N*C*H*W] in pixel units to the model's input x. */
    private static void normalize(float[] p, float[] x, float[] mean, float[] std, int c, int plane) {
        for (int i = 0; i < p.length; i++) {
            int ch = (i / plane) % c;
            x[i] = (p[i] - mean[ch]) / std[ch];
        }
    }

    /** Marks samples whose current prediction reaches the goal (argmax != label, or == target). */
    private static void mark(float[] probs, int[] labels, boolean targeted, boolean[] fooled, int k) {
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) if (probs[i * k + j] > probs[i * k + best]) best = j;
            if (targeted ? best == labels[i] : best != labels[i]) fooled[i] = true;
        }
    }

    private void randomStart(float[] p, float[] clean, int n, int per) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int o = i * per;
            if (norm == Norm.LINF) {
                for (int j = 0; j < per; j++) p[o + j] = clean[o + j] + (float) ((2 * r.nextDouble() - 1) * epsilon);
            } else {
                double[] d = new double[per];
                double ss = 0;
                for (int j = 0; j < per; j++) {
                    d[j] = r.nextGaussian();
                    ss += d[j] * d[j];
                }
                double radius = epsilon * r.nextDouble() / Math.sqrt(Math.max(ss, 1e-30));
                for (int j = 0; j < per; j++) p[o + j] = clean[o + j] + (float) (d[j] * radius);
            }
            project(p, clean, o, per);
        }
    }

    /** One ascent step along g (sign or normalized), then projection, for samples not done. */
    private void step(float[] p, float[] clean, float[] g, boolean[] done, int n, int per) {
        for (int i = 0; i < n; i++) {
            if (done[i]) continue;
            int o = i * per;
            if (norm == Norm.LINF) {
                for (int j = o; j < o + per; j++) p[j] += stepSize * Math.signum(g[j]);
            } else {
                double ss = 0;
                for (int j = o; j < o + per; j++) ss += (double) g[j] * g[j];
                if (ss > 0) {
                    float s = (float) (stepSize / Math.sqrt(ss));
                    for (int j = o; j < o + per; j++) p[j] += s * g[j];
                }
            }
            project(p, clean, o, per);
        }
    }

    /** Back into the ε-ball around the clean image, then into [0, 1]. */
    private void project(float[] p, float[] clean, int o, int per) {
        if (norm == Norm.LINF) {
            for (int j = o; j < o + per; j++) {
                float lo = Math.max(0f, clean[j] - epsilon), hi = Math.min(1f, clean[j] + epsilon);
                p[j] = Math.min(hi, Math.max(lo, p[j]));
            }
        } else {
            double ss = 0;
            for (int j = o; j < o + per; j++) {
                double d = p[j] - clean[j];
                ss += d * d;
            }
            double norm2 = Math.sqrt(ss);
            if (norm2 > epsilon) {
                float s = (float) (epsilon / norm2);
                for (int j = o; j < o + per; j++) p[j] = clean[j] + (p[j] - clean[j]) * s;
            }
            for (int j = o; j < o + per; j++) p[j] = Math.min(1f, Math.max(0f, p[j]));
        }
    }
}
