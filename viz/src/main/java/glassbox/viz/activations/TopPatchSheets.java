package glassbox.viz.activations;

import glassbox.data.Dataset;
import glassbox.layers.Conv2d;
import glassbox.model.Model;
import glassbox.viz.render.Fmt;
import glassbox.viz.render.Grid;
import glassbox.viz.render.Page;
import glassbox.viz.render.Raster;
import glassbox.viz.render.Scaling;
import glassbox.viz.weights.ConvKernels;
import glassbox.viz.weights.KernelSheets;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws {@link TopPatches}: one row per channel with its k patches (receptive fields cropped from the
 * scanned images, strongest first, the activation under each) and, for the first conv layer, the
 * channel's kernel in front. Dead channels (never activated) are shown as such, without patches.
 */
public final class TopPatchSheets {
    /** Grey used where a receptive field hangs over the image border (zero padding). */
    public static final int PADDING = 0xC8C8D8;
    /** Channels per sheet. */
    public static final int PER_PAGE = 16;

    private TopPatchSheets() {
    }

    /** The window {@code [top, left, size]} of image {@code image}; parts outside the image are {@link #PADDING}. */
    public static Raster crop(Dataset data, int image, int[] window) {
        Raster img = Inputs.picture(data, image);
        int y0 = window[0], x0 = window[1], size = window[2];
        Raster out = new Raster(size, size, PADDING);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int iy = y0 + y, ix = x0 + x;
                if (iy >= 0 && ix >= 0 && iy < img.height() && ix < img.width()) out.set(x, y, img.get(ix, iy));
            }
        }
        return out;
    }

    /**
     * Sheet for channels {@code from .. to-1} of {@code tp}, cropping from {@code data} (the data set that
     * was scanned); {@code model} supplies the first conv layer's kernels.
     */
    public static Raster render(TopPatches tp, Model model, Dataset data, int from, int to) {
        ReceptiveField rf = tp.field();
        int f = Math.max(1, Math.round(64f / rf.size()));
        List<Conv2d> convs = ConvKernels.convLayers(model);
        List<Raster> kernels = null;
        if (!convs.isEmpty() && convs.getFirst().name().equals(tp.layer()) && (convs.getFirst().inChannels() == 1 || convs.getFirst().inChannels() == 3)) {
            kernels = KernelSheets.kernelTiles(ConvKernels.weights(convs.getFirst()), Scaling.PER_TILE, 64);
        }
        List<Grid.Tile> tiles = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        int cols = tp.k() + (kernels != null ? 1 : 0);
        Raster empty = new Raster(rf.size() * f, rf.size() * f, 0xF4F4F4);
        for (int c = from; c < to; c++) {
            TopPatches.Channel ch = tp.channels().get(c);
            rows.add("ch " + c + (ch.dead() ? " dead (never > 0)" : ""));
            if (kernels != null) tiles.add(new Grid.Tile(kernels.get(c), "kernel"));
            for (int i = 0; i < tp.k(); i++) {
                if (ch.dead()) {
                    tiles.add(new Grid.Tile(empty, ""));
                } else if (i < ch.patches().size() && ch.patches().get(i).value() > 0) {
                    TopPatches.Patch p = ch.patches().get(i);
                    String label = Fmt.num(p.value()) + (p.label() != null ? "\n" + p.label() : "");
                    tiles.add(new Grid.Tile(crop(data, p.image(), p.window()).upscale(f), label));
                } else {
                    tiles.add(new Grid.Tile(empty, ""));
                }
            }
        }
        Page p = new Page(tp.layer() + ": the " + tp.k() + " image patches that activate each channel most, channels " + from + ".." + (to - 1)
                + " of " + tp.channels().size());
        p.text("Receptive field " + rf.size() + "x" + rf.size() + " px (stride " + rf.jump() + "), cropped from the first "
                + tp.imagesScanned() + " images of " + tp.dataset() + ", at most one patch per image; strongest first, "
                + "under each its activation and the true class of its image; lilac = zero padding beyond the image border."
                + (tp.deadCount() > 0 ? " " + tp.deadCount() + " of " + tp.channels().size()
                + (tp.deadCount() == 1 ? " channel is" : " channels are") + " dead: the activation is never above 0 on these images." : ""));
        p.add(new Grid(cols).gap(4).rowLabels(rows).render(tiles));
        return p.render();
    }
}
