package glassbox.layers;

import glassbox.kernels.Vec;
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
        return sum(m, sc, newOutput(m.shape()));
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        Tensor dm = dy, dsc = dy; // y = m + sc: both paths receive dL/dy unchanged
        for (int i = main.size() - 1; i >= 0; i--) dm = main.get(i).backward(dm);
        for (int i = shortcut.size() - 1; i >= 0; i--) dsc = shortcut.get(i).backward(dsc);
        return sum(dm, dsc, newInputGrad(dm.shape()));
    }

    /** True if {@code target} is one of this block's layers, at any depth. */
    public boolean contains(Layer target) {
        for (Layer c : children()) {
            if (c == target || (c instanceof Residual r && r.contains(target))) return true;
        }
        return false;
    }

    /**
     * dL/dx of the block when the gradient starts at the output of one of its own layers
     * ({@code g} = dL/d(target's output)) instead of at the block's output: backward runs through the
     * target and the layers before it on its path; the other path does not see this gradient, so it adds
     * nothing. Used by {@code Model.backwardFrom} to explain a layer inside a block. The block itself keeps
     * no output or input gradient from such a pass.
     */
    public Tensor backwardFrom(Layer target, Tensor g) {
        Tensor dx = backwardAlong(main, target, g);
        if (dx == null) dx = backwardAlong(shortcut, target, g);
        if (dx == null) throw new IllegalArgumentException(target.name() + " is not inside " + name());
        return dx;
    }

    /** Backward along one path from target (or the nested block holding it) to the path's start; null if absent. */
    private static Tensor backwardAlong(List<Layer> path, Layer target, Tensor g) {
        int start = path.size() - 1;
        while (start >= 0 && path.get(start) != target
                && !(path.get(start) instanceof Residual r && r.contains(target))) start--;
        if (start < 0) return null;
        if (path.get(start) != target) g = ((Residual) path.get(start--)).backwardFrom(target, g);
        for (int i = start; i >= 0; i--) g = path.get(i).backward(g);
        return g;
    }

    /** into = a + b (neither operand is written: both may be retained activations). */
    private static Tensor sum(Tensor a, Tensor b, Tensor into) {
        float[] x = a.data(), y = b.data(), z = into.data();
        Slices.run(into.size(), (off, len) -> Vec.add(x, y, z, off, len)); // split between threads when large
        return into;
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
