package glassbox.viz.weights;

import glassbox.layers.Flatten;
import glassbox.layers.Layer;
import glassbox.layers.Linear;
import glassbox.model.Model;
import glassbox.viz.render.ValueRange;

import java.util.ArrayList;
import java.util.List;

/**
 * Templates of a fully connected layer that sees pixels: row {@code o} of its weight W [out, C*H*W],
 * reshaped to the image shape [C, H, W], is the picture unit {@code o} matches best (its score is the dot
 * product of this picture with the input). For a linear classifier trained on CIFAR-10 these are the
 * well-known blurry class prototypes (CS231n, "Linear classification").
 *
 * <p>The numbers only: {@link TemplateSheets} draws them, {@code JsonOut} writes them. Leaves out layers
 * that do not see pixels directly (a second FC layer's rows live in hidden space).
 *
 * @param layer      name of the fully connected layer
 * @param imageShape [C, H, W] the rows are reshaped to
 * @param templates  one per output unit, in unit order
 */
public record FcTemplates(String layer, int[] imageShape, List<Template> templates) {
    /**
     * One unit's template.
     *
     * @param label   class name for a classifier's output units, else "unit o"
     * @param weights the row of W, [C, H, W] flattened
     * @param norm    L2 norm of the row
     */
    public record Template(int unit, String label, float min, float max, double norm, float[] weights) {
        /** The largest |weight|: the template's half-range on a zero-centred scale. */
        public float maxAbs() {
            return Math.max(Math.abs(min), Math.abs(max));
        }
    }

    /** Templates of {@code layer}, whose input must be an image [c, h, w] flattened in NCHW order. */
    public static FcTemplates of(Linear layer, int c, int h, int w, List<String> labels) {
        if (layer.inFeatures() != c * h * w) {
            throw new IllegalArgumentException(layer.name() + " has " + layer.inFeatures() + " inputs, not an image "
                    + c + "x" + h + "x" + w + " (" + c * h * w + " pixels)");
        }
        float[] all = layer.weight().value().data(); // [out, C*H*W]
        int size = c * h * w;
        List<Template> ts = new ArrayList<>();
        for (int o = 0; o < layer.outFeatures(); o++) {
            float[] row = new float[size];
            System.arraycopy(all, o * size, row, 0, size);
            ValueRange r = ValueRange.of(row);
            double n2 = 0;
            for (float v : row) n2 += (double) v * v;
            boolean flat = ValueRange.allZero(row, 0, size);
            String label = labels != null && o < labels.size() ? labels.get(o) : "unit " + o;
            ts.add(new Template(o, label, flat ? 0 : r.min(), flat ? 0 : r.max(), Math.sqrt(n2), row));
        }
        return new FcTemplates(layer.name(), new int[]{c, h, w}, List.copyOf(ts));
    }

    /**
     * The first fully connected layer of {@code model} if it sees the input pixels (only layers that keep
     * the pixel layout, such as Flatten, come before it), else an error naming the first layer.
     *
     * @param labels names of the output units (class names for a classifier), or null for unit numbers;
     *               used only when there is one name per unit
     */
    public static FcTemplates firstLayer(Model model, List<String> labels) {
        int[] in = model.inputShape();
        int c = in.length == 3 ? in[0] : 1, h = in.length == 3 ? in[1] : 1, w = in.length == 3 ? in[2] : in[0];
        for (Layer l : model.layers()) {
            if (l instanceof Linear lin) return of(lin, c, h, w, labels != null && labels.size() == lin.outFeatures() ? labels : null);
            if (!(l instanceof Flatten)) {
                throw new IllegalArgumentException(model.arch() + ": the first layer '" + l.name() + "' ("
                        + l.getClass().getSimpleName() + ") is not fully connected, so there are no pixel templates; "
                        + "try 'viz kernels' for convolutional models");
            }
        }
        throw new IllegalArgumentException(model.arch() + " has no fully connected layer");
    }

    public int units() {
        return templates.size();
    }

    /** The largest |weight| over templates {@code from .. to-1}: the half-range of a global zero-centred scale. */
    public float maxAbs(int from, int to) {
        float m = 0;
        for (int o = from; o < to; o++) m = Math.max(m, templates.get(o).maxAbs());
        return m;
    }
}
