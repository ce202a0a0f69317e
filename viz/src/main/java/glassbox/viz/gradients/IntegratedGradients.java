package glassbox.viz.gradients;

import glassbox.layers.ReLU;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;

import java.util.List;

/**
 * Integrated Gradients (Sundararajan, Taly &amp; Yan 2017, "Axiomatic Attribution for Deep Networks"):
 * {@code IG_i = (x_i - x'_i) · ∫_0^1 d score(x' + α(x - x')) / d x_i dα}, the path integral of the gradient
 * from a baseline x' to the input, approximated with {@code steps} intervals and computed in batches.
 *
 * <p>Completeness: {@code sum_i IG_i = score(x) - score(x')} for the exact integral; the numerical gap
 * {@code |sum IG - (score(x) - score(x'))|} is reported with every map (and relative to
 * {@code |score(x) - score(x')|}) and shrinks as steps grow; a relative gap above {@link #LARGE_GAP}
 * sets {@code warning} (the paper suggests staying within 5%). {@code raw} is IG [C, H, W]; the map sums
 * over channels (signed).
 */
public final class IntegratedGradients {
    /** Relative completeness gap above which the result carries a warning: use more steps. */
    public static final double LARGE_GAP = 0.05;

    private IntegratedGradients() {
    }

    /** How the integral over α is approximated with {@code steps} intervals. */
    public enum Rule {
        /** α = 0, 1/m, ..., (m-1)/m, each weight 1/m. */
        RIEMANN_LEFT,
        /** α = 1/m, ..., 1 (the paper's formula), each weight 1/m. */
        RIEMANN_RIGHT,
        /** α = (k + 1/2)/m. */
        RIEMANN_MIDDLE,
        /** α = 0, 1/m, ..., 1 (m + 1 points), weights 1/(2m) at the ends and 1/m inside. */
        TRAPEZOID;

        /** Points α of the rule for {@code m} intervals. */
        public double[] alphas(int m) {
            double[] a = new double[this == TRAPEZOID ? m + 1 : m];
            for (int k = 0; k < a.length; k++) {
                a[k] = switch (this) {
                    case RIEMANN_LEFT, TRAPEZOID -> (double) k / m;
                    case RIEMANN_RIGHT -> (k + 1.0) / m;
                    case RIEMANN_MIDDLE -> (k + 0.5) / m;
                };
            }
            return a;
        }

        /** Weights of the points, summing to 1. */
        public double[] weights(int m) {
            double[] w = new double[this == TRAPEZOID ? m + 1 : m];
            java.util.Arrays.fill(w, 1.0 / m);
            if (this == TRAPEZOID) w[0] = w[m] = 0.5 / m;
            return w;
        }
    }

    /** Which image the path starts from. */
    public enum Baseline {
        /** Every pixel 0 (black), i.e. {@code -mean/std} per channel in model-input units. */
        BLACK,
        /** The input blurred with a Gaussian of sigma = width / 8 pixels (Sturmfels et al. 2020). */
        BLURRED,
        /** The data set's mean colour: 0 in model-input units, since inputs are normalized by it. */
        MEAN;

        /** The baseline image [1, C, H, W] for input {@code x} under {@code norm}. */
        public Tensor of(Tensor x, Normalization norm) {
            int c = x.dim(1), h = x.dim(2), w = x.dim(3), hw = h * w;
            float[] b = new float[x.size()];
            switch (this) {
                case BLACK -> {
                    for (int ch = 0; ch < c; ch++) java.util.Arrays.fill(b, ch * hw, (ch + 1) * hw, -norm.mean()[ch] / norm.std()[ch]);
                }
                case BLURRED -> b = Maps.gaussianBlur(x.data(), c, h, w, w / 8.0);
                case MEAN -> { }
            }
            return Tensor.of(b, x.shape());
        }
    }

    /**
     * @param attribution    IG [C, H, W] and its channel sum
     * @param baseline       which baseline (null when a tensor was given)
     * @param rule           integration rule
     * @param steps          intervals m
     * @param scoreInput     score(x)
     * @param scoreBaseline  score(x')
     * @param attributionSum sum of every IG value
     * @param gap            |attributionSum - (scoreInput - scoreBaseline)|
     * @param relativeGap    gap / |scoreInput - scoreBaseline| (gap itself if that is 0)
     * @param warning        null, or a sentence saying the gap is large
     */
    public record Result(Attribution attribution, Baseline baseline, Rule rule, int steps, double scoreInput,
                         double scoreBaseline, double attributionSum, double gap, double relativeGap, String warning) {
    }

    /** IG of one image [1, C, H, W] from a named baseline. */
    public static Result compute(Model m, Tensor x, Target t, Baseline baseline, Normalization norm, int steps, Rule rule,
                                 List<String> classNames) {
        Result r = compute(m, x, t, baseline.of(x, norm), steps, rule, classNames);
        return new Result(r.attribution(), baseline, rule, steps, r.scoreInput(), r.scoreBaseline(), r.attributionSum(),
                r.gap(), r.relativeGap(), r.warning());
    }

    /** IG of one image [1, C, H, W] from the baseline image {@code base} [1, C, H, W]. */
    public static Result compute(Model m, Tensor x, Target t, Tensor base, int steps, Rule rule, List<String> classNames) {
        Backprop.requireOne(x);
        if (!base.sameShape(x)) throw new IllegalArgumentException("baseline " + base.shapeString() + " differs from input " + x.shapeString());
        if (steps < 1) throw new IllegalArgumentException("Integrated Gradients needs steps >= 1, got " + steps);
        double[] alphas = rule.alphas(steps), weights = rule.weights(steps);
        int per = x.size(), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        float[] xd = x.data(), bd = base.data();
        double[] avg = new double[per]; // Σ_k weight_k · gradient at point k
        for (int from = 0; from < alphas.length; from += SmoothGrad.MAX_BATCH) {
            int b = Math.min(SmoothGrad.MAX_BATCH, alphas.length - from);
            float[] batch = new float[b * per];
            for (int i = 0; i < b; i++) {
                float a = (float) alphas[from + i];
                for (int k = 0; k < per; k++) batch[i * per + k] = bd[k] + a * (xd[k] - bd[k]);
            }
            float[] g = Backprop.run(m, Tensor.of(batch, b, c, h, w), t, ReLU.Rule.STANDARD).inputGradient().data();
            for (int i = 0; i < b; i++) {
                double wk = weights[from + i];
                for (int k = 0; k < per; k++) avg[k] += wk * g[i * per + k];
            }
        }
        float[] ig = new float[per];
        double sum = 0;
        for (int k = 0; k < per; k++) {
            ig[k] = (float) ((xd[k] - bd[k]) * avg[k]);
            sum += ig[k];
        }
        float[] pair = new float[2 * per];
        System.arraycopy(xd, 0, pair, 0, per);
        System.arraycopy(bd, 0, pair, per, per);
        Tensor both = Tensor.of(pair, 2, c, h, w);
        float[] s = t.scores(m, Backprop.forward(m, both));
        double delta = (double) s[0] - s[1], gap = Math.abs(sum - delta);
        double rel = Math.abs(delta) > 1e-12 ? gap / Math.abs(delta) : gap;
        String warning = rel > LARGE_GAP ? String.format("completeness gap %.3g is %.1f%% of score(x) - score(baseline) = %.4g: use more steps",
                gap, 100 * rel, delta) : null;
        Attribution a = Attribution.of("integrated-gradients", t.describe(classNames), s[0], c, h, w, ig,
                Maps.sumOverChannels(ig, c, h * w), true);
        return new Result(a, null, rule, steps, s[0], s[1], sum, gap, rel, warning);
    }
}
