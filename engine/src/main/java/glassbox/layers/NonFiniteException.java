package glassbox.layers;

import glassbox.tensor.Tensor;

/** A NaN or infinity appeared; says in which layer, in what (input, output, gradient) and where. */
public class NonFiniteException extends ArithmeticException {
    private final String layer;

    public NonFiniteException(String layer, String what, Tensor t, int flatIndex) {
        super(layer + ": " + what + " " + t.shapeString() + " holds " + t.data()[flatIndex] + " at flat index " + flatIndex);
        this.layer = layer;
    }

    /** Name of the layer where the value was found. */
    public String layer() {
        return layer;
    }
}
