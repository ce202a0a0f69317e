package glassbox.viz.weights;

import glassbox.layers.Conv2d;
import glassbox.layers.Layer;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.viz.render.ValueRange;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernels of one convolution layer as numbers: its weights W [out, in, k, k], or their loss gradient
 * dL/dW over a batch, with per output kernel its norm, its largest |value| and whether it is dead.
 *
 * <p>Dead means all zero: a weight kernel that was pruned or never initialized, or a gradient kernel whose
 * output channel never passed its ReLU on the batch (no error signal reaches it, so it does not learn from
 * these images). {@link KernelSheets} draws the record, {@code JsonOut} writes it.
 *
 * @param layer    name of the Conv2d layer
 * @param quantity weights or their loss gradient
 * @param shape    [out, in, k, k]
 * @param values   the tensor, flat in that layout
 * @param images   images in the batch the gradient was taken over (0 for weights)
 * @param loss     mean cross-entropy of that batch (NaN for weights)
 * @param kernels  one entry per output kernel
 */
public record ConvKernels(String layer, Quantity quantity, int[] shape, float[] values, int images, double loss,
                          List<Kernel> kernels) {
    /** What the tensor holds. */
    public enum Quantity {
        WEIGHTS("weights"), LOSS_GRADIENT("dL/dW");

        private final String symbol;

        Quantity(String symbol) {
            this.symbol = symbol;
        }

        /** "weights" or "dL/dW", for titles. */
        public String symbol() {
            return symbol;
        }
    }

    /** Output kernel {@code index}: L2 norm, largest |value|, and whether every value is 0. */
    public record Kernel(int index, double norm, float maxAbs, boolean dead) {
    }

    /** The weights of {@code conv}. */
    public static ConvKernels weights(Conv2d conv) {
        return of(conv.name(), Quantity.WEIGHTS, conv.weight().value(), 0, Double.NaN);
    }

    /** The gradient dL/dW left in {@code conv}'s parameter by a backward pass over {@code images} images. */
    public static ConvKernels gradient(Conv2d conv, int images, double loss) {
        return of(conv.name(), Quantity.LOSS_GRADIENT, conv.weight().grad(), images, loss);
    }

    /** A record of the tensor {@code w} [out, in, k, k] (copied). */
    public static ConvKernels of(String layer, Quantity q, Tensor w, int images, double loss) {
        if (w.rank() != 4 || w.dim(2) != w.dim(3)) throw new IllegalArgumentException(layer + ": expected kernels [out, in, k, k], got " + w.shapeString());
        int out = w.dim(0), size = w.dim(1) * w.dim(2) * w.dim(3);
        float[] v = w.data().clone();
        List<Kernel> ks = new ArrayList<>();
        for (int o = 0; o < out; o++) {
            double n2 = 0;
            for (int i = 0; i < size; i++) n2 += (double) v[o * size + i] * v[o * size + i];
            ks.add(new Kernel(o, Math.sqrt(n2), ValueRange.maxAbs(v, o * size, size), ValueRange.allZero(v, o * size, size)));
        }
        return new ConvKernels(layer, q, w.shape(), v, images, loss, List.copyOf(ks));
    }

    /** The tensor again, [out, in, k, k]. */
    public Tensor tensor() {
        return Tensor.of(values.clone(), shape);
    }

    /** The largest |value| of the layer: the half-range of a global zero-centred scale. */
    public float maxAbs() {
        float m = 0;
        for (Kernel k : kernels) m = Math.max(m, k.maxAbs());
        return m;
    }

    /** Number of dead kernels. */
    public int deadCount() {
        return (int) kernels.stream().filter(Kernel::dead).count();
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
}
