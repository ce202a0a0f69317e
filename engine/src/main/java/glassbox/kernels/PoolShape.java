package glassbox.kernels;

/**
 * Geometry of a 2D pooling over a batch: input [n, c, h, w], square window k x k moved by stride, no padding,
 * output [n, c, hout, wout]. Windows that would hang over the right or bottom edge are dropped (floor mode,
 * as in PyTorch's default).
 */
public record PoolShape(int n, int c, int h, int w, int k, int stride) {
    public PoolShape {
        if (n < 1 || c < 1 || h < 1 || w < 1 || k < 1 || stride < 1) {
            throw new IllegalArgumentException("bad pooling geometry " + this);
        }
        if (k > h || k > w) {
            throw new IllegalArgumentException("pooling window " + k + "x" + k + " larger than input " + h + "x" + w);
        }
    }

    public int hout() {
        return (h - k) / stride + 1;
    }

    public int wout() {
        return (w - k) / stride + 1;
    }

    /** Number of (image, channel) planes: n * c. */
    public int planes() {
        return n * c;
    }
}
