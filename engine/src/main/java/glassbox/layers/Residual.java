package glassbox.layers;

import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A residual block (He et al. 2016, "Deep Residual Learning for Image Recognition"):
 * {@code y = main(x) + shortcut(x)}, each path a list of layers run in order; an empty shortcut is the
 * identity. A ReLU after the sum, if wanted, is a separate layer of the model.
 *
 * <p>The block is one layer of the model whose {@link #children()} are the main layers then the shortcut
 * layers, so each keeps its own activation and gradient, readable by name (e.g. {@code res1.conv1}).
 * Backward runs each path backward from the same dL/dy and sums the two input gradients, since x feeds
 * both. Shapes: x [N, ...], both paths must produce the same shape, y has that shape.
 */
public final class Residual extends Layer {
    private final List<Layer> main, shortcut;

    /**
     * @param main     layers of the main path (at least one)
     * @param shortcut layers of the shortcut path, e.g. a 1×1 stride-2 Conv2d and a BatchNorm2d; empty for identity
     */
    public Residual(String name, List<Layer> main, List<Layer> shortcut) {
        super(name);
        if (main.isEmpty()) throw new IllegalArgumentException(name + ": a residual block needs at least one main layer");
        this.main = List.copyOf(main);
        this.shortcut = List.copyOf(shortcut);
    }

    @Override
    public int[] outputShape(int[] s) {
        int[] m = s, sc = s;
        for (Layer l : main) m = l.outputShape(m);
        for (Layer l : shortcut) sc = l.outputShape(sc);
        if (!Arrays.equals(m, sc)) {
            throw new ShapeException(name() + " (Residual): main path gives " + Arrays.toString(m) + " but shortcut gives "
                    + Arrays.toString(sc) + " for input " + Arrays.toString(s)
                    + (shortcut.isEmpty() ? "; an identity shortcut needs main to keep the shape (add a projection)" : ""));
        }
        return m;
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        Tensor m = x, sc = x;
        for (Layer l : main) m = l.forward(m, training);
        for (Layer l : shortcut) sc = l.forward(sc, training);
        return sum(m, sc);
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        Tensor dm = dy, dsc = dy; // y = m + sc: both paths receive dL/dy unchanged
        for (int i = main.size() - 1; i >= 0; i--) dm = main.get(i).backward(dm);
        for (int i = shortcut.size() - 1; i >= 0; i--) dsc = shortcut.get(i).backward(dsc);
        return sum(dm, dsc);
    }

    /** a + b into a new tensor (neither operand is written: both may be retained activations). */
    private static Tensor sum(Tensor a, Tensor b) {
        float[] ad = a.data(), bd = b.data();
        float[] s = new float[ad.length];
        for (int i = 0; i < s.length; i++) s[i] = ad[i] + bd[i];
        return new Tensor(s, a.shape());
    }

    /** Main layers, then shortcut layers. */
    @Override
    public List<Layer> children() {
        List<Layer> all = new ArrayList<>(main);
        all.addAll(shortcut);
        return List.copyOf(all);
    }

    public List<Layer> main() {
        return main;
    }

    /** Shortcut layers; empty means identity. */
    public List<Layer> shortcut() {
        return shortcut;
    }
}
