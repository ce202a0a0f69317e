package glassbox.viz.gradients;

import glassbox.layers.Layer;
import glassbox.layers.ReLU;
import glassbox.model.Model;
import glassbox.tensor.Tensor;

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
        boolean params = m.computesParamGradients();
        Layer first = m.layers().getFirst();
        boolean inputGrad = first.computesInputGradient();
        m.setParamGradients(false);
        first.setComputeInputGradient(true);
        m.setReluRule(rule);
        try {
            Tensor logits = m.forward(x, false);
            float[] scores = target.scores(m, logits);
            Tensor g = target.outputGradient(m, logits);
            Tensor dx = target instanceof Target.ClassScore ? m.backward(g) : m.backwardFrom(target.layer(m), g);
            return new Pass(dx, scores, logits);
        } finally {
            m.setReluRule(ReLU.Rule.STANDARD);
            m.setParamGradients(params);
            first.setComputeInputGradient(inputGrad);
        }
    }

    /**
     * Eval-mode forward of {@code x}, then backward from layer {@code layer} with the output gradient
     * {@code outputGradient.apply(that layer's activation)}: for losses on features (feature inversion).
     * Returns dL/dx [N, C, H, W]; same switches as {@link #run}.
     */
    public static Tensor fromLayer(Model m, Tensor x, String layer, java.util.function.UnaryOperator<Tensor> outputGradient) {
        boolean params = m.computesParamGradients();
        Layer first = m.layers().getFirst();
        boolean inputGrad = first.computesInputGradient();
        m.setParamGradients(false);
        first.setComputeInputGradient(true);
        try {
            m.forward(x, false);
            return m.backwardFrom(layer, outputGradient.apply(m.activation(layer)));
        } finally {
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
