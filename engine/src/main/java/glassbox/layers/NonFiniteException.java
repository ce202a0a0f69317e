package glassbox.layers;

import glassbox.tensor.Tensor;

/** A NaN or infinity appeared; says in which layer, in what (input, output, gradient) and where. */
public class NonFiniteException extends ArithmeticException {
    private final String layer;

    public NonFiniteException(String layer, String what, Tensor t, int flatIndex) {
        super(layer + ": " + what + " " + t.shapeString() + " holds " + t.data()[flatIndex] + " at "
                + java.util.Arrays.toString(coordinates(t.shape(), flatIndex)) + " (flat index " + flatIndex + ")");
        this.layer = layer;
    }

    /** Row-major coordinates of a flat index, e.g. [n, c, h, w] for an NCHW tensor. */
    static int[] coordinates(int[] shape, int flat) {
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = flat % shape[d];
            flat /= shape[d];
        }
        return at;
    }

    /** Name of the layer where the value was found. */
    public String layer() {
        return layer;
    }
}
