package glassbox.kernels;

/**
 * Geometry of a 2D convolution over a batch: input [n, cin, h, w], weight [cout, cin, k, k],
 * output [n, cout, hout, wout], square kernel, same stride and zero padding on both axes.
 */
public record ConvShape(int n, int cin, int h, int w, int cout, int k, int stride, int pad) {
    public ConvShape {
        if (n < 1 || cin < 1 || h < 1 || w < 1 || cout < 1 || k < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException("bad convolution geometry " + this);
        }
        if (h + 2 * pad < k || w + 2 * pad < k) {
            throw new IllegalArgumentException("kernel " + k + "x" + k + " larger than padded input " + (h + 2 * pad) + "x" + (w + 2 * pad));
        }
    }

    public int hout() {
        return (h + 2 * pad - k) / stride + 1;
    }

    public int wout() {
        return (w + 2 * pad - k) / stride + 1;
    }

    /** Multiply-adds of one forward pass over the batch. */
    public long macs() {
        return (long) n * cout * hout() * wout() * cin * k * k;
    }
}
