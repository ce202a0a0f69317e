package glassbox.explorer;

import glassbox.data.Dataset;
import glassbox.layers.Layer;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.viz.activations.Inputs;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One image through one model: class probabilities and every layer's activation maps, in the compact form
 * the page draws (the CNN Explainer overview).
 *
 * <p>Each map travels as 8-bit values scaled per channel between that channel's own min and max, with the
 * real min and max beside it so the page can state them; a channel that is zero everywhere is flagged
 * {@code dead} instead of being stretched. Leaves out the batch dimension: the explorer looks at one image.
 */
public final class Forward {
    /**
     * A layer's output for the image.
     *
     * @param name       layer name as in the model ({@code res1.conv1})
     * @param kind       layer class ({@code Conv2d}, {@code ReLU}, ...)
     * @param shape      [C, H, W] for maps, [F] for vectors
     * @param channelMin per channel (or, for vectors, one entry) the smallest value
     * @param channelMax per channel the largest value
     * @param dead       per channel: all values are exactly zero
     * @param data       base64 of C*H*W bytes, {@code round(255 (v - min_c) / (max_c - min_c))}
     */
    public record LayerMaps(String name, String kind, int[] shape, float[] channelMin, float[] channelMax,
                            boolean[] dead, String data) {
    }

    /**
     * The answer to one forward pass.
     *
     * @param probabilities softmax of the logits, one per class
     * @param predicted     index of the largest probability
     * @param label         true class if the image came from a data set, else -1
     * @param layers        the input first, then every top-level layer and the layers inside blocks, in order
     * @param millis        server-side time of the pass and the encoding
     */
    public record Prediction(List<String> classNames, float[] probabilities, int predicted, int label,
                             List<LayerMaps> layers, double millis) {
    }

    private Forward() {
    }

    /** Runs the one-image data set {@code d} (image 0) through the entry's model. */
    public static Prediction run(ModelEntry entry, Dataset d, int index, int label) {
        long t0 = System.nanoTime();
        Tensor x = Inputs.batch(d, new int[]{index}, Inputs.normalized(entry.normalization()));
        return entry.withModel(m -> {
            Tensor logits = m.forward(x, false);
            float[] p = softmax(logits.data());
            int best = 0;
            for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
            List<LayerMaps> maps = new ArrayList<>();
            maps.add(encode("input", "Input", x));
            for (Layer l : m.allLayers()) {
                Tensor a = m.activation(l.name());
                if (a != null) maps.add(encode(l.name(), l.getClass().getSimpleName(), a));
            }
            return new Prediction(entry.file().classNames(), p, best, label, maps, (System.nanoTime() - t0) / 1e6);
        });
    }

    /** The softmax of one row of logits, stable (max subtracted). */
    static float[] softmax(float[] z) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : z) max = Math.max(max, v);
        double sum = 0;
        float[] p = new float[z.length];
        for (int k = 0; k < z.length; k++) sum += p[k] = (float) Math.exp(z[k] - max);
        for (int k = 0; k < z.length; k++) p[k] /= (float) sum;
        return p;
    }

    /** Sample 0 of {@code t} ([1, C, H, W] or [1, F]) quantized per channel. */
    static LayerMaps encode(String name, String kind, Tensor t) {
        int[] s = t.shape();
        int c = s.length == 4 ? s[1] : 1;
        int plane = s.length == 4 ? s[2] * s[3] : t.size() / s[0];
        int[] shape = s.length == 4 ? new int[]{s[1], s[2], s[3]} : new int[]{plane};
        float[] v = t.data();
        float[] lo = new float[c], hi = new float[c];
        boolean[] dead = new boolean[c];
        byte[] q = new byte[c * plane];
        for (int ch = 0; ch < c; ch++) {
            float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < plane; i++) {
                float a = v[ch * plane + i];
                mn = Math.min(mn, a);
                mx = Math.max(mx, a);
            }
            lo[ch] = mn;
            hi[ch] = mx;
            dead[ch] = mn == 0 && mx == 0;
            float scale = mx > mn ? 255f / (mx - mn) : 0f;
            for (int i = 0; i < plane; i++) q[ch * plane + i] = (byte) Math.round((v[ch * plane + i] - mn) * scale);
        }
        return new LayerMaps(name, kind, shape, lo, hi, dead, Base64.getEncoder().encodeToString(q));
    }
}
