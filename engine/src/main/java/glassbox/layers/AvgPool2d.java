package glassbox.layers;

import glassbox.kernels.Pool;
import glassbox.kernels.PoolShape;
import glassbox.tensor.Tensor;

/**
 * Average pooling over square windows: each output is the mean of its k×k window.
 *
 * <p>Shapes: x [N, C, H, W], y [N, C, Ho, Wo] with {@code Ho = (H - k) / stride + 1} (floor). Backward
 * spreads each output gradient evenly, {@code dy / k²}, over its window. Leaves out padding.
 */
public final class AvgPool2d extends Pool2d {
    public AvgPool2d(String name, int kernel, int stride) {
        super(name, kernel, stride);
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        // y = mean of each k×k window; loops in Pool.avgForward (scalar twin: Pool.avgForwardScalar).
        PoolShape s = geometry(x.shape());
        Tensor y = newOutput(s.n(), s.c(), s.hout(), s.wout());
        Pool.avgForward(s, x.data(), y.data());
        return y;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        // dx = 0, then every input of a window gets dy / (k·k) of that window (overlapping windows add up).
        Tensor dx = newInputGrad(input().shape()); // [N, C, H, W]
        Pool.avgBackward(geometry(input().shape()), dy.data(), dx.data());
        return dx;
    }
}
