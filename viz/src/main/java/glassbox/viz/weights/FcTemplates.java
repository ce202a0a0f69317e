package glassbox.viz.weights;

import glassbox.layers.Layer;
import glassbox.layers.Linear;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.viz.render.ColorBar;
import glassbox.viz.render.Colormap;
import glassbox.viz.render.Fmt;
import glassbox.viz.render.Grid;
import glassbox.viz.render.Images;
import glassbox.viz.render.Page;
import glassbox.viz.render.Raster;
import glassbox.viz.render.Scaling;
import glassbox.viz.render.ValueRange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Templates of a fully connected layer that sees pixels: row {@code o} of its weight W [out, C*H*W],
 * reshaped to the image shape [C, H, W], is the picture unit {@code o} matches best (its score is the dot
 * product of this picture with the input). For a linear classifier trained on CIFAR-10 these are the
 * well-known blurry class prototypes (CS231n, "Linear classification").
 *
 * <p>Rendering: grey for one channel, colour for three; each channel scaled with the same range to 0..255,
 * either one range for the sheet ({@link Scaling#GLOBAL}) or one per template ({@link Scaling#PER_TILE}).
 * A signed view maps weights through a diverging colormap (red: evidence for, blue: against).
 * Leaves out layers that do not see pixels directly (a second FC layer's rows live in hidden space).
 */
public final class FcTemplates {
    private final String layerName;
    private final float[] weights; // [out, C*H*W]
    private final int units, c, h, w;

    /** Templates of {@code layer}, whose input must be an image [c, h, w] flattened in NCHW order. */
    public FcTemplates(Linear layer, int c, int h, int w) {
        if (layer.inFeatures() != c * h * w) {
            throw new IllegalArgumentException(layer.name() + " has " + layer.inFeatures() + " inputs, not an image "
                    + c + "x" + h + "x" + w + " (" + c * h * w + " pixels)");
        }
        this.layerName = layer.name();
        this.weights = layer.weight().value().data();
        this.units = layer.outFeatures();
        this.c = c;
        this.h = h;
        this.w = w;
    }

    /**
     * The first fully connected layer of {@code model} if it sees the input pixels (only layers that keep
     * the pixel layout, such as Flatten, come before it), else an error naming the first layer.
     */
    public static FcTemplates firstLayer(Model model) {
        int[] in = model.inputShape();
        int c = in.length == 3 ? in[0] : 1, h = in.length == 3 ? in[1] : 1, w = in.length == 3 ? in[2] : in[0];
        for (Layer l : model.layers()) {
            if (l instanceof Linear lin) return new FcTemplates(lin, c, h, w);
            if (!(l instanceof glassbox.layers.Flatten)) {
                throw new IllegalArgumentException(model.arch() + ": the first layer '" + l.name() + "' ("
                        + l.getClass().getSimpleName() + ") is not fully connected, so there are no pixel templates; "
                        + "try 'viz kernels' for convolutional models");
            }
        }
        throw new IllegalArgumentException(model.arch() + " has no fully connected layer");
    }

    public String layerName() {
        return layerName;
    }

    public int units() {
        return units;
    }

    /** Template of unit {@code o} as a copy [c, h, w]. */
    public Tensor template(int o) {
        float[] t = new float[c * h * w];
        System.arraycopy(weights, o * t.length, t, 0, t.length);
        return Tensor.of(t, c, h, w);
    }

    /**
     * A sheet of templates {@code from .. to-1}, scaled to 0..255 as {@code scaling} says.
     *
     * @param labels name of each unit (class names for a classifier), or null for unit numbers
     */
    public Raster render(Scaling scaling, List<String> labels, int from, int to) {
        int size = c * h * w;
        ValueRange global = ValueRange.of(weights, from * size, (to - from) * size);
        int f = Images.upscaleFactor(h, w, 96);
        List<Grid.Tile> tiles = new ArrayList<>();
        for (int o = from; o < to; o++) tiles.add(new Grid.Tile(tile(o, scaling, from, to).upscale(f), label(labels, o)));
        Page p = new Page(layerName + " templates (" + scaling.label() + ")" + range(from, to));
        p.text("Row o of W [" + units + ", " + size + "] reshaped to " + c + "x" + h + "x" + w + ", "
                + (c == 3 ? "RGB channels scaled together" : "grey") + " to 0..255, upscaled x" + f + ".");
        p.text(scaling == Scaling.GLOBAL
                ? "One range for the sheet: black = " + Fmt.num(global.min()) + ", white = " + Fmt.num(global.max()) + "; weak templates look flat."
                : "Each template stretched to its own min..max: patterns visible, magnitudes not comparable.");
        p.add(new Grid(Math.min(10, to - from)).gap(6).render(tiles));
        return p.render();
    }

    /**
     * Template {@code o} as a picture, one pixel per weight, scaled to 0..255 over its own range
     * ({@link Scaling#PER_TILE}) or over templates {@code from .. to-1} ({@link Scaling#GLOBAL}).
     */
    public Raster tile(int o, Scaling scaling, int from, int to) {
        int size = c * h * w;
        ValueRange r = scaling == Scaling.GLOBAL ? ValueRange.of(weights, from * size, (to - from) * size) : ValueRange.of(weights, o * size, size);
        return Images.image(weights, o * size, c, h, w, r);
    }

    /** Templates through a diverging colormap around 0 (single-channel inputs), with its legend. */
    public Raster renderSigned(List<String> labels, int from, int to) {
        if (c != 1) throw new IllegalArgumentException("the signed view is for single-channel inputs; " + layerName + " sees " + c + " channels");
        int size = h * w;
        ValueRange r = ValueRange.symmetric(weights, from * size, (to - from) * size);
        int f = Images.upscaleFactor(h, w, 96);
        List<Grid.Tile> tiles = new ArrayList<>();
        for (int o = from; o < to; o++) {
            tiles.add(new Grid.Tile(Images.map(weights, o * size, h, w, Colormap.DIVERGING, r).upscale(f), label(labels, o)));
        }
        Page p = new Page(layerName + " templates (signed)" + range(from, to));
        p.text("Red pixels add to the unit's score, blue ones subtract; white is 0. One range for the sheet.");
        Raster grid = new Grid(Math.min(10, to - from)).gap(6).render(tiles);
        p.add(grid);
        p.add(ColorBar.render(Colormap.DIVERGING, r, Math.min(grid.width(), 300), "weight value"));
        return p.render();
    }

    /** Numbers shown: per template its min, max, L2 norm. */
    public Map<String, Object> summary(List<String> labels) {
        int size = c * h * w;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", layerName);
        m.put("imageShape", new int[]{c, h, w});
        List<Object> ts = new ArrayList<>();
        for (int o = 0; o < units; o++) {
            ValueRange r = ValueRange.of(weights, o * size, size);
            double n2 = 0;
            for (int i = 0; i < size; i++) n2 += weights[o * size + i] * (double) weights[o * size + i];
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("unit", o);
            t.put("label", label(labels, o));
            t.put("min", r.min());
            t.put("max", r.max());
            t.put("norm", Math.sqrt(n2));
            ts.add(t);
        }
        m.put("templates", ts);
        return m;
    }

    private String range(int from, int to) {
        return to - from < units ? ", units " + from + ".." + (to - 1) + " of " + units : "";
    }

    private static String label(List<String> labels, int o) {
        return labels != null && o < labels.size() ? labels.get(o) : "unit " + o;
    }
}
