package glassbox.viz.gradients;

import glassbox.layers.Layer;
import glassbox.layers.ReLU;
import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.List;
import java.util.function.Supplier;

/**
 * The one backward pass every gradient explanation makes: an eval-mode forward of a batch, then the
 * gradient of the {@link Target}'s score with respect to the input, under a chosen ReLU backward rule.
 *
 * <p>Parameter gradients are switched off for the pass (explanations need only dL/dx, and the weight
 * gradients are about half the work of a convolution's backward) and the ReLU rule is set back to
 * {@link ReLU.Rule#STANDARD} afterwards, so the model is left as it was found. After {@link #run} every
 * layer's activation and output gradient is readable from the model (Grad-CAM reads them).
 */
public final class Backprop {
    private Backprop() {
    }

    /**
     * @param inputGradient d score / d input [N, C, H, W] (one score per sample)
     * @param scores        the explained score of each sample [N]
     * @param logits        the model's output [N, K]
     */
    public record Pass(Tensor inputGradient, float[] scores, Tensor logits) {
    }

    /** Forward (eval mode) and backward of {@code target}'s score for the batch {@code x} [N, C, H, W]. */
    public static Pass run(Model m, Tensor x, Target target, ReLU.Rule rule) {
        return inputGradientsOnly(m, rule, () -> {
            Tensor logits = m.forward(x, false);
            float[] scores = target.scores(m, logits);
            Tensor g = target.outputGradient(m, logits);
            Tensor dx = target instanceof Target.ClassScore ? m.backward(g) : m.backwardFrom(target.layer(m), g);
            return new Pass(dx, scores, logits);
        });
    }

    /**
     * Like {@link #run(Model, Tensor, Target, ReLU.Rule)}, but sample {@code i} of the batch explains its own
     * target {@code targets.get(i)} (e.g. a different class per image); every target must read its score
     * from the same layer. One forward and one backward for the whole batch: in eval mode a sample's score
     * depends on that sample alone, so row {@code i} of the input gradient is d score_i / d x_i.
     */
    public static Pass run(Model m, Tensor x, List<Target> targets, ReLU.Rule rule) {
        int n = x.dim(0);
        if (targets.size() != n) throw new IllegalArgumentException(targets.size() + " targets for a batch of " + n);
        if (targets.stream().distinct().count() == 1) return run(m, x, targets.getFirst(), rule);
        String layer = targets.getFirst().layer(m);
        for (Target t : targets) {
            if (!t.layer(m).equals(layer)) throw new IllegalArgumentException("targets read from different layers: " + layer + ", " + t.layer(m));
        }
        boolean allClasses = targets.stream().allMatch(t -> t instanceof Target.ClassScore);
        return inputGradientsOnly(m, rule, () -> {
            Tensor logits = m.forward(x, false);
            float[] scores = new float[n];
            Tensor g = null; // d score_i / d (output of layer): row i from sample i's own target
            for (int i = 0; i < n; i++) {
                Target t = targets.get(i);
                scores[i] = t.scores(m, logits)[i];
                Tensor gi = t.outputGradient(m, logits);
                if (g == null) g = Tensor.zeros(gi.shape());
                int per = gi.size() / n;
                System.arraycopy(gi.data(), i * per, g.data(), i * per, per);
            }
            Tensor dx = allClasses ? m.backward(g) : m.backwardFrom(layer, g);
            return new Pass(dx, scores, logits);
        });
    }

    /**
     * Eval-mode forward of {@code x}, then backward from layer {@code layer} with the output gradient
     * {@code outputGradient.apply(that layer's activation)}: for losses on features (feature inversion).
     * Returns dL/dx [N, C, H, W]; same switches as {@link #run}.
     */
    public static Tensor fromLayer(Model m, Tensor x, String layer, java.util.function.UnaryOperator<Tensor> outputGradient) {
        return inputGradientsOnly(m, ReLU.Rule.STANDARD, () -> {
            m.forward(x, false);
            return m.backwardFrom(layer, outputGradient.apply(m.activation(layer)));
        });
    }

    /** Runs {@code pass} with parameter gradients off, the input gradient on and {@code rule}; then restores the model. */
    private static <T> T inputGradientsOnly(Model m, ReLU.Rule rule, Supplier<T> pass) {
        boolean params = m.computesParamGradients();
        Layer first = m.layers().getFirst();
        boolean inputGrad = first.computesInputGradient();
        m.setParamGradients(false);
        first.setComputeInputGradient(true);
        m.setReluRule(rule);
        try {
            return pass.get();
        } finally {
            m.setReluRule(ReLU.Rule.STANDARD);
            m.setParamGradients(params);
            first.setComputeInputGradient(inputGrad);
        }
    }

    /** Forward only (eval mode): the logits [N, K], and the target's scores through {@code scores}. */
    public static Tensor forward(Model m, Tensor x) {
        return m.forward(x, false);
    }

    /** {@code n} copies of one sample [1, C, H, W] as a batch [n, C, H, W]. */
    static Tensor repeat(Tensor x, int n) {
        int per = x.size();
        float[] d = new float[n * per];
        for (int i = 0; i < n; i++) System.arraycopy(x.data(), 0, d, i * per, per);
        int[] s = x.shape().clone();
        s[0] = n;
        return Tensor.of(d, s);
    }

    /** Throws unless {@code x} is one sample [1, C, H, W]. */
    static void requireOne(Tensor x) {
        if (x.rank() != 4 || x.dim(0) != 1) throw new IllegalArgumentException("expected one image [1, C, H, W], got " + x.shapeString());
    }
}
