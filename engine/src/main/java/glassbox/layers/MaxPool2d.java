package glassbox.layers;

import glassbox.kernels.Pool;
import glassbox.kernels.PoolShape;
import glassbox.tensor.Tensor;

/**
 * Max pooling over square windows: each output is the largest input in its k×k window.
 *
 * <p>Shapes: x [N, C, H, W], y [N, C, Ho, Wo] with {@code Ho = (H - k) / stride + 1} (floor, as PyTorch
 * without {@code ceil_mode}). Backward routes each output gradient to the input that won its window (the
 * first one on ties, like PyTorch); with overlapping windows (stride &lt; k) one input may collect several.
 * Forward remembers the winners whatever the mode, so a saliency map can be taken after an eval forward.
 * Leaves out padding and dilation.
 */
public final class MaxPool2d extends Pool2d {
    /** Flat input index of the winner of every output element, [N, C, Ho, Wo]; reused across calls. */
    private int[] argmax = new int[0];

    public MaxPool2d(String name, int kernel, int stride) {
        super(name, kernel, stride);
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        // For each window: y = the largest input, argmax = its flat index in x (the first one on ties).
        // The loops live in Pool.maxForward (planes spread over threads; Pool.maxForwardScalar is the plain twin).
        PoolShape s = geometry(x.shape());
        Tensor y = newOutput(s.n(), s.c(), s.hout(), s.wout());
        if (argmax.length != y.size()) argmax = new int[y.size()];
        Pool.maxForward(s, x.data(), y.data(), argmax);
        return y;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        // dx = 0, then dx[argmax[o]] += dy[o]: each output gradient goes back to the input that won its window.
        Tensor dx = newInputGrad(input().shape()); // [N, C, H, W]
        Pool.maxBackward(geometry(input().shape()), dy.data(), argmax, dx.data());
        return dx;
    }
}
