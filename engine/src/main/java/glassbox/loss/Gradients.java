package glassbox.loss;

import glassbox.tensor.Tensor;

import java.util.Arrays;

/**
 * Output gradients that pick what to explain, to pass to {@code Model.backward} or
 * {@code Model.backwardFrom}. Backpropagating such a gradient gives the derivative of the picked score
 * (not of a loss) with respect to everything below: the basis of saliency maps, guided backprop and
 * Grad-CAM.
 */
public final class Gradients {
    private Gradients() {
    }

    /**
     * One-hot rows: for logits [N, K], {@code d score_{classes[n]} / d logits} is 1 at (n, classes[n]) and
     * 0 elsewhere.
     *
     * @param shape   [N, K]
     * @param classes one class per sample, in 0..K-1
     */
    public static Tensor oneHot(int[] shape, int[] classes) {
        if (shape.length != 2) throw new IllegalArgumentException("oneHot expects a shape [N, classes], got " + Arrays.toString(shape));
        int n = shape[0], k = shape[1];
        if (classes.length != n) throw new IllegalArgumentException("oneHot: " + classes.length + " classes for shape " + Arrays.toString(shape));
        Tensor g = Tensor.zeros(n, k);
        for (int i = 0; i < n; i++) {
            if (classes[i] < 0 || classes[i] >= k) {
                throw new IllegalArgumentException("oneHot: class " + classes[i] + " of sample " + i + " outside 0.." + (k - 1));
            }
            g.data()[i * k + classes[i]] = 1f;
        }
        return g;
    }

    /**
     * Ones on one channel, zeros elsewhere: the gradient of the sum of channel {@code channel} (over every
     * sample and position) with respect to an activation of the given shape [N, C, ...] — "what drives
     * this feature map".
     */
    public static Tensor channel(int[] shape, int channel) {
        if (shape.length < 2 || channel < 0 || channel >= shape[1]) {
            throw new IllegalArgumentException("channel " + channel + " is not a channel of shape " + Arrays.toString(shape));
        }
        Tensor g = Tensor.zeros(shape);
        int c = shape[1], per = g.size() / (shape[0] * c);
        float[] d = g.data();
        for (int n = 0; n < shape[0]; n++) Arrays.fill(d, (n * c + channel) * per, (n * c + channel + 1) * per, 1f);
        return g;
    }
}
