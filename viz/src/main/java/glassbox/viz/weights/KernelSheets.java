package glassbox.viz.weights;

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
 * Pictures of {@link ConvKernels}, weights or gradients alike, always on a zero-centred scale (both are
 * signed): grey kernels through the diverging colormap (blue negative, white 0, red positive), colour
 * kernels as RGB pictures with 0 at mid grey in every channel.
 *
 * <ul>
 * <li>{@link #colourGrid}: one tile per output kernel, its {@code in} = 3 (RGB) or 1 slices shown as one
 * picture, nearest-neighbour upscaled so a 3x3 kernel is as readable as an 11x11 one. For the first
 * layer, which sees pixels.</li>
 * <li>{@link #channelGrid}: ConvNetJS style for deeper layers: one row per output kernel, one tile per input
 * channel, paginated by rows.</li>
 * </ul>
 * Under {@link Scaling#GLOBAL} the colour bar shows real values; under {@link Scaling#PER_TILE} each kernel
 * (row) has its own range ±m, m printed beside it. Dead (all-zero) kernels are drawn as 0 and marked "dead".
 * Leaves out deconvolution-style projections of deep kernels to pixel space (see top-activating patches).
 */
public final class KernelSheets {
    /** Rows (output kernels) per page of a {@link #channelGrid}. */
    public static final int ROWS_PER_PAGE = 32;

    private KernelSheets() {
    }

    /** Pixel upscale factor that makes a k x k kernel about {@code target} pixels wide. */
    static int factor(int k, int target) {
        return Math.max(1, Math.round(target / (float) k));
    }

    /** Tiles of each kernel of W [out, in (1 or 3), k, k], zero-centred, scaled as {@code scaling} says. */
    public static List<Raster> kernelTiles(ConvKernels ks, Scaling scaling, int target) {
        int[] s = ks.shape();
        int out = s[0], in = s[1], k = s[2], size = in * k * k;
        float global = ks.maxAbs();
        int f = factor(k, target);
        List<Raster> tiles = new ArrayList<>();
        for (int o = 0; o < out; o++) {
            float m = scaling == Scaling.GLOBAL ? global : ks.kernels().get(o).maxAbs();
            Raster t = in == 1 ? Images.map(ks.values(), o * size, k, k, Colormap.DIVERGING, range(m))
                    : Images.signedImage(ks.values(), o * size, in, k, k, m);
            tiles.add(t.upscale(f));
        }
        return tiles;
    }

    private static ValueRange range(float m) {
        return m > 0 ? new ValueRange(-m, m) : new ValueRange(-1, 1);
    }

    /** First-layer kernels as a grid of colour (3 inputs) or diverging (1 input) tiles, each labelled. */
    public static Raster colourGrid(ConvKernels ks, Scaling scaling) {
        int[] s = ks.shape();
        int out = s[0], in = s[1], k = s[2];
        if (in != 1 && in != 3) {
            throw new IllegalArgumentException(ks.layer() + " has " + in + " input channels; a colour grid needs 1 or 3 (use the per-channel grid)");
        }
        int target = out <= 16 ? 64 : out <= 64 ? 40 : 28;
        List<Raster> rs = kernelTiles(ks, scaling, target);
        List<Grid.Tile> tiles = new ArrayList<>();
        for (int o = 0; o < out; o++) {
            ConvKernels.Kernel kn = ks.kernels().get(o);
            String label = kn.dead() ? o + " dead" : scaling == Scaling.PER_TILE ? o + "\n±" + Fmt.num(kn.maxAbs()) : Integer.toString(o);
            tiles.add(new Grid.Tile(rs.get(o), label));
        }
        Page p = new Page(title(ks, ": " + out + " kernels " + k + "x" + k + (in == 3 ? " RGB" : "")));
        p.text(explanation(ks, scaling, in, "under") + " Upscaled x" + factor(k, target) + " (nearest neighbour).");
        int cols = out <= 10 ? out : Math.min(16, Math.max(8, Grid.squareColumns(out, 16)));
        Raster grid = new Grid(cols).gap(6).render(tiles);
        p.add(grid);
        p.add(legend(ks, scaling, in, grid.width()));
        return p.render();
    }

    /** Number of pages a {@link #channelGrid} of {@code ks} takes. */
    public static int pages(ConvKernels ks) {
        return (ks.shape()[0] + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE;
    }

    /**
     * Page {@code page} (from 0) of the per-input-channel grid: row o holds W[o, i] for every input channel
     * i; scaling is per output kernel (PER_TILE, one range per row) or one for the layer.
     */
    public static Raster channelGrid(ConvKernels ks, Scaling scaling, int page) {
        int[] s = ks.shape();
        int out = s[0], in = s[1], k = s[2], size = in * k * k, plane = k * k;
        int from = page * ROWS_PER_PAGE, to = Math.min(out, from + ROWS_PER_PAGE);
        if (from >= out || page < 0) throw new IllegalArgumentException(ks.layer() + ": page " + (page + 1) + " of " + pages(ks) + " does not exist");
        float global = ks.maxAbs();
        int target = in > 32 ? 14 : in > 8 ? 20 : 32, f = factor(k, target);
        List<Grid.Tile> tiles = new ArrayList<>();
        List<String> rows = new ArrayList<>(), cols = new ArrayList<>();
        for (int i = 0; i < in; i++) cols.add(Integer.toString(i));
        for (int o = from; o < to; o++) {
            ConvKernels.Kernel kn = ks.kernels().get(o);
            float m = scaling == Scaling.GLOBAL ? global : kn.maxAbs();
            rows.add("out " + o + (kn.dead() ? "  dead" : scaling == Scaling.PER_TILE ? "  ±" + Fmt.num(kn.maxAbs()) : ""));
            for (int i = 0; i < in; i++) {
                tiles.add(new Grid.Tile(Images.map(ks.values(), o * size + i * plane, k, k, Colormap.DIVERGING, range(m)).upscale(f), ""));
            }
        }
        Page p = new Page(title(ks, " [" + out + ", " + in + ", " + k + ", " + k + "]")
                + (pages(ks) > 1 ? ", page " + (page + 1) + " of " + pages(ks) : ""));
        p.text("Row = output kernel, column = input channel. " + explanation(ks, scaling, 1, "beside"));
        Raster grid = new Grid(in).gap(2).rowLabels(rows).columnLabels(cols).render(tiles);
        p.add(grid);
        p.add(legend(ks, scaling, 1, grid.width()));
        return p.render();
    }

    private static String title(ConvKernels ks, String shape) {
        return ks.quantity() == ConvKernels.Quantity.WEIGHTS ? ks.layer() + " weights" + shape
                : ks.layer() + " loss gradient dL/dW" + shape + " over " + ks.images() + " images (loss " + Fmt.num(ks.loss()) + ")";
    }

    private static String explanation(ConvKernels ks, Scaling scaling, int in, String where) {
        String colours = in == 3 ? "0 is mid grey in every channel; a colour means the kernel prefers more of it, its complement less."
                : "Red positive, blue negative, white 0.";
        String scale = scaling == Scaling.GLOBAL ? "One range for the layer: weak kernels look faint."
                : "Each kernel on its own range ±m (m " + where + " it).";
        int n = ks.deadCount();
        String dead = n == 0 ? "" : ks.quantity() == ConvKernels.Quantity.WEIGHTS
                ? " " + n + " of " + ks.shape()[0] + (n == 1 ? " kernels is" : " kernels are") + " dead (all 0)."
                : n == 1 ? " 1 of " + ks.shape()[0] + " kernels is dead (all 0): its channel never passed its ReLU on these images, so it does not learn from them."
                : " " + n + " of " + ks.shape()[0] + " kernels are dead (all 0): their channels never passed their ReLU on these images, so they do not learn from them.";
        String step = ks.quantity() == ConvKernels.Quantity.LOSS_GRADIENT ? " A gradient step moves each kernel against this picture (w -= lr * dL/dW)." : "";
        return colours + " " + scale + dead + step;
    }

    private static Raster legend(ConvKernels ks, Scaling scaling, int in, int gridWidth) {
        Colormap cmap = in == 3 ? Colormap.GRAY : Colormap.DIVERGING;
        String what = ks.quantity() == ConvKernels.Quantity.WEIGHTS ? "weight value" : "gradient value";
        int w = Math.min(Math.max(gridWidth - 60, 260), 360);
        return scaling == Scaling.GLOBAL
                ? ColorBar.render(cmap, range(ks.maxAbs()), w, what + (in == 3 ? " (each of R, G, B)" : ""))
                : ColorBar.render(cmap, w, what + " / m, m = the kernel's largest |value|" + (in == 3 ? " (each of R, G, B)" : ""),
                ColorBar.relativeTicks(true));
    }
}
