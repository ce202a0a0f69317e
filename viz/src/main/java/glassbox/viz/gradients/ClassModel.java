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
        int[] in = m.inputShape();
        int c = in[0], h = in[1], w = in[2], hw = h * w;
        SplittableRandom r = new SplittableRandom(s.seed());
        float[] x = new float[c * hw];
        if (s.randomStart()) for (int i = 0; i < x.length; i++) x[i] = (float) (0.1 * r.nextGaussian());
        float[] scores = new float[s.steps()];
        List<Snapshot> snaps = new ArrayList<>();
        for (int step = 1; step <= s.steps(); step++) {
            int dy = s.jitter() > 0 ? r.nextInt(-s.jitter(), s.jitter() + 1) : 0;
            int dx = s.jitter() > 0 ? r.nextInt(-s.jitter(), s.jitter() + 1) : 0;
            float[] shifted = Maps.roll(x, c, h, w, dy, dx);
            Backprop.Pass p = Backprop.run(m, Tensor.of(shifted, 1, c, h, w), t, ReLU.Rule.STANDARD);
            scores[step - 1] = p.scores()[0];
            float[] g = Maps.roll(p.inputGradient().data(), c, h, w, -dy, -dx);
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
            for (int k : s.snapshotSteps()) if (k == step) snaps.add(new Snapshot(step, x.clone()));
            if (progress != null) progress.accept((double) step / s.steps());
        }
        Tensor logits = Backprop.forward(m, Tensor.of(x.clone(), 1, c, h, w));
        double fin = t.scores(m, logits)[0];
        double prob = t instanceof Target.ClassScore cs ? Occlusion.softmax(logits, cs.cls())[0] : Double.NaN;
        return new Result(t.describe(classNames), c, h, w, x, scores, fin, prob, snaps, s);
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
