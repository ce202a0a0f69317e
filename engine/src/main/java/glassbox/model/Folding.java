package glassbox.model;

import glassbox.layers.BatchNorm;
import glassbox.layers.BatchNorm2d;
import glassbox.layers.Conv2d;
import glassbox.layers.Layer;
import glassbox.layers.Residual;

import java.util.ArrayList;
import java.util.List;

/**
 * Batch norm folded into the convolution before it, for inference: in eval mode a batch-norm layer is a fixed
 * per-channel affine map, {@code y = γ (x - μ) / √(σ² + ε) + β} with the running μ and σ², so a convolution
 * followed by it is one convolution with scaled kernels and a bias (as inference engines do, e.g. TensorRT,
 * ONNX Runtime; Jacob et al. 2018 write it out for quantization). Per output channel o, with
 * {@code s[o] = γ[o] / √(σ²[o] + ε)}:
 * <pre>
 *   W'[o, c, ky, kx] = s[o] · W[o, c, ky, kx]                 [out, in, k, k]
 *   b'[o]            = s[o] · (b[o] - μ[o]) + β[o]             [out]   (b = 0 for a convolution without bias)
 * </pre>
 * A folded model computes, forward and input gradient, what the original computes in eval mode up to float
 * rounding, with one layer and two passes over the activations (forward and backward) fewer per pair. Attacks
 * use it: they run many forward and input-gradient passes on fixed weights ({@code Attack}).
 *
 * <p>The folded model is a new, independent model (the layers are rebuilt, {@link Model#copy}); batch norms that
 * do not follow a convolution in the same list of layers stay as they are, and so does everything else. It has
 * no batch-norm statistics to train, so it is for eval-mode passes only: in training its convolutions would not
 * be normalized. Leaves out: folding into a following layer, batch norm after a linear layer.
 */
public final class Folding {
    private Folding() {
    }

    /**
     * A copy of {@code m} with every Conv2d + BatchNorm2d pair (in the same list of layers, the batch norm right
     * after the convolution) replaced by one Conv2d with bias, named as the convolution. Throws
     * IllegalArgumentException when {@code m} cannot be copied (a layer kind {@link Architecture} does not rebuild).
     */
    public static Model foldBatchNorm(Model m) {
        Model copy = m.copy();
        return new Model(m.arch(), m.inputShape(), fold(copy.layers()));
    }

    /** Whether {@code m} has a Conv2d + BatchNorm2d pair that {@link #foldBatchNorm} would fold. */
    public static boolean hasFoldable(Model m) {
        return hasPair(m.layers());
    }

    private static boolean hasPair(List<Layer> layers) {
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Conv2d && i + 1 < layers.size() && layers.get(i + 1) instanceof BatchNorm2d) return true;
            if (l instanceof Residual r && (hasPair(r.main()) || hasPair(r.shortcut()))) return true;
        }
        return false;
    }

    private static List<Layer> fold(List<Layer> layers) {
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Conv2d c && i + 1 < layers.size() && layers.get(i + 1) instanceof BatchNorm2d bn) {
                out.add(fold(c, bn));
                i++; // the batch norm is inside the convolution now
            } else if (l instanceof Residual r) {
                out.add(new Residual(r.name(), fold(r.main()), fold(r.shortcut())));
            } else {
                out.add(l);
            }
        }
        return out;
    }

    /** The convolution c followed by the eval-mode batch norm bn, as one convolution with bias. */
    static Conv2d fold(Conv2d c, BatchNorm bn) {
        int out = c.outChannels(), per = c.inChannels() * c.kernel() * c.kernel();
        Conv2d f = new Conv2d(c.name(), c.inChannels(), out, c.kernel(), c.stride(), c.padding(), true);
        float[] w = c.weight().value().data(), b = c.bias() == null ? null : c.bias().value().data();
        float[] gamma = bn.weight().value().data(), beta = bn.bias().value().data();
        float[] mean = bn.runningMean().data(), var = bn.runningVar().data();
        float[] fw = f.weight().value().data(), fb = f.bias().value().data();
        for (int o = 0; o < out; o++) {
            // s as BatchNorm computes it: γ · (float) 1/√(σ² + ε)
            float s = gamma[o] * (float) (1.0 / Math.sqrt(var[o] + BatchNorm.EPS));
            for (int j = o * per; j < (o + 1) * per; j++) fw[j] = s * w[j];
            fb[o] = s * ((b == null ? 0f : b[o]) - mean[o]) + beta[o];
        }
        return f;
    }
}
