package glassbox.viz.robustness;

import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;

/**
 * Softmax probabilities of images given in pixel units: the model's normalization, one forward pass in
 * inference mode. The shared last step of every robustness, bias and fooling view.
 */
public final class Predict {
    private Predict() {
    }

    /** Probabilities [N, K] (row-major) of {@code pixels} [N, C, H, W] in 0..1. */
    public static float[] probabilities(Model model, Normalization norm, float[] pixels, int n) {
        int[] in = model.inputShape();
        int c = in[0], plane = in[1] * in[2];
        float[] mean = norm.mean(), std = norm.std();
        float[] x = new float[pixels.length];
        for (int i = 0; i < x.length; i++) {
            int ch = (i / plane) % c;
            x[i] = (pixels[i] - mean[ch]) / std[ch];
        }
        Tensor logits = model.forward(Tensor.of(x, n, in[0], in[1], in[2]), false);
        SoftmaxCrossEntropy sce = new SoftmaxCrossEntropy();
        sce.forward(logits, new int[n]); // labels unused: only the softmax is read
        return sce.probabilities().data();
    }

    /** Index of the largest of row {@code i} of [N, K]. */
    public static int argmax(float[] probs, int i, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) if (probs[i * k + j] > probs[i * k + best]) best = j;
        return best;
    }
}
