package glassbox.viz.activations;

import glassbox.data.Dataset;
import glassbox.layers.Conv2d;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.viz.render.Fmt;
import glassbox.viz.render.Grid;
import glassbox.viz.render.Page;
import glassbox.viz.render.Raster;
import glassbox.viz.render.Scaling;
import glassbox.viz.weights.KernelSheets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Top-k activating patches (Zeiler &amp; Fergus 2014, "Visualizing and Understanding Convolutional
 * Networks"): scan a dataset, keep for every channel of a layer its k strongest activations (image, y, x)
 * in a {@link TopK}, then crop from each image the receptive field of that unit. What the crops share is
 * what the channel detects.
 *
 * <p>By default a channel keeps at most one hit per image (its strongest position there), so the k patches
 * come from k different images instead of k neighbouring positions of one. For the first conv layer the
 * channel's kernel is shown beside its patches. Leaves out deconvnet projections of the activation back to
 * pixels (see viz.gradients).
 */
public final class TopPatches {
    /** Grey used where a receptive field hangs over the image border (zero padding). */
    public static final int PADDING = 0xC8C8D8;

    private TopPatches() {
    }

    /**
     * Runs {@code count} images of {@code data} (from the first) through {@code model} in batches and keeps
     * the k strongest activations per channel of {@code layer}. A layer with output [N, F] counts each
     * feature as a channel at position (0, 0).
     */
    public static TopK scan(Model model, String layer, Dataset data, Inputs.Encoder enc, int k, int count,
                            int batchSize, boolean onePerImage) {
        model.layer(layer); // unknown name: error listing the valid ones
        count = Math.min(count, data.size());
        TopK top = null;
        for (int from = 0; from < count; from += batchSize) {
            int n = Math.min(batchSize, count - from);
            int[] idx = new int[n];
            for (int b = 0; b < n; b++) idx[b] = from + b;
            model.forward(Inputs.batch(data, idx, enc), false);
            Tensor a = model.activation(layer);
            int c = a.dim(1), h = a.rank() == 4 ? a.dim(2) : 1, w = a.rank() == 4 ? a.dim(3) : 1, plane = h * w;
            if (top == null) top = new TopK(c, k);
            float[] ad = a.data();
            for (int b = 0; b < n; b++) {
                for (int ch = 0; ch < c; ch++) {
                    int base = (b * c + ch) * plane;
                    if (onePerImage) {
                        int best = 0;
                        for (int p = 1; p < plane; p++) if (ad[base + p] > ad[base + best]) best = p; // first max wins
                        if (top.admits(ch, ad[base + best])) top.offer(ch, new TopK.Hit(ad[base + best], from + b, best / w, best % w));
                    } else {
                        for (int p = 0; p < plane; p++) {
                            if (top.admits(ch, ad[base + p])) top.offer(ch, new TopK.Hit(ad[base + p], from + b, p / w, p % w));
                        }
                    }
                }
            }
        }
        if (top == null) throw new IllegalArgumentException("no images to scan in " + data.name() + "/" + data.split());
        return top;
    }

    /** The receptive-field window of a hit cropped from its image; parts outside the image are {@link #PADDING}. */
    public static Raster crop(Dataset data, TopK.Hit hit, ReceptiveField rf) {
        Raster img = Inputs.picture(data, hit.image());
        Raster out = new Raster(rf.size(), rf.size(), PADDING);
        int y0 = rf.first(hit.y()), x0 = rf.first(hit.x());
        for (int y = 0; y < rf.size(); y++) {
            for (int x = 0; x < rf.size(); x++) {
                int iy = y0 + y, ix = x0 + x;
                if (iy >= 0 && ix >= 0 && iy < img.height() && ix < img.width()) out.set(x, y, img.get(ix, iy));
            }
        }
        return out;
    }

    /** Sheet for channels {@code from .. to-1}: per row the kernel (first conv layer only) and the k patches. */
    public static Raster render(Model model, String layer, TopK top, Dataset data, int from, int to) {
        ReceptiveField rf = LayerGeometry.receptiveField(model, layer);
        int f = Math.max(1, Math.round(48f / rf.size()));
        boolean firstConv = !KernelSheets.convLayers(model).isEmpty() && KernelSheets.convLayers(model).get(0).name().equals(layer);
        List<Raster> kernels = null;
        if (firstConv) {
            Conv2d conv = KernelSheets.convLayers(model).get(0);
            if (conv.inChannels() == 1 || conv.inChannels() == 3) kernels = KernelSheets.kernelTiles(conv.weight().value(), Scaling.PER_TILE, 48);
        }
        List<Grid.Tile> tiles = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        int cols = top.k() + (kernels != null ? 1 : 0);
        for (int c = from; c < to; c++) {
            rows.add("ch " + c);
            if (kernels != null) tiles.add(new Grid.Tile(kernels.get(c), "kernel"));
            List<TopK.Hit> hits = top.hits(c);
            for (int i = 0; i < top.k(); i++) {
                if (i < hits.size()) tiles.add(new Grid.Tile(crop(data, hits.get(i), rf).upscale(f), Fmt.num(hits.get(i).value())));
                else tiles.add(new Grid.Tile(new Raster(rf.size() * f, rf.size() * f, 0xF0F0F0), ""));
            }
        }
        Page p = new Page(layer + ": top-" + top.k() + " activating patches, channels " + from + ".." + (to - 1));
        p.text("Receptive field " + rf.size() + "x" + rf.size() + " px (stride " + rf.jump() + "), cropped from " + data.name() + "/"
                + data.split() + "; strongest first, activation under each; lilac = padding beyond the image.");
        p.add(new Grid(cols).gap(4).rowLabels(rows).render(tiles));
        return p.render();
    }

    /** The hits, for the JSON file. */
    public static Map<String, Object> numbers(String layer, ReceptiveField rf, TopK top) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", layer);
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("size", rf.size());
        field.put("jump", rf.jump());
        field.put("start", rf.start());
        m.put("receptiveField", field);
        List<Object> chans = new ArrayList<>();
        for (int c = 0; c < top.channels(); c++) {
            List<Object> hs = new ArrayList<>();
            for (TopK.Hit h : top.hits(c)) {
                Map<String, Object> hm = new LinkedHashMap<>();
                hm.put("value", h.value());
                hm.put("image", h.image());
                hm.put("y", h.y());
                hm.put("x", h.x());
                hm.put("window", new int[]{rf.first(h.y()), rf.first(h.x()), rf.size()});
                hs.add(hm);
            }
            chans.add(hs);
        }
        m.put("channels", chans);
        return m;
    }
}
