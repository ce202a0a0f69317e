package glassbox.layers;

/** A tensor of the wrong shape reached a layer; the message names the layer and both shapes. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
