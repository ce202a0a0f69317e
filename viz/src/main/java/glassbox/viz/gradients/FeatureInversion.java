package glassbox.viz.gradients;

import glassbox.layers.Dropout;
import glassbox.layers.Flatten;
import glassbox.layers.Layer;
import glassbox.layers.ReLU;
import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * Feature inversion (Mahendran &amp; Vedaldi 2015, "Understanding Deep Image Representations by Inverting
 * Them"): the image whose features at one layer match those of a given image x0,
 * {@code argmin_x ||phi(x) - phi(x0)||² / ||phi(x0)||² + λ · TV(x)}, for each layer in turn, showing how
 * much of the image each depth keeps.
 *
 * <p>{@code TV(x) = mean over channels and pixels of (x[y][x+1] - x[y][x])² + (x[y+1][x] - x[y][x])²}
 * (the paper's TV with β = 2). Adam (Kingma &amp; Ba 2015) on the pixels from a seeded small random start
 * (N(0, 0.1²)), clipped to the range of real pictures after every step.
 */
public final class FeatureInversion {
    private FeatureInversion() {
    }

    /**
     * @param steps    Adam steps per layer
     * @param lr       Adam step size, model-input units
     * @param tvWeight λ
     */
    public record Settings(int steps, double lr, double tvWeight, long seed) {
        public Settings {
            if (steps < 1 || !(lr > 0) || !(tvWeight >= 0)) {
                throw new IllegalArgumentException("inversion: steps >= 1, lr > 0, TV weight >= 0; got " + steps + ", " + lr + ", " + tvWeight);
            }
        }

        public static Settings defaults() {
            return new Settings(200, 0.05, 0.02, 1);
        }
    }

    /**
     * One layer's reconstruction.
     *
     * @param layer        the layer whose features were matched
     * @param image        the reconstruction [C, H, W], model-input units
     * @param featureError final {@code ||phi(x) - phi(x0)||² / ||phi(x0)||²}
     * @param pixelError   {@code ||x - x0|| / ||x0||}
     * @param loss         the objective before each step [steps]
     */
    public record Reconstruction(String layer, float[] image, double featureError, double pixelError, float[] loss) {
    }

    public record Result(int channels, int height, int width, float[] original, List<Reconstruction> layers, Settings settings) {
    }

    /**
     * The layers inverted by default: the top-level layers whose output a student would call "features",
     * i.e. each ReLU, pooling layer and residual block, and the logits; not convolutions before their ReLU,
     * flatten or dropout.
     */
    public static List<String> defaultLayers(Model m) {
        List<String> out = new ArrayList<>();
        List<Layer> ls = m.layers();
        for (int i = 0; i < ls.size(); i++) {
            Layer l = ls.get(i);
            boolean beforeRelu = i + 1 < ls.size() && ls.get(i + 1) instanceof ReLU;
            boolean skip = l instanceof Flatten || l instanceof Dropout || beforeRelu;
            if (!skip || i == ls.size() - 1) out.add(l.name());
        }
        return out;
    }

    /** Inverts {@code x0} [1, C, H, W] at each of {@code layers}. */
    public static Result compute(Model m, Tensor x0, List<String> layers, InputRange range, Settings s, DoubleConsumer progress) {
        Backprop.requireOne(x0);
        int c = x0.dim(1), h = x0.dim(2), w = x0.dim(3), hw = h * w;
        List<Reconstruction> out = new ArrayList<>();
        for (int li = 0; li < layers.size(); li++) {
            String layer = layers.get(li);
            m.forward(x0, false);
            Tensor phi0 = m.activation(layer).copy();
            double norm0 = Math.max(sumSq(phi0.data()), 1e-12);
            SplittableRandom r = new SplittableRandom(s.seed());
            float[] x = new float[c * hw], mom = new float[x.length], vel = new float[x.length];
            for (int i = 0; i < x.length; i++) x[i] = (float) (0.1 * r.nextGaussian());
            float[] loss = new float[s.steps()];
            double[] featErr = new double[1];
            for (int step = 1; step <= s.steps(); step++) {
                Tensor dx = Backprop.fromLayer(m, Tensor.of(x.clone(), 1, c, h, w), layer, phi -> {
                    float[] d = new float[phi.size()];
                    double e = 0;
                    for (int i = 0; i < d.length; i++) {
                        float diff = phi.data()[i] - phi0.data()[i];
                        e += (double) diff * diff;
                        d[i] = (float) (2 * diff / norm0);
                    }
                    featErr[0] = e / norm0;
                    return Tensor.of(d, phi.shape());
                });
                float[] g = dx.data().clone();
                double tv = tv(x, c, h, w, g, (float) s.tvWeight());
                loss[step - 1] = (float) (featErr[0] + s.tvWeight() * tv);
                adam(x, g, mom, vel, step, s.lr());
                range.clamp(x, hw);
                if (progress != null) progress.accept((li + (double) step / s.steps()) / layers.size());
            }
            m.forward(Tensor.of(x.clone(), 1, c, h, w), false);
            double fe = 0;
            float[] phi = m.activation(layer).data();
            for (int i = 0; i < phi.length; i++) fe += Math.pow(phi[i] - phi0.data()[i], 2);
            double pe = 0;
            for (int i = 0; i < x.length; i++) pe += Math.pow(x[i] - x0.data()[i], 2);
            out.add(new Reconstruction(layer, x, fe / norm0, Math.sqrt(pe / Math.max(sumSq(x0.data()), 1e-12)), loss));
        }
        return new Result(c, h, w, x0.data().clone(), out, s);
    }

    /** TV (β = 2, mean over values) of x [C, H, W]; adds {@code weight · dTV/dx} into g. */
    static double tv(float[] x, int c, int h, int w, float[] g, float weight) {
        double sum = 0;
        float k = 2f * weight / x.length;
        for (int ch = 0; ch < c; ch++) {
            int b = ch * h * w;
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    int i = b + y * w + xx;
                    if (xx + 1 < w) {
                        float d = x[i + 1] - x[i];
                        sum += d * d;
                        g[i + 1] += k * d;
                        g[i] -= k * d;
                    }
                    if (y + 1 < h) {
                        float d = x[i + w] - x[i];
                        sum += d * d;
                        g[i + w] += k * d;
                        g[i] -= k * d;
                    }
                }
            }
        }
        return sum / x.length;
    }

    /** One Adam step (β1 0.9, β2 0.999, ε 1e-8) descending g. */
    private static void adam(float[] x, float[] g, float[] m, float[] v, int t, double lr) {
        double b1 = 0.9, b2 = 0.999, c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < x.length; i++) {
            m[i] = (float) (b1 * m[i] + (1 - b1) * g[i]);
            v[i] = (float) (b2 * v[i] + (1 - b2) * g[i] * g[i]);
            x[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
        }
    }

    private static double sumSq(float[] v) {
        double s = 0;
        for (float f : v) s += (double) f * f;
        return s;
    }
}
