package glassbox.layers;

import glassbox.tensor.Tensor;

import java.util.Arrays;

/**
 * Flattens every sample into a vector: [N, d1, d2, ...] → [N, d1·d2·...].
 *
 * <p>NCHW order is kept, so feature {@code (c·H + h)·W + w} of the output is pixel (c, h, w). No copy:
 * the output is a view of the input, and the input gradient a view of the output gradient (no layer
 * writes into either, so sharing is safe).
 */
public final class Flatten extends Layer {
    public Flatten(String name) {
        super(name);
    }

    @Override
    public int[] outputShape(int[] s) {
        if (s.length < 2) throw new ShapeException(name() + " (Flatten) expects [N, ...], got " + Arrays.toString(s));
        int features = 1;
        for (int i = 1; i < s.length; i++) features *= s[i];
        return new int[]{s[0], features};
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        return x.reshape(x.dim(0), -1);
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        return dy.reshape(input().shape());
    }
}
