package glassbox.viz.activations;

import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-layer activation statistics on a batch: mean, standard deviation, the fraction of exact zeros (after
 * a ReLU: how sparse the code is) and the fraction of channels that are zero on every sample and position
 * ("dead" units). Healthy deep nets keep std from collapsing or exploding layer after layer (Glorot &amp;
 * Bengio 2010). Reads {@code Layer.output()} after {@code model.forward(batch, false)}. The numbers only:
 * {@link ActivationStatsSheet} draws them.
 */
public final class ActivationStats {
    /**
     * Numbers of one layer's output over the batch.
     *
     * @param shape               [N, C, ...] of the output
     * @param zeroFraction        share of exact zeros
     * @param deadChannelFraction share of channels that are zero on every sample and position
     */
    public record LayerStats(String layer, String type, int[] shape, double mean, double std, double zeroFraction,
                             double deadChannelFraction) {
    }

    private ActivationStats() {
    }

    /** Runs {@code batch} [N, C, H, W] through {@code model} (eval mode) and returns every layer's statistics. */
    public static List<LayerStats> of(Model model, Tensor batch) {
        model.forward(batch, false);
        return of(model);
    }

    /** Statistics of every layer (blocks included, each after its children) from the last forward pass. */
    public static List<LayerStats> of(Model model) {
        List<LayerStats> out = new ArrayList<>();
        for (String name : LayerGeometry.outputShapes(model).keySet()) {
            var l = model.layer(name);
            Tensor a = l.output();
            if (a == null) continue;
            out.add(of(l.name(), l.getClass().getSimpleName(), a));
        }
        return out;
    }

    /** Statistics of one activation tensor [N, C, ...]. */
    public static LayerStats of(String name, String type, Tensor a) {
        float[] d = a.data();
        double sum = 0, sq = 0;
        long zeros = 0;
        for (float v : d) {
            sum += v;
            sq += (double) v * v;
            if (v == 0f) zeros++;
        }
        double mean = sum / d.length, var = Math.max(0, sq / d.length - mean * mean);
        int n = a.dim(0), c = a.rank() >= 2 ? a.dim(1) : 1, per = d.length / (n * c);
        int dead = 0;
        for (int ch = 0; ch < c; ch++) {
            boolean allZero = true;
            for (int b = 0; b < n && allZero; b++) {
                int base = (b * c + ch) * per;
                for (int i = 0; i < per; i++) {
                    if (d[base + i] != 0f) {
                        allZero = false;
                        break;
                    }
                }
            }
            if (allZero) dead++;
        }
        return new LayerStats(name, type, a.shape(), mean, Math.sqrt(var), zeros / (double) d.length, dead / (double) c);
    }
}
