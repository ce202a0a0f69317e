package glassbox.viz.embedding;

import glassbox.data.Dataset;
import glassbox.layers.Layer;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;
import glassbox.viz.robustness.Pixels;
import glassbox.viz.Progress;

import java.util.List;

/**
 * The feature vectors of a split at one layer: each image's activation of that layer, flattened
 * (a [C, H, W] map becomes C·H·W numbers), or the raw pixels (0..1) for the pseudo-layer {@value #PIXELS}.
 * The default layer is the penultimate one: the input of the classifier's last layer, where classes should be
 * (nearly) linearly separable. Runs in inference mode, a batch at a time. Leaves out pooling a map to a
 * vector (use a pooling layer's name for that).
 *
 * @param layer  the layer's name, or {@value #PIXELS}
 * @param x      features [N, D], row-major
 * @param n      N
 * @param d      D
 * @param labels true classes [N]
 */
public record Features(String layer, float[] x, int n, int d, int[] labels) {
    /** Name of the pseudo-layer that stands for the input pixels. */
    public static final String PIXELS = "pixels";

    /** The top-level layer whose output feeds the last layer. */
    public static String penultimate(Model m) {
        List<Layer> ls = m.layers();
        if (ls.size() < 2) throw new IllegalArgumentException(m.arch() + " has a single layer: no penultimate layer; use --layer pixels");
        return ls.get(ls.size() - 2).name();
    }

    /** Raw pixels of the first {@code n} images. */
    public static Features pixels(Dataset data, int n) {
        return new Features(PIXELS, Pixels.of(data, 0, n), n, data.sampleSize(), Pixels.labels(data, 0, n));
    }

    /** Activations of {@code layer} (or pixels) for the first {@code n} images of {@code data}. */
    public static Features of(Model model, Normalization norm, Dataset data, int n, String layer, int batch, Progress progress) {
        if (layer.equals(PIXELS)) return pixels(data, n);
        model.layer(layer); // fails with the list of layer names
        int[] in = model.inputShape();
        if (data.channels() != in[0] || data.height() != in[1] || data.width() != in[2]) {
            throw new IllegalArgumentException(data.name() + " images are " + data.channels() + "x" + data.height() + "x" + data.width()
                    + " but the model expects " + in[0] + "x" + in[1] + "x" + in[2]);
        }
        float[][] table = norm.table();
        int per = data.sampleSize(), plane = data.height() * data.width();
        float[] out = null;
        int d = 0;
        byte[] px = data.pixels();
        progress.start("images through the model", n);
        try {
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(batch, n - from);
                float[] x = new float[b * per];
                for (int i = 0; i < b * per; i++) x[i] = table[(i % per) / plane][px[from * per + i] & 0xFF];
                model.forward(Tensor.of(x, b, in[0], in[1], in[2]), false);
                Tensor a = model.activation(layer);
                if (out == null) {
                    d = a.size() / b;
                    out = new float[(long) n * d > Integer.MAX_VALUE - 8 ? fail(layer, n, d) : n * d];
                }
                System.arraycopy(a.data(), 0, out, from * d, b * d);
                progress.stepTo(from + b);
            }
        } finally {
            progress.end();
        }
        return new Features(layer, out, n, d, Pixels.labels(data, 0, n));
    }

    private static int fail(String layer, int n, int d) {
        throw new IllegalArgumentException(layer + " has " + d + " features per image: " + n + " images do not fit in one array; use a smaller --limit or a later layer");
    }
}
