package glassbox.viz.weights;

import glassbox.layers.Conv2d;
import glassbox.layers.Layer;
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
import java.util.List;

/**
 * Pictures of convolution kernels, weight tensor W [out, in, k, k].
 *
 * <ul>
 * <li>{@link #colourGrid}: one tile per output kernel, its {@code in} = 3 (RGB) or 1 (grey) slices shown as
 * one picture, each kernel scaled to 0..255, nearest-neighbour upscaled so a 3x3 kernel is as readable as
 * an 11x11 one. For the first layer, which sees pixels.</li>
 * <li>{@link #channelGrid}: ConvNetJS style for deeper layers: one row per output kernel, one grey tile per
 * input channel, paginated by rows. Works for weights and for their gradients dL/dW alike.</li>
 * </ul>
 * Leaves out deconvolution-style projections of deep kernels to pixel space (see top-activating patches).
 */
public final class KernelSheets {
    /** Rows (output kernels) per page of a {@link #channelGrid}. */
    public static final int ROWS_PER_PAGE = 32;

    private KernelSheets() {
    }

    /** Every Conv2d of the model, blocks included, in forward order. */
    public static List<Conv2d> convLayers(Model model) {
        List<Conv2d> cs = new ArrayList<>();
        for (Layer l : model.allLayers()) if (l instanceof Conv2d c) cs.add(c);
        return cs;
    }

    /** The model's conv layer by name, or an error listing the conv layers. */
    public static Conv2d conv(Model model, String name) {
        List<Conv2d> cs = convLayers(model);
        if (cs.isEmpty()) throw new IllegalArgumentException(model.arch() + " has no convolution layers; try 'viz templates'");
        for (Conv2d c : cs) if (c.name().equals(name)) return c;
        List<String> names = new ArrayList<>();
        for (Conv2d c : cs) names.add(c.name());
        throw new IllegalArgumentException("no convolution layer named '" + name + "'; conv layers: " + String.join(", ", names));
    }

    /** Pixel upscale factor that makes a k x k kernel about {@code target} pixels wide. */
    static int factor(int k, int target) {
        return Math.max(1, Math.round(target / (float) k));
    }

    /** Tiles of each kernel of W [out, in (1 or 3), k, k] as a picture, scaled as {@code scaling} says. */
    public static List<Raster> kernelTiles(Tensor weight, Scaling scaling, int target) {
        int out = weight.dim(0), in = weight.dim(1), k = weight.dim(2), size = in * k * k;
        float[] wd = weight.data();
        ValueRange global = ValueRange.of(wd);
        int f = factor(k, target);
        List<Raster> tiles = new ArrayList<>();
        for (int o = 0; o < out; o++) {
            ValueRange r = scaling == Scaling.GLOBAL ? global : ValueRange.of(wd, o * size, size);
            tiles.add(Images.image(wd, o * size, in, k, k, r).upscale(f));
        }
        return tiles;
    }

    /**
     * First-layer kernels as a colour (3 inputs) or grey (1 input) grid, each labelled with its index.
     *
     * @param what "weights" or "dL/dW" (put in the title)
     */
    public static Raster colourGrid(String layerName, Tensor weight, Scaling scaling, String what) {
        int out = weight.dim(0), in = weight.dim(1), k = weight.dim(2);
        if (in != 1 && in != 3) {
            throw new IllegalArgumentException(layerName + " has " + in + " input channels; a colour grid needs 1 or 3 (use the per-channel grid)");
        }
        int target = out <= 16 ? 64 : out <= 64 ? 40 : 28;
        List<Raster> rs = kernelTiles(weight, scaling, target);
        List<Grid.Tile> tiles = new ArrayList<>();
        for (int o = 0; o < out; o++) tiles.add(new Grid.Tile(rs.get(o), Integer.toString(o)));
        ValueRange all = ValueRange.of(weight.data());
        Page p = new Page(layerName + " " + what + ": " + out + " kernels " + k + "x" + k + (in == 3 ? " RGB" : " grey"));
        p.text("Each kernel " + (scaling == Scaling.GLOBAL ? "on one shared range " + Fmt.num(all.min()) + " .. " + Fmt.num(all.max())
                : "stretched to its own min..max") + " -> 0..255, upscaled x" + factor(k, target) + " (nearest neighbour).");
        if (in == 3 && what.equals("weights")) p.text("Colour = the kernel prefers that colour; grey = a pattern of light and dark.");
        if (!what.equals("weights")) p.text("A gradient step moves each kernel against this picture (w -= lr * dL/dW).");
        p.add(new Grid(out <= 8 ? out : Math.min(16, Math.max(8, Grid.squareColumns(out, 16)))).gap(5).render(tiles));
        p.add(ColorBar.render(Colormap.GRAY, scaling == Scaling.GLOBAL ? all : new ValueRange(0, 1), 200,
                scaling == Scaling.GLOBAL ? "weight value (every channel)" : "kernel min (0) .. kernel max (1)"));
        return p.render();
    }

    /** Number of pages a {@link #channelGrid} of {@code weight} takes. */
    public static int pages(Tensor weight) {
        return (weight.dim(0) + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE;
    }

    /**
     * Page {@code page} (from 0) of the per-input-channel grid: row o holds W[o, i] for every input channel
     * i as grey tiles; scaling is per output kernel (PER_TILE, one range per row) or one for the layer.
     */
    public static Raster channelGrid(String layerName, Tensor weight, Scaling scaling, String what, int page) {
        int out = weight.dim(0), in = weight.dim(1), k = weight.dim(2), size = in * k * k, plane = k * k;
        int from = page * ROWS_PER_PAGE, to = Math.min(out, from + ROWS_PER_PAGE);
        if (from >= out || page < 0) throw new IllegalArgumentException(layerName + ": page " + (page + 1) + " of " + pages(weight) + " does not exist");
        float[] wd = weight.data();
        ValueRange global = ValueRange.of(wd);
        int target = in > 32 ? 14 : in > 8 ? 20 : 32, f = factor(k, target);
        List<Grid.Tile> tiles = new ArrayList<>();
        List<String> rows = new ArrayList<>(), cols = new ArrayList<>();
        for (int i = 0; i < in; i++) cols.add(Integer.toString(i));
        for (int o = from; o < to; o++) {
            ValueRange r = scaling == Scaling.GLOBAL ? global : ValueRange.of(wd, o * size, size);
            rows.add("out " + o);
            for (int i = 0; i < in; i++) tiles.add(new Grid.Tile(Images.map(wd, o * size + i * plane, k, k, Colormap.GRAY, r).upscale(f), ""));
        }
        Page p = new Page(layerName + " " + what + " [" + out + ", " + in + ", " + k + ", " + k + "]"
                + (pages(weight) > 1 ? "  page " + (page + 1) + "/" + pages(weight) : ""));
        p.text("Row = output kernel, column = input channel; black = most negative, white = most positive "
                + (scaling == Scaling.GLOBAL ? "over the layer (" + Fmt.num(global.min()) + " .. " + Fmt.num(global.max()) + ")." : "within each row."));
        p.add(new Grid(in).gap(2).rowLabels(rows).columnLabels(cols).render(tiles));
        p.add(ColorBar.render(Colormap.GRAY, scaling == Scaling.GLOBAL ? global : new ValueRange(0, 1), 200,
                scaling == Scaling.GLOBAL ? "value" : "row min (0) .. row max (1)"));
        return p.render();
    }
}
