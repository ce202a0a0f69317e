package glassbox.viz.activations;

import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.viz.render.BitmapFont;
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
import java.util.List;

/**
 * One input image's activations, layer by layer: each channel of a map [1, C, H, W] as a coloured tile
 * (viridis for non-negative maps such as ReLU outputs, a diverging map centred on 0 for signed ones), late
 * small maps upscaled so they stay readable, the input beside the grid and a legend under it. Vector
 * outputs [1, F] (fully connected layers, logits) are drawn as labelled bars.
 *
 * <p>Reads {@code Layer.output()} after a forward pass: run {@code model.forward(x, false)} on one image
 * first. Leaves out batches (the first sample is shown).
 */
public final class ActivationMaps {
    /** Maps larger than this many channels are cut, with a note (the JSON still lists every channel). */
    public static final int MAX_CHANNELS = 256;

    private ActivationMaps() {
    }

    /** Sheet for layer {@code name}; {@code input} is the picture shown beside it, {@code labels} names vector outputs (may be null). */
    public static Raster render(Model model, String name, Raster input, Scaling scaling, List<String> labels) {
        Tensor a = model.activation(name);
        if (a == null) throw new IllegalStateException(name + ": no activation yet; run a forward pass first");
        Raster body = a.rank() == 4 ? maps(a, scaling) : bars(a, labels);
        int[] s = a.shape();
        s[0] = 1;
        Page p = new Page(name + " (" + model.layer(name).getClass().getSimpleName() + ") output " + java.util.Arrays.toString(java.util.Arrays.copyOfRange(s, 1, s.length)));
        Raster in = Page.column(3, List.of(Page.textBlock("input", 1, Raster.DARK_GRAY),
                input.upscale(Math.max(1, 96 / Math.max(input.width(), input.height())))), Raster.WHITE);
        p.row(16, List.of(in, body));
        return p.render();
    }

    private static Raster maps(Tensor a, Scaling scaling) {
        int c = a.dim(1), h = a.dim(2), w = a.dim(3), plane = h * w, shown = Math.min(c, MAX_CHANNELS);
        float[] d = a.data();
        ValueRange all = range(d, 0, shown * plane);
        boolean signed = all.min() < 0;
        Colormap cmap = signed ? Colormap.DIVERGING : Colormap.VIRIDIS;
        int f = tileFactor(h, w);
        List<Grid.Tile> tiles = new ArrayList<>();
        for (int ch = 0; ch < shown; ch++) {
            ValueRange r = scaling == Scaling.GLOBAL ? all : range(d, ch * plane, plane);
            String label = ch + (allZero(d, ch * plane, plane) ? " =0" : ""); // a silent map, not a dark colour
            tiles.add(new Grid.Tile(Images.map(d, ch * plane, h, w, cmap, r).upscale(f), label));
        }
        Raster grid = new Grid(Grid.squareColumns(shown, 16)).gap(3).render(tiles);
        List<Raster> parts = new ArrayList<>();
        parts.add(Page.textBlock(c + " maps " + h + "x" + w + (f > 1 ? ", upscaled x" + f : "") + (shown < c ? ", first " + shown + " shown" : "")
                + "; " + scaling.label() + (scaling == Scaling.PER_TILE ? " (each map to its own range)" : ""), 1, Raster.DARK_GRAY));
        parts.add(grid);
        parts.add(ColorBar.render(cmap, scaling == Scaling.GLOBAL ? all : (signed ? new ValueRange(-1, 1) : new ValueRange(0, 1)),
                Math.min(Math.max(grid.width(), 160), 320),
                scaling == Scaling.GLOBAL ? "activation value" : "activation / its map's " + (signed ? "max |value|" : "max")));
        return Page.column(6, parts, Raster.WHITE);
    }

    /** Nearest-neighbour factor that makes a map about 56-64 pixels wide (a 28x28 map x2, a 7x7 map x9). */
    static int tileFactor(int h, int w) {
        return Math.max(1, Math.round(60f / Math.max(h, w)));
    }

    private static boolean allZero(float[] d, int off, int len) {
        for (int i = off; i < off + len; i++) if (d[i] != 0f) return false;
        return true;
    }

    /** Range for a map: symmetric around 0 when it has negative values, else 0..max. */
    private static ValueRange range(float[] d, int off, int len) {
        ValueRange r = ValueRange.of(d, off, len);
        if (r.min() < 0) return ValueRange.symmetric(d, off, len);
        return new ValueRange(0, r.max() > 0 ? r.max() : 1);
    }

    /** Horizontal bars for a vector [1, F]: positive to the right (red), negative to the left (blue). */
    private static Raster bars(Tensor a, List<String> labels) {
        int f = a.size() / a.dim(0);
        float[] d = a.data();
        if (f > 64) { // too many for bars: a heat strip, 32 per row
            int rows = (f + 31) / 32;
            float[] padded = new float[rows * 32];
            System.arraycopy(d, 0, padded, 0, f);
            ValueRange r = range(d, 0, f);
            Colormap cmap = r.min() < 0 ? Colormap.DIVERGING : Colormap.VIRIDIS;
            Raster strip = Images.map(padded, 0, rows, 32, cmap, r).upscale(10);
            return Page.column(6, List.of(Page.textBlock(f + " features, 32 per row", 1, Raster.DARK_GRAY), strip,
                    ColorBar.render(cmap, r, 320, "activation value")), Raster.WHITE);
        }
        float m = 0;
        int best = 0;
        for (int i = 0; i < f; i++) {
            m = Math.max(m, Math.abs(d[i]));
            if (d[i] > d[best]) best = i;
        }
        if (m == 0) m = 1;
        int labelW = 0;
        for (int i = 0; i < f; i++) labelW = Math.max(labelW, BitmapFont.width(label(labels, i), 1));
        int half = 100, rowH = 11, x0 = labelW + 6 + half;
        Raster r = new Raster(x0 + half + 50, f * rowH + 2, Raster.WHITE);
        for (int i = 0; i < f; i++) {
            int y = i * rowH + 1, len = Math.round(half * Math.abs(d[i]) / m);
            BitmapFont.draw(r, 0, y + 1, label(labels, i), i == best ? Raster.BLACK : Raster.DARK_GRAY, 1);
            if (d[i] >= 0) r.fillRect(x0, y, len, rowH - 2, 0xb2182b);
            else r.fillRect(x0 - len, y, len, rowH - 2, 0x2166ac);
            BitmapFont.draw(r, d[i] >= 0 ? x0 + len + 3 : x0 + 3, y + 1, Fmt.num(d[i]), Raster.DARK_GRAY, 1);
        }
        r.fillRect(x0, 0, 1, r.height(), Raster.MID_GRAY);
        return r;
    }

    private static String label(List<String> labels, int i) {
        return labels != null && i < labels.size() ? labels.get(i) : Integer.toString(i);
    }
}
