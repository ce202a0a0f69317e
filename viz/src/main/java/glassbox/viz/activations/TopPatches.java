package glassbox.viz.activations;

import glassbox.data.Dataset;
import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Top-k activating patches (Zeiler &amp; Fergus 2014, "Visualizing and Understanding Convolutional
 * Networks"): scan a dataset, keep for every channel of a layer its k strongest activations (image, y, x)
 * in a {@link TopK}, then crop from each image the receptive field of that unit. What the crops share is
 * what the channel detects.
 *
 * <p>By default a channel keeps at most one hit per image (its strongest position there), so the k patches
 * come from k different images instead of k neighbouring positions of one. A channel whose strongest
 * activation over every scanned image is 0 or less never activates (after a ReLU it is 0 everywhere): it
 * is marked dead, and its "top" patches mean nothing. The record holds numbers and image indices only;
 * {@link TopPatchSheets} crops and draws. Leaves out deconvnet projections of the activation back to pixels.
 *
 * @param layer         the layer scanned
 * @param field         receptive field of its units, in input pixels
 * @param dataset       "name/split" of the images scanned
 * @param imagesScanned how many images (the first of the split)
 * @param k             patches kept per channel
 * @param channels      one entry per channel
 */
public record TopPatches(String layer, ReceptiveField field, String dataset, int imagesScanned, int k, List<Channel> channels) {
    /** Channel {@code index}: its patches, strongest first, and whether it never activated. */
    public record Channel(int index, boolean dead, List<Patch> patches) {
    }

    /**
     * One hit: the activation value, where it happened (image index in the split, row and column of the
     * map) and the window of the image it sees, {@code [top, left, size]} (may hang over the border).
     */
    public record Patch(float value, int image, int y, int x, int[] window, String label) {
    }

    /**
     * Scans the first {@code count} images of {@code data} and keeps, per channel of {@code layer}, the
     * {@code k} strongest activations (at most one per image).
     */
    public static TopPatches of(Model model, String layer, Dataset data, Inputs.Encoder enc, int k, int count, int batchSize) {
        return of(model, layer, data, enc, k, count, batchSize, done -> { });
    }

    /** As above, calling {@code progress} with the number of images scanned after each batch. */
    public static TopPatches of(Model model, String layer, Dataset data, Inputs.Encoder enc, int k, int count, int batchSize,
                                IntConsumer progress) {
        TopK top = scan(model, layer, data, enc, k, count, batchSize, true, progress);
        ReceptiveField rf = LayerGeometry.receptiveField(model, layer);
        List<Channel> chans = new ArrayList<>();
        for (int c = 0; c < top.channels(); c++) {
            List<Patch> ps = new ArrayList<>();
            List<TopK.Hit> hits = top.hits(c);
            for (TopK.Hit h : hits) {
                String label = h.image() < data.size() && data.label(h.image()) < data.numClasses() ? data.classNames().get(data.label(h.image())) : null;
                ps.add(new Patch(h.value(), h.image(), h.y(), h.x(), new int[]{rf.first(h.y()), rf.first(h.x()), rf.size()}, label));
            }
            boolean dead = hits.isEmpty() || hits.getFirst().value() <= 0;
            chans.add(new Channel(c, dead, List.copyOf(ps)));
        }
        return new TopPatches(layer, rf, data.name() + "/" + data.split(), Math.min(count, data.size()), k, List.copyOf(chans));
    }

    /** Number of channels that never activated. */
    public int deadCount() {
        return (int) channels.stream().filter(Channel::dead).count();
    }

    /**
     * Runs {@code count} images of {@code data} (from the first) through {@code model} in batches and keeps
     * the k strongest activations per channel of {@code layer}. A layer with output [N, F] counts each
     * feature as a channel at position (0, 0).
     */
    public static TopK scan(Model model, String layer, Dataset data, Inputs.Encoder enc, int k, int count,
                            int batchSize, boolean onePerImage) {
        return scan(model, layer, data, enc, k, count, batchSize, onePerImage, done -> { });
    }

    /** As above, calling {@code progress} with the number of images scanned after each batch. */
    public static TopK scan(Model model, String layer, Dataset data, Inputs.Encoder enc, int k, int count,
                            int batchSize, boolean onePerImage, IntConsumer progress) {
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
            progress.accept(from + n);
        }
        if (top == null) throw new IllegalArgumentException("no images to scan in " + data.name() + "/" + data.split());
        return top;
    }
}
