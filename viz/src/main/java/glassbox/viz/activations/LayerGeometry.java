package glassbox.viz.activations;

import glassbox.layers.Conv2d;
import glassbox.layers.Layer;
import glassbox.layers.Pool2d;
import glassbox.layers.Residual;
import glassbox.model.Model;
import glassbox.viz.activations.ReceptiveField.Stage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the spatial geometry of a model's layers (kernel, stride, padding of convolutions and pools) and
 * computes the {@link ReceptiveField} of any named layer, blocks included.
 *
 * <p>Layers that keep positions (activations, batch norm, dropout) are identity stages. A residual block is
 * the union of its two paths: both are aligned on the same output grid, so the block's window runs from
 * the earlier start to the later end. Layers that mix all positions (global pooling, flatten, fully
 * connected) see the whole input: {@link #receptiveField} then reports a window covering it.
 */
public final class LayerGeometry {
    private LayerGeometry() {
    }

    /** The stage of one plain layer, or null if it is not a spatial layer we know (checked by the caller). */
    static Stage stage(Layer l) {
        return switch (l) {
            case Conv2d c -> new Stage(c.name(), c.kernel(), c.stride(), c.padding());
            case Pool2d p -> new Stage(p.name(), p.kernel(), p.stride(), 0);
            default -> null;
        };
    }

    /**
     * Receptive field of the units of layer {@code name} (top-level or inside a block), for input images of
     * the model's input size. An unknown name is an error listing the valid ones; a layer of unknown kind that
     * changes the map size is taken to mix all positions (its units see the whole input).
     */
    public static ReceptiveField receptiveField(Model model, String name) {
        model.layer(name); // error listing the valid names if unknown
        int[] in = model.inputShape();
        if (in.length != 3) throw new IllegalArgumentException(model.arch() + " does not take images, input " + Arrays.toString(in));
        Walk w = new Walk(new ReceptiveField(1, 1, 0), new int[]{1, in[0], in[1], in[2]}, false);
        Walk end = walk(model.layers(), w, name);
        if (!end.done) throw new IllegalStateException("layer " + name + " not found on the forward path");
        return end.rf;
    }

    /** State of the walk: the field so far, the current shape, whether the target was reached. */
    private record Walk(ReceptiveField rf, int[] shape, boolean done) {
    }

    /** Goes through {@code layers} until {@code target} is passed (done) or the list ends. */
    private static Walk walk(List<Layer> layers, Walk w, String target) {
        for (Layer l : layers) {
            w = step(l, w, target);
            if (w.done) return w;
        }
        return w;
    }

    private static Walk step(Layer l, Walk w, String target) {
        int[] out = l.outputShape(w.shape);
        if (l instanceof Residual r) {
            Walk in = new Walk(w.rf, w.shape, false);
            Walk m = walk(r.main(), in, target);
            if (m.done) return m;
            Walk s = walk(r.shortcut(), in, target); // an empty shortcut is the identity: s = in
            if (s.done) return s;
            ReceptiveField a = m.rf, b = s.rf;
            if (a.jump() != b.jump()) throw new IllegalArgumentException(r.name() + ": main and shortcut paths have different strides");
            int first = Math.min(a.start(), b.start()), end = Math.max(a.start() + a.size(), b.start() + b.size());
            return new Walk(new ReceptiveField(end - first, a.jump(), first), out, l.name().equals(target));
        }
        ReceptiveField rf = w.rf;
        Stage st = stage(l);
        if (st != null) {
            rf = rf.then(st);
        } else if (out.length != 4 || w.shape.length != 4 || out[2] != w.shape[2] || out[3] != w.shape[3]) {
            rf = wholeImage(rf, w.shape); // global pooling, flatten, fully connected: each unit sees everything
        }
        return new Walk(rf, out, l.name().equals(target));
    }

    /** A field covering the whole input that the map of shape {@code s} came from. */
    private static ReceptiveField wholeImage(ReceptiveField rf, int[] s) {
        if (s.length != 4) return rf; // already whole
        int n = Math.max(s[2], s[3]);
        return new ReceptiveField(rf.size() + (n - 1) * rf.jump(), rf.jump() * n, rf.start());
    }

    /** Output shape [1, ...] of every layer (blocks included) for one input sample, in forward order. */
    public static Map<String, int[]> outputShapes(Model model) {
        Map<String, int[]> m = new LinkedHashMap<>();
        int[] in = model.inputShape(), s = new int[in.length + 1];
        s[0] = 1;
        System.arraycopy(in, 0, s, 1, in.length);
        shapes(model.layers(), s, m);
        return m;
    }

    private static int[] shapes(List<Layer> layers, int[] s, Map<String, int[]> m) {
        for (Layer l : layers) {
            if (l instanceof Residual r) {
                shapes(r.main(), s, m);
                shapes(r.shortcut(), s, m);
            }
            s = l.outputShape(s);
            m.put(l.name(), s);
        }
        return s;
    }

    /** Names of the layers whose output is a spatial map [N, C, H, W], in forward order. */
    public static List<String> spatialLayers(Model model) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, int[]> e : outputShapes(model).entrySet()) if (e.getValue().length == 4) names.add(e.getKey());
        return names;
    }
}
