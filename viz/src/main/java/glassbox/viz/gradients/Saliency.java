package glassbox.viz.gradients;

import glassbox.layers.ReLU;
import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.List;

/**
 * Vanilla gradient maps (Simonyan, Vedaldi &amp; Zisserman 2014, "Deep Inside Convolutional Networks:
 * Visualising Image Classification Models and Saliency Maps"): the gradient of the score with respect to
 * the input pixels, one backward pass.
 *
 * <ul>
 *   <li>{@link #saliency}: {@code max_c |d score / d x_c|} per pixel, non-negative (the paper's map);</li>
 *   <li>{@link #signedGradient}: {@code sum_c d score / d x_c}, signed (which way each pixel pushes).</li>
 * </ul>
 * {@code raw} holds the gradient itself [C, H, W] in both.
 */
public final class Saliency {
    private Saliency() {
    }

    /** |gradient|, max over channels. {@code x} is one image [1, C, H, W]. */
    public static Attribution saliency(Model m, Tensor x, Target t, List<String> classNames) {
        return of("saliency", m, x, t, classNames);
    }

    /** The signed gradient, summed over channels. */
    public static Attribution signedGradient(Model m, Tensor x, Target t, List<String> classNames) {
        return of("gradient", m, x, t, classNames);
    }

    private static Attribution of(String method, Model m, Tensor x, Target t, List<String> classNames) {
        Backprop.requireOne(x);
        Backprop.Pass p = Backprop.run(m, x, t, ReLU.Rule.STANDARD);
        int c = x.dim(1), h = x.dim(2), w = x.dim(3);
        float[] g = p.inputGradient().data().clone();
        boolean signed = method.equals("gradient");
        float[] map = signed ? Maps.sumOverChannels(g, c, h * w) : Maps.maxAbsOverChannels(g, c, h * w);
        return Attribution.of(method, t.describe(classNames), p.scores()[0], c, h, w, g, map, signed);
    }
}
