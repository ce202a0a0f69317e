package glassbox.viz.gradients;

import glassbox.layers.ReLU;
import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * Class model visualization / activation maximization (Simonyan et al. 2014; Yosinski et al. 2015,
 * "Understanding Neural Networks Through Deep Visualization"): gradient ascent on the input image, from a
 * blank (mean-colour) or random start, on a class score or a channel, with the regularizers that make the
 * result look like something on small networks.
 *
 * <p>One step, in this order: shift the image circularly by a random (dy, dx) in [-jitter, jitter]
 * (jitter), take the gradient g of the score there and shift it back; {@code x += lr · g / mean|g|} (the
 * step is normalized, so {@code lr} is in model-input units, i.e. standard deviations of the data);
 * {@code x *= 1 - l2Decay} (L2 decay); every {@code blurEvery} steps a Gaussian blur of {@code blurSigma}
 * pixels; zero (= the mean colour) the pixels whose norm over channels is below the
 * {@code clipNormPercentile}-th percentile, and those whose contribution {@code |sum_c x_c g_c|} is below
 * the {@code clipContributionPercentile}-th; clip to the range of real pictures ({@link InputRange}).
 * Any regularizer is off at 0.
 *
 * <p>A sheet of several targets (one image per class) runs as one batch: each step is one forward and one
 * backward of all the images, and then each image takes its own step and regularizers as above. Leaves out
 * other regularizers of the literature (total variation, octaves, a learned image prior).
 */
public final class ClassModel {
    private ClassModel() {
    }

    /** The ascent's settings; see the class comment for what each does. */
    public record Settings(int steps, double lr, double l2Decay, int jitter, int blurEvery, double blurSigma,
                           double clipNormPercentile, double clipContributionPercentile, boolean randomStart, long seed,
                           int[] snapshotSteps) {
        public Settings {
            if (steps < 1) throw new IllegalArgumentException("class model: steps must be >= 1, got " + steps);
            if (!(lr > 0)) throw new IllegalArgumentException("class model: lr must be > 0, got " + lr);
            if (!(l2Decay >= 0 && l2Decay < 1)) throw new IllegalArgumentException("class model: L2 decay must be in [0, 1), got " + l2Decay);
            if (jitter < 0 || blurEvery < 0 || blurSigma < 0) throw new IllegalArgumentException("class model: jitter, blur must be >= 0");
            if (!(clipNormPercentile >= 0 && clipNormPercentile < 100 && clipContributionPercentile >= 0 && clipContributionPercentile < 100)) {
                throw new IllegalArgumentException("class model: clipping percentiles must be in [0, 100)");
            }
            snapshotSteps = snapshotSteps.clone();
        }

        /**
         * Defaults that give stroke-like images on LeNet-5/MNIST: 200 steps, all regularizers on, a random
         * start (from the blank mean image every ReLU of a small net can be off, so the gradient is exactly 0).
         */
        public static Settings defaults() {
            return new Settings(200, 0.05, 0.01, 1, 10, 0.5, 30, 30, true, 1, new int[]{1, 10, 50, 100, 200});
        }

        /** Plain gradient ascent: every regularizer off. */
        public Settings plain() {
            return new Settings(steps, lr, 0, 0, 0, 0, 0, 0, randomStart, seed, snapshotSteps);
        }

        public Settings withSteps(int n) {
            return new Settings(n, lr, l2Decay, jitter, blurEvery, blurSigma, clipNormPercentile, clipContributionPercentile, randomStart, seed, snapshotSteps);
        }

        public Settings withL2(double v) {
            return new Settings(steps, lr, v, jitter, blurEvery, blurSigma, clipNormPercentile, clipContributionPercentile, randomStart, seed, snapshotSteps);
        }

        public Settings withJitter(int v) {
            return new Settings(steps, lr, l2Decay, v, blurEvery, blurSigma, clipNormPercentile, clipContributionPercentile, randomStart, seed, snapshotSteps);
        }

        public Settings withBlur(int every, double sigma) {
            return new Settings(steps, lr, l2Decay, jitter, every, sigma, clipNormPercentile, clipContributionPercentile, randomStart, seed, snapshotSteps);
        }

        public Settings withClipNorm(double p) {
            return new Settings(steps, lr, l2Decay, jitter, blurEvery, blurSigma, p, clipContributionPercentile, randomStart, seed, snapshotSteps);
        }

        public Settings withClipContribution(double p) {
            return new Settings(steps, lr, l2Decay, jitter, blurEvery, blurSigma, clipNormPercentile, p, randomStart, seed, snapshotSteps);
        }

        public Settings withRandomStart(boolean on, long s) {
            return new Settings(steps, lr, l2Decay, jitter, blurEvery, blurSigma, clipNormPercentile, clipContributionPercentile, on, s, snapshotSteps);
        }
    }

    /** The image after {@code step} steps [C, H, W], model-input units. */
    public record Snapshot(int step, float[] image) {
    }

    /**
     * @param target      what was maximized
     * @param image       the final image [C, H, W], model-input units
     * @param scores      the score before each step [steps]
     * @param finalScore  the score of the final image
     * @param probability softmax probability of the class for the final image (NaN for a channel target)
     * @param snapshots   the image at the requested steps
     */
    public record Result(String target, int channels, int height, int width, float[] image, float[] scores,
                         double finalScore, double probability, List<Snapshot> snapshots, Settings settings) {
    }

    /** Runs the ascent for {@code t} on a model whose inputs are [C, H, W] within {@code range}. */
    public static Result compute(Model m, Target t, InputRange range, Settings s, List<String> classNames, DoubleConsumer progress) {
        return compute(m, List.of(t), range, s, classNames, progress).getFirst();
    }

    /**
     * Runs one ascent per target (e.g. one per class for a sheet), all as one batch: each step makes one
     * forward and one backward of N images instead of N of one image. Each image keeps its own state (its
     * own random generator seeded with {@code s.seed()}, so its own jitter) and every regularizer acts on
     * each image alone, so result {@code i} is what {@link #compute(Model, Target, InputRange, Settings, List,
     * DoubleConsumer)} gives for target {@code i} (up to float rounding: eval mode, batch norm included,
     * treats each image on its own). {@code progress} receives the fraction of steps done.
     */
    public static List<Result> compute(Model m, List<Target> targets, InputRange range, Settings s, List<String> classNames,
                                       DoubleConsumer progress) {
        if (targets.isEmpty()) throw new IllegalArgumentException("class model: no target to maximize");
        int[] in = m.inputShape();
        int n = targets.size(), c = in[0], h = in[1], w = in[2], chw = c * h * w;
        List<Ascent> images = new ArrayList<>();
        for (int i = 0; i < n; i++) images.add(new Ascent(s, c, h, w));
        float[] batch = new float[n * chw]; // [N, C, H, W]
        for (int step = 1; step <= s.steps(); step++) {
            for (int i = 0; i < n; i++) System.arraycopy(images.get(i).jittered(), 0, batch, i * chw, chw);
            Backprop.Pass p = Backprop.run(m, Tensor.of(batch, n, c, h, w), targets, ReLU.Rule.STANDARD);
            float[] g = p.inputGradient().data(); // [N, C, H, W]: d score_i / d (jittered image i)
            for (int i = 0; i < n; i++) images.get(i).step(step, p.scores()[i], Arrays.copyOfRange(g, i * chw, (i + 1) * chw), range);
            if (progress != null) progress.accept((double) step / s.steps());
        }
        for (int i = 0; i < n; i++) System.arraycopy(images.get(i).x, 0, batch, i * chw, chw);
        Tensor logits = Backprop.forward(m, Tensor.of(batch.clone(), n, c, h, w));
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Target t = targets.get(i);
            Ascent a = images.get(i);
            double fin = t.scores(m, logits)[i];
            double prob = t instanceof Target.ClassScore cs ? Occlusion.softmax(logits, cs.cls())[i] : Double.NaN;
            results.add(new Result(t.describe(classNames), c, h, w, a.x, a.scores, fin, prob, a.snapshots, s));
        }
        return results;
    }

    /** One image's ascent: its pixels, its random generator (start and jitter), its scores and snapshots. */
    private static final class Ascent {
        final Settings s;
        final int c, h, w, hw;
        final SplittableRandom random;
        float[] x; // [C, H, W], model-input units
        int dy, dx; // this step's jitter
        final float[] scores;
        final List<Snapshot> snapshots = new ArrayList<>();

        Ascent(Settings s, int c, int h, int w) {
            this.s = s;
            this.c = c;
            this.h = h;
            this.w = w;
            this.hw = h * w;
            random = new SplittableRandom(s.seed());
            x = new float[c * hw];
            if (s.randomStart()) for (int i = 0; i < x.length; i++) x[i] = (float) (0.1 * random.nextGaussian());
            scores = new float[s.steps()];
        }

        /** Jitter: the image shifted circularly by a fresh random (dy, dx) in [-jitter, jitter]. */
        float[] jittered() {
            dy = s.jitter() > 0 ? random.nextInt(-s.jitter(), s.jitter() + 1) : 0;
            dx = s.jitter() > 0 ? random.nextInt(-s.jitter(), s.jitter() + 1) : 0;
            return Maps.roll(x, c, h, w, dy, dx);
        }

        /** One ascent step from the gradient at the jittered image, then the regularizers, in the class comment's order. */
        void step(int step, float score, float[] jitteredGradient, InputRange range) {
            scores[step - 1] = score;
            float[] g = Maps.roll(jitteredGradient, c, h, w, -dy, -dx);
            double meanAbs = 0;
            for (float v : g) meanAbs += Math.abs(v);
            meanAbs /= g.length;
            float scale = meanAbs > 0 ? (float) (s.lr() / meanAbs) : 0f;
            for (int i = 0; i < x.length; i++) x[i] = (x[i] + scale * g[i]) * (float) (1 - s.l2Decay());
            if (s.blurEvery() > 0 && step % s.blurEvery() == 0) x = Maps.gaussianBlur(x, c, h, w, s.blurSigma());
            if (s.clipNormPercentile() > 0) {
                float[] norm = new float[hw];
                for (int ch = 0; ch < c; ch++) for (int i = 0; i < hw; i++) norm[i] += x[ch * hw + i] * x[ch * hw + i];
                zeroBelow(x, c, hw, norm, s.clipNormPercentile());
            }
            if (s.clipContributionPercentile() > 0) {
                float[] contrib = new float[hw];
                for (int ch = 0; ch < c; ch++) for (int i = 0; i < hw; i++) contrib[i] += x[ch * hw + i] * g[ch * hw + i];
                for (int i = 0; i < hw; i++) contrib[i] = Math.abs(contrib[i]);
                zeroBelow(x, c, hw, contrib, s.clipContributionPercentile());
            }
            range.clamp(x, hw);
            for (int k : s.snapshotSteps()) if (k == step) snapshots.add(new Snapshot(step, x.clone()));
        }
    }

    /** Sets every channel of the pixels whose {@code value} is below the p-th percentile to 0. */
    static void zeroBelow(float[] x, int c, int hw, float[] value, double percentile) {
        float[] sorted = value.clone();
        Arrays.sort(sorted);
        float cut = sorted[(int) Math.min(hw - 1, Math.floor(percentile / 100 * hw))];
        for (int i = 0; i < hw; i++) {
            if (value[i] < cut) for (int ch = 0; ch < c; ch++) x[ch * hw + i] = 0f;
        }
    }
}
