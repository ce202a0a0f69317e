package glassbox.viz.gradients;

import glassbox.layers.ReLU;
import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.List;

/**
 * Gradient x input (Shrikumar et al. 2016, "Not Just a Black Box"): {@code x_i · d score / d x_i}, signed;
 * the map sums over channels. For a network that is piecewise linear with no biases (ReLU, max pooling,
 * convolutions and linear layers without bias), {@code score(x) = sum_i x_i · d score / d x_i} exactly
 * (Euler's theorem for homogeneous functions), so the map then splits the score among the pixels; with
 * biases the sum misses the biases' share.
 */
public final class GradientTimesInput {
    private GradientTimesInput() {
    }

    /** {@code x} is one image [1, C, H, W]. */
    public static Attribution compute(Model m, Tensor x, Target t, List<String> classNames) {
        Backprop.requireOne(x);
        Backprop.Pass p = Backprop.run(m, x, t, ReLU.Rule.STANDARD);
        int c = x.dim(1), h = x.dim(2), w = x.dim(3);
        float[] gx = Maps.times(p.inputGradient().data(), x.data());
        return Attribution.of("gradient-x-input", t.describe(classNames), p.scores()[0], c, h, w, gx,
                Maps.sumOverChannels(gx, c, h * w), true);
    }
}
