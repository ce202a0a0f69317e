package glassbox.layers;

import glassbox.kernels.PoolShape;

import java.util.Arrays;

/**
 * What max and average pooling share: a square window of side {@code kernel} moved by {@code stride}, no
 * padding, and the output size {@code Ho = (H - k) / stride + 1} (floor, as PyTorch without
 * {@code ceil_mode}), computed once in {@link PoolShape}. The subclasses hold forward and backward.
 */
public abstract sealed class Pool2d extends Layer permits MaxPool2d, AvgPool2d {
    private final int kernel, stride;

    protected Pool2d(String name, int kernel, int stride) {
        super(name);
        if (kernel < 1 || stride < 1) {
            throw new IllegalArgumentException(name + ": bad " + getClass().getSimpleName() + " kernel=" + kernel + " stride=" + stride);
        }
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public final int[] outputShape(int[] s) {
        requireRank(s, 4, "[N, C, H, W]");
        if (s[2] < kernel || s[3] < kernel) {
            throw new ShapeException(name() + " (" + getClass().getSimpleName() + " k=" + kernel + ") window larger than input "
                    + Arrays.toString(s));
        }
        PoolShape g = geometry(s);
        return new int[]{s[0], s[1], g.hout(), g.wout()};
    }

    /** The window geometry for an input of shape [N, C, H, W]. */
    protected final PoolShape geometry(int[] x) {
        return new PoolShape(x[0], x[1], x[2], x[3], kernel, stride);
    }

    /** Side of the square window. */
    public final int kernel() {
        return kernel;
    }

    public final int stride() {
        return stride;
    }
}
