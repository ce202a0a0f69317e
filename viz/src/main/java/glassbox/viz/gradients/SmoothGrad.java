package glassbox.viz.gradients;

import glassbox.layers.ReLU;
import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * SmoothGrad (Smilkov et al. 2017, "SmoothGrad: removing noise by adding noise"): the mean of the vanilla
 * gradient over n copies of the image with Gaussian noise added, computed as one batch of n (not n passes).
 *
 * <p>Conventions that change the numbers: the noise is {@code N(0, sigma²)} per input value with
 * {@code sigma = noiseLevel · (max(x) - min(x))}, the range of this image's model-input values (the paper's
 * "noise level", 10-20% recommended); it is drawn from a {@link SplittableRandom} seeded with {@code seed}
 * in [n, C, H, W] order. {@code raw} is the mean gradient [C, H, W] (signed); the map is
 * {@code max_c |mean gradient|}, as for vanilla saliency.
 */
public final class SmoothGrad {
    /** Copies per forward/backward batch: bounds memory for large n. */
    static final int MAX_BATCH = 64;

    private SmoothGrad() {
    }

    /**
     * @param n          number of noisy copies, at least 1
     * @param noiseLevel sigma as a fraction of the image's value range, &gt;= 0
     */
    public record Result(Attribution attribution, int n, double noiseLevel, double sigma, long seed) {
    }

    /** SmoothGrad of one image [1, C, H, W] with seeded noise. */
    public static Result compute(Model m, Tensor x, Target t, int n, double noiseLevel, long seed, List<String> classNames) {
        Backprop.requireOne(x);
        if (n < 1) throw new IllegalArgumentException("SmoothGrad needs n >= 1 samples, got " + n);
        if (!(noiseLevel >= 0)) throw new IllegalArgumentException("SmoothGrad noise level must be >= 0, got " + noiseLevel);
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : x.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double sigma = noiseLevel * (hi - lo);
        SplittableRandom r = new SplittableRandom(seed);
        float[] noise = new float[n * x.size()];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (sigma * r.nextGaussian());
        Attribution a = withNoise(m, x, t, Tensor.of(noise, n, x.dim(1), x.dim(2), x.dim(3)), classNames);
        return new Result(a, n, noiseLevel, sigma, seed);
    }

    /** SmoothGrad with given noise [n, C, H, W] (the PyTorch cross-check feeds the same noise to both). */
    public static Attribution withNoise(Model m, Tensor x, Target t, Tensor noise, List<String> classNames) {
        Backprop.requireOne(x);
        int n = noise.dim(0), per = x.size(), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        double[] sum = new double[per];
        for (int from = 0; from < n; from += MAX_BATCH) {
            int b = Math.min(MAX_BATCH, n - from);
            float[] batch = new float[b * per];
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < per; k++) batch[i * per + k] = x.data()[k] + noise.data()[(from + i) * per + k];
            }
            float[] g = Backprop.run(m, Tensor.of(batch, b, c, h, w), t, ReLU.Rule.STANDARD).inputGradient().data();
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < per; k++) sum[k] += g[i * per + k];
            }
        }
        float[] mean = new float[per];
        for (int k = 0; k < per; k++) mean[k] = (float) (sum[k] / n);
        float score = Backprop.run(m, x, t, ReLU.Rule.STANDARD).scores()[0];
        return Attribution.of("smoothgrad", t.describe(classNames), score, c, h, w, mean, Maps.maxAbsOverChannels(mean, c, h * w), false);
    }
}
