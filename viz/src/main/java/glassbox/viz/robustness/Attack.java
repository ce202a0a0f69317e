package glassbox.viz.robustness;

import glassbox.kernels.Parallel;
import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Folding;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
 * PGD at least as strong as each of its iterates). The backward skips parameter gradients
 * ({@link Model#setParamGradients}), as only the input gradient is read.
 *
 * <p><b>On a folded copy.</b> The passes run on copies of the model with batch norm folded into the
 * convolutions before it ({@link Folding#foldBatchNorm}): in inference mode a batch norm is a fixed affine map,
 * so the copy computes the model's logits and input gradient up to float rounding with one layer fewer per
 * convolution, forward and backward. The caller's model itself is neither run nor changed (unless it cannot be
 * copied, see below).
 *
 * <p><b>Data parallel.</b> With T > 1 {@link Parallel#threads() threads}, the batch is cut into up to
 * {@link #SLICES_PER_THREAD} x T slices of at least {@link #MIN_SLICE} images, each with its own copy of the model
 * (a model keeps its activations, so one instance cannot serve two threads). Each step,
 * every thread claims slices one at a time and runs a slice's forward and backward on the slice's model in
 * {@link Parallel#serial serial mode}: no layer is handed over between threads, which pays on networks whose small layers split
 * badly (resnet20's 8x8 maps), and a thread that another process keeps off its core just takes fewer slices.
 * The result is the same bits as attacking the whole batch at once: the random start is drawn for the whole
 * batch before it is cut, every image's computation is independent of the others in inference mode, and the
 * loss gradient of a slice is divided by the whole batch's size, as the whole batch's would be. A batch too small
 * for two slices, or a call inside serial mode, runs whole on one copy, every layer split between the threads;
 * a model {@link glassbox.model.Architecture} cannot copy runs whole on itself, unfolded. The copies are kept
 * between calls with their buffers (see Replicas). Leaves out other losses (Carlini-Wagner margin),
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
        float[] p = clean.clone();
        if (randomStart && epsilon > 0) randomStart(p, clean, n, per); // for the whole batch, image by image
        int k = model.outputShape(1)[1];
        float[] probs = new float[n * k];
        boolean[] fooled = new boolean[n];
        boolean[] done = new boolean[n];
        try (Replicas r = Replicas.take(model, n, per, k)) {
            for (int step = 1; step <= steps + 1; step++) { // pass steps + 1 is the final forward pass alone
                boolean last = step > steps;
                r.each((m, sl) -> pass(m, sl, normalization, clean, p, labels, n, targeted, stopWhenFooled, last, probs, fooled, done));
                if (listener != null) listener.onStep(step - 1, probs);
            }
        }
        int[] pred = new int[n];
        float[] conf = new float[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) if (probs[i * k + j] > probs[i * k + best]) best = j;
            pred[i] = best;
            conf[i] = probs[i * k + best];
        }
        return new Result(p, pred, conf, probs, fooled);
    }

    /**
     * Softmax probabilities [N, K] (row-major) of {@code pixels} [N, C, H, W] in pixel units 0..1: one forward
     * pass in inference mode, run as {@link #run} runs its passes (the same slices, model copies and batch norm
     * folded into the convolutions), so the clean pass of a robustness curve costs what one of the attack's passes
     * costs. Equal to {@link Predict#probabilities} up to float rounding (the folding).
     */
    public static float[] probabilities(Model model, Normalization normalization, float[] pixels, int n) {
        int[] in = model.inputShape();
        int per = in[0] * in[1] * in[2], k = model.outputShape(1)[1];
        if (pixels.length != n * per) {
            throw new IllegalArgumentException("attack: " + pixels.length + " pixels for " + n + " images of " + Arrays.toString(in));
        }
        float[] probs = new float[n * k];
        try (Replicas r = Replicas.take(model, n, per, k)) {
            r.each((m, sl) -> forward(m, sl, normalization, pixels, probs, new int[sl.to - sl.from]));
        }
        return probs;
    }

    /**
     * Fewest images in a slice of a data-parallel attack. {@code Gemm} multiplies A·Bᵀ with up to 16 rows as dot
     * products, summing in another order than its packed kernel, so a fully connected layer given 16 images or
     * fewer would change the last bits of the logits; from 17 rows on, a row's result does not depend on how many
     * rows there are (and convolutions never depend on it). Smaller batches are attacked whole.
     */
    static final int MIN_SLICE = 32;

    /**
     * Slices per thread (when the batch is large enough): the threads claim slices one at a time each step, so
     * when another process keeps one thread off its core the other takes more of the slices. Smaller slices also
     * keep each layer's activations closer to the cache: PGD-10 on resnet20 over 2,000 CIFAR-10 images, 2 threads,
     * batch 256 (quiet machine, two rounds): 1 slice per thread (128 images) 19.4, 19.8 s; 2 (64 images) 19.6,
     * 19.2 s; 4 (32 images, the {@link #MIN_SLICE} floor) 18.2, 18.4 s.
     */
    static final int SLICES_PER_THREAD = 4;

    /** Images [from, to) of the batch, with the buffers one forward and backward of them use. */
    private static final class Slice {
        final int from, to;
        final float[] x, dy;
        final int[] labels;
        final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

        Slice(int from, int to, int per, int k) {
            this.from = from;
            this.to = to;
            x = new float[(to - from) * per];
            dy = new float[(to - from) * k];
            labels = new int[to - from];
        }
    }

    /** The work of one pass on one slice, on the slice's model. */
    @FunctionalInterface
    private interface SliceWork {
        void run(Model model, Slice slice);
    }

    /**
     * The models a batch is attacked on, one per slice, and the slices: with T > 1 threads (and not in serial
     * mode) up to {@link #SLICES_PER_THREAD} x T slices of at least {@link #MIN_SLICE} images, else one.
     *
     * <p>The models are copies of the caller's model with batch norm folded into the convolutions
     * ({@link Folding#foldBatchNorm}; a copy of the model itself where there is nothing to fold), so the caller's
     * model is never run or changed: every slice, the single one included, runs on a copy, and the bits do not
     * depend on the thread count. The copies keep their settings between calls: reused buffers (no tensor is
     * allocated after a copy's first pass at a slice size), no parameter gradients, frozen weights (refrozen after
     * each refresh). They are kept for the next
     * call on the same model (a curve attacks the same model batch after batch, radius after radius), with the
     * caller's current weights folded in again each call; two calls at once each get their own. A model
     * {@link glassbox.model.Architecture} cannot copy is attacked whole on itself, unfolded, every layer split
     * between the threads, its settings restored afterwards.
     */
    private static final class Replicas implements AutoCloseable {
        /** Spare copies of models being attacked, kept between calls, by the model they copy (weak keys). */
        private static final Map<Model, Model[]> SPARE = new WeakHashMap<>();

        private final Model source;
        private final Model[] models; // one per slice; the copies, or the source itself (own false)
        private final Slice[] parts;
        private final boolean own;
        private final boolean reuse, paramGrads; // the source's settings, restored when !own

        private Replicas(Model source, Model[] models, Slice[] parts, boolean own) {
            this.source = source;
            this.models = models;
            this.parts = parts;
            this.own = own;
            reuse = source.reusesBuffers();
            paramGrads = source.computesParamGradients();
            for (Model m : models) {
                m.setReuseBuffers(true); // forward and backward write into the same tensors every step
                m.setParamGradients(false); // only dL/dx is needed: no weight gradients
            }
        }

        static Replicas take(Model model, int n, int per, int k) {
            int slices = Parallel.isSerial() ? 1 : Math.max(1, Math.min(SLICES_PER_THREAD * Parallel.threads(), n / MIN_SLICE));
            Model[] ms = copies(model, slices);
            boolean own = ms != null;
            if (!own) {
                slices = 1;
                ms = new Model[]{model};
            }
            Slice[] parts = new Slice[slices];
            for (int s = 0; s < slices; s++) parts[s] = new Slice((int) ((long) n * s / slices), (int) ((long) n * (s + 1) / slices), per, k);
            return new Replicas(model, ms, parts, own);
        }

        /**
         * {@code count} folded copies of {@code model} with its current weights (spare ones reused and their weights
         * refreshed), or null when the model cannot be copied. A copy always sees the same slice: a variant with one
         * model per thread once gave other bits, not reproduced since, cause not found (docs/robustness.md).
         */
        private static Model[] copies(Model model, int count) {
            Model folded;
            try {
                folded = Folding.foldBatchNorm(model);
            } catch (IllegalArgumentException e) {
                return null;
            }
            Model[] spare;
            synchronized (SPARE) {
                spare = SPARE.remove(model);
            }
            Model[] ms = new Model[Math.max(count, spare == null ? 0 : spare.length)];
            for (int i = 0; i < ms.length; i++) {
                if (spare != null && i < spare.length) {
                    ms[i] = spare[i];
                    ms[i].copyStateFrom(folded);
                } else {
                    ms[i] = i == 0 ? folded : folded.copy();
                }
                // fixed for this call: Winograd's kernel transforms made once for all copies, not every pass; and its
                // larger tiles (fewer products, more rounding: the attack follows the gradient's sign, docs/robustness.md)
                if (i == 0) ms[0].setFrozenWeights(true, true);
                else ms[i].setFrozenLike(ms[0]);
            }
            return ms;
        }

        /** Runs work on every slice: claimed one at a time by the threads, each in serial mode; or here, when one. */
        void each(SliceWork work) {
            if (parts.length == 1) {
                work.run(models[0], parts[0]);
                return;
            }
            AtomicInteger next = new AtomicInteger(); // slices are claimed: a thread kept off its core takes fewer
            Parallel.forRange(Math.min(Parallel.threads(), parts.length), (chunk, from, to) -> Parallel.serial(() -> {
                for (int s; (s = next.getAndIncrement()) < parts.length; ) work.run(models[s], parts[s]);
            }));
        }

        @Override
        public void close() {
            if (own) {
                synchronized (SPARE) {
                    SPARE.put(source, models); // the copies only: a value must not hold its weak key
                }
            } else {
                source.setReuseBuffers(reuse);
                source.setParamGradients(paramGrads);
            }
        }
    }

    /**
     * The forward pass of a slice: its pixels of {@code p} normalized, the model's probabilities into the whole
     * batch's {@code probs} [N, K]. Returns the slice's probabilities [M, K].
     */
    private static float[] forward(Model model, Slice sl, Normalization normalization, float[] p, float[] probs, int[] labels) {
        int[] in = model.inputShape();
        int c = in[0], plane = in[1] * in[2], per = c * plane, m = sl.to - sl.from, k = sl.dy.length / m;
        normalize(p, sl.from * per, sl.x, normalization.mean(), normalization.std(), c, plane);
        System.arraycopy(labels, 0, sl.labels, 0, m);
        Tensor logits = model.forward(Tensor.of(sl.x, m, in[0], in[1], in[2]), false);
        sl.loss.forward(logits, sl.labels);
        float[] pr = sl.loss.probabilities().data();
        System.arraycopy(pr, 0, probs, sl.from * k, m * k);
        return pr;
    }

    /**
     * One step on a slice of the batch: forward pass, probabilities and fooled marks into the whole batch's
     * arrays, then (unless {@code last}) the input gradient and the step on the slice's pixels of {@code p}. The
     * loss gradient is divided by the whole batch's size {@code n}, so the slice computes exactly the rows the
     * whole batch would.
     */
    private void pass(Model model, Slice sl, Normalization normalization, float[] clean, float[] p, int[] labels, int n,
                      boolean targeted, boolean stopWhenFooled, boolean last, float[] probs, boolean[] fooled, boolean[] done) {
        int[] in = model.inputShape();
        int c = in[0], plane = in[1] * in[2], per = c * plane, m = sl.to - sl.from, k = probs.length / n;
        float[] std = normalization.std();
        float[] pr = forward(model, sl, normalization, p, probs, Arrays.copyOfRange(labels, sl.from, sl.to));
        mark(pr, sl.labels, targeted, fooled, sl.from, k);
        if (last) return;
        if (stopWhenFooled) for (int i = sl.from; i < sl.to; i++) done[i] = fooled[i];
        lossGradient(pr, sl.labels, n, k, sl.dy);
        float[] g = model.backward(Tensor.of(sl.dy, m, k)).data(); // dL/dx [M, C, H, W]
        for (int q = 0; q < g.length / plane; q++) { // dL/dp = dL/dx / std[c], negated when targeted: the ascent direction
            float s = targeted ? -std[q % c] : std[q % c];
            for (int i = q * plane; i < (q + 1) * plane; i++) g[i] = g[i] / s;
        }
        step(p, clean, g, done, sl.from, sl.to, per);
    }

    /**
     * Gradient of the mean cross-entropy over a batch of {@code batch} images with respect to the logits of
     * the rows given, {@code (softmax - onehot) / batch}: what {@link SoftmaxCrossEntropy#backward()} computes
     * when the rows are the whole batch.
     */
    private static void lossGradient(float[] probs, int[] labels, int batch, int k, float[] dy) {
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < k; j++) dy[i * k + j] = probs[i * k + j] / batch;
            dy[i * k + labels[i]] -= 1f / batch;
        }
    }

    /** x.length pixels of p from {@code off} (whole images), in pixel units, to the model's input x. */
    private static void normalize(float[] p, int off, float[] x, float[] mean, float[] std, int c, int plane) {
        for (int q = 0; q < x.length / plane; q++) { // plane q is channel q % c of its image
            float m = mean[q % c], s = std[q % c];
            for (int i = q * plane; i < (q + 1) * plane; i++) x[i] = (p[off + i] - m) / s;
        }
    }

    /** Marks samples whose current prediction reaches the goal (argmax != label, or == target). */
    private static void mark(float[] probs, int[] labels, boolean targeted, boolean[] fooled, int off, int k) {
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) if (probs[i * k + j] > probs[i * k + best]) best = j;
            if (targeted ? best == labels[i] : best != labels[i]) fooled[off + i] = true;
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

    /** One ascent step along g (sign or normalized), then projection, for samples [from, to) not done; g holds those samples only. */
    private void step(float[] p, float[] clean, float[] g, boolean[] done, int from, int to, int per) {
        for (int i = from; i < to; i++) {
            if (done[i]) continue;
            int o = i * per, d = -from * per; // g[j + d] belongs to p[j]
            if (norm == Norm.LINF) {
                for (int j = o; j < o + per; j++) p[j] += stepSize * Math.signum(g[j + d]);
            } else {
                double ss = 0;
                for (int j = o; j < o + per; j++) ss += (double) g[j + d] * g[j + d];
                if (ss > 0) {
                    float s = (float) (stepSize / Math.sqrt(ss));
                    for (int j = o; j < o + per; j++) p[j] += s * g[j + d];
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
