package glassbox.viz.activations;

import glassbox.layers.Layer;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.viz.render.ValueRange;

import java.util.ArrayList;
import java.util.List;

/**
 * One input image's activations, layer by layer, as numbers: every layer's output for that image, per
 * channel its range and whether it is all zero ("dead" on this image), and what the model made of the
 * image (softmax probabilities, predicted and true label). {@link ActivationMaps} draws one layer of it.
 *
 * <p>Computed with one eval-mode forward pass; reads {@code Layer.output()} afterwards. Leaves out batches.
 *
 * @param image         what the input was, e.g. "mnist/test #0" or a file name
 * @param inputNotes    what was done to an image file to fit the model (resized, converted, inverted)
 * @param trueLabel     the image's class name, or null when unknown (an image file)
 * @param predicted     the class with the largest logit
 * @param probabilities softmax of the logits, one per class
 * @param classNames    the model's class names, in logit order
 * @param layers        the layers asked for, in forward order (a block after its children)
 */
public record Activations(String image, List<String> inputNotes, String trueLabel, String predicted, float[] probabilities, List<String> classNames,
                          List<LayerOutput> layers) {
    /**
     * One layer's output for the image.
     *
     * @param shape    [1, C, H, W] for maps, [1, F] for vectors
     * @param values   the output, flat in that layout
     * @param channels per channel of a map (empty for vectors)
     * @param stats    mean, std, zeros of this output
     * @param logits   true for the model's last layer, whose outputs are the class scores
     */
    public record LayerOutput(String layer, String type, int[] shape, float[] values, List<Channel> channels,
                              ActivationStats.LayerStats stats, boolean logits) {
        /** True when the output is a stack of maps [1, C, H, W]. */
        public boolean spatial() {
            return shape.length == 4;
        }
    }

    /** Channel {@code index} of a map: its range, mean, and whether every value is 0 for this image. */
    public record Channel(int index, float min, float max, double mean, boolean dead) {
    }

    /**
     * Runs {@code x} [1, C, H, W] through {@code model} and collects the outputs of {@code layers} (null:
     * every layer, blocks included, in forward order).
     */
    public static Activations of(Model model, Tensor x, String image, List<String> inputNotes, String trueLabel,
                                 List<String> classNames, List<String> layers) {
        if (x.dim(0) != 1) throw new IllegalArgumentException("one image at a time, got a batch of " + x.dim(0));
        Tensor logits = model.forward(x, false);
        List<String> names = layers != null ? layers : List.copyOf(LayerGeometry.outputShapes(model).keySet());
        List<LayerOutput> outs = new ArrayList<>();
        for (String n : names) {
            Layer l = model.layer(n); // unknown name: error listing the valid ones
            Tensor a = l.output();
            if (a == null) throw new IllegalStateException(n + ": no output after the forward pass");
            outs.add(output(n, l.getClass().getSimpleName(), a, n.equals(model.layers().getLast().name())));
        }
        float[] z = logits.data(), p = softmax(z);
        int best = 0;
        for (int j = 1; j < z.length; j++) if (z[j] > z[best]) best = j;
        String predicted = best < classNames.size() ? classNames.get(best) : Integer.toString(best);
        return new Activations(image, List.copyOf(inputNotes), trueLabel, predicted, p, List.copyOf(classNames), List.copyOf(outs));
    }

    /** The record of one output tensor [1, ...] (copied). */
    static LayerOutput output(String name, String type, Tensor a, boolean logits) {
        float[] d = a.data().clone();
        List<Channel> chans = new ArrayList<>();
        if (a.rank() == 4) {
            int c = a.dim(1), plane = a.dim(2) * a.dim(3);
            for (int ch = 0; ch < c; ch++) {
                ValueRange r = ValueRange.of(d, ch * plane, plane);
                double sum = 0;
                for (int i = 0; i < plane; i++) sum += d[ch * plane + i];
                boolean dead = ValueRange.allZero(d, ch * plane, plane);
                chans.add(new Channel(ch, dead ? 0 : r.min(), dead ? 0 : r.max(), sum / plane, dead));
            }
        }
        return new LayerOutput(name, type, a.shape(), d, List.copyOf(chans), ActivationStats.of(name, type, a), logits);
    }

    /** The output of layer {@code name}. */
    public LayerOutput layer(String name) {
        for (LayerOutput l : layers) if (l.layer().equals(name)) return l;
        throw new IllegalArgumentException("no activations of layer '" + name + "' in this record");
    }

    /** Probability of the predicted class. */
    public float confidence() {
        int i = classNames.indexOf(predicted);
        return i >= 0 && i < probabilities.length ? probabilities[i] : Float.NaN;
    }

    /** "true 7, predicted 7 (p = 0.98)", or "predicted 7 (p = 0.98), true label unknown". */
    public String verdict() {
        String pred = "predicted " + predicted + " (p = " + glassbox.viz.render.Fmt.fixed(confidence(), 2) + ")";
        return trueLabel != null ? "true " + trueLabel + ", " + pred + (trueLabel.equals(predicted) ? "" : ": wrong") : pred + ", true label unknown";
    }

    private static float[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : z) max = Math.max(max, v);
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) sum += e[i] = Math.exp(z[i] - max);
        float[] p = new float[z.length];
        for (int i = 0; i < z.length; i++) p[i] = (float) (e[i] / sum);
        return p;
    }
}
