package glassbox.layers;

import glassbox.kernels.Parallel;
import glassbox.kernels.Vec;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batch normalization (Ioffe &amp; Szegedy 2015, "Batch Normalization: Accelerating Deep Network Training
 * by Reducing Internal Covariate Shift"), with PyTorch's semantics. The math for {@link BatchNorm2d} and
 * {@link BatchNorm1d}, which only say what layout they accept.
 *
 * <p>The input is seen as [N, C, S] (S = H·W for images, 1 for vectors); each channel c is normalized
 * over its M = N·S values: {@code x̂ = (x - μ) / √(σ² + ε)}, {@code y = γ·x̂ + β}.
 * <ul>
 *   <li>Training: μ, σ² are the batch statistics (σ² biased, divided by M). The running estimates move
 *       by {@code momentum}: {@code mean ← (1-m)·mean + m·μ}, {@code var ← (1-m)·var + m·σ²·M/(M-1)}
 *       (the unbiased variance, as PyTorch does).</li>
 *   <li>Eval: μ, σ² are the running estimates, so the layer is a fixed per-channel affine map.</li>
 * </ul>
 * Backward follows the mode of the last forward. Params {@code name.weight} (γ, starts at 1) and
 * {@code name.bias} (β, starts at 0), no weight decay; buffers {@code name.running_mean} (starts at 0)
 * and {@code name.running_var} (starts at 1).
 */
public abstract class BatchNorm extends Layer {
    public static final float MOMENTUM = 0.1f;
    public static final float EPS = 1e-5f;

    private final int channels;
    private final Param gamma, beta;
    private final Tensor runningMean, runningVar; // [C]
    // Cached by forward for backward (both modes): x̂ [N, C, S] (unless nothing will read it, see xhatKept)
    // and 1/√(σ² + ε) per channel [C].
    private float[] xhat = new float[0];
    private final float[] invStd;
    private final float[] mean; // μ of the last forward per channel [C]
    private boolean lastTraining;
    private boolean xhatKept; // whether the last forward wrote x̂

    protected BatchNorm(String name, int channels) {
        super(name);
        if (channels < 1) throw new IllegalArgumentException(name + ": channels must be >= 1, got " + channels);
        this.channels = channels;
        this.gamma = new Param(name + ".weight", Tensor.zeros(channels).fill(1f), false);
        this.beta = new Param(name + ".bias", Tensor.zeros(channels), false);
        this.runningMean = Tensor.zeros(channels);
        this.runningVar = Tensor.zeros(channels).fill(1f);
        this.invStd = new float[channels];
        this.mean = new float[channels];
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        int n = x.dim(0), s = spatial(x), m = n * s;
        if (training && m < 2) {
            throw new ShapeException(name() + ": batch norm in training needs more than 1 value per channel, got input " + x.shapeString());
        }
        lastTraining = training;
        float[] xd = x.data(), g = gamma.value().data(), b = beta.value().data();
        float[] rm = runningMean.data(), rv = runningVar.data();
        // x̂ is read back only by the training backward and by dγ; an eval pass for an input gradient alone
        // (explanations, attacks) skips writing it
        xhatKept = training || computesParamGradients();
        if (xhatKept && xhat.length != xd.length) xhat = new float[xd.length];
        Tensor y = newOutput(x.shape());
        float[] yd = y.data();
        float[] mean = this.mean;
        for (int c = 0; c < channels; c++) {
            float var;
            if (training) {
                double sum = 0, sq = 0; // double: M can be 100k values
                for (int i = 0; i < n; i++)
                    for (int j = (i * channels + c) * s, e = j + s; j < e; j++) sum += xd[j];
                double mu = sum / m;
                for (int i = 0; i < n; i++)
                    for (int j = (i * channels + c) * s, e = j + s; j < e; j++) sq += (xd[j] - mu) * (xd[j] - mu);
                mean[c] = (float) mu;
                var = (float) (sq / m);
                rm[c] = (1 - MOMENTUM) * rm[c] + MOMENTUM * mean[c];
                rv[c] = (1 - MOMENTUM) * rv[c] + MOMENTUM * (float) (sq / (m - 1));
            } else {
                mean[c] = rm[c];
                var = rv[c];
            }
            invStd[c] = (float) (1.0 / Math.sqrt(var + EPS));
        }
        float[] keep = xhatKept ? xhat : null;
        inPlanes(n, s, (i, c, off) -> Vec.normalize(xd, keep, yd, off, s, mean[c], invStd[c], g[c], b[c])); // twin: Vec.normalizeScalar
        return y;
    }

    /**
     * dγ += Σ dy·x̂, dβ += Σ dy. In training μ and σ² depend on x, which gives
     * {@code dx = γ/√(σ²+ε) · (dy - mean(dy) - x̂·mean(dy·x̂))}; in eval {@code dx = γ/√(σ²+ε) · dy}.
     */
    @Override
    protected Tensor backwardImpl(Tensor dy) {
        int n = dy.dim(0), s = spatial(dy), m = n * s;
        float[] g = dy.data(), gam = gamma.value().data();
        Tensor dx = newInputGrad(dy.shape());
        float[] d = dx.data();
        if (!lastTraining) { // a fixed per-channel affine map: dx = γ/√(σ²+ε) · dy
            if (computesParamGradients()) accumulateParamGradients(n, s, g);
            inPlanes(n, s, (i, c, off) -> Vec.scale(gam[c] * invStd[c], g, d, off, s));
            return dx;
        }
        double[] sumDy = new double[channels], sumDyXhat = new double[channels];
        sums(n, s, g, sumDy, sumDyXhat);
        if (computesParamGradients()) addParamGradients(sumDy, sumDyXhat);
        for (int c = 0; c < channels; c++) {
            float scale = gam[c] * invStd[c];
            float meanDy = (float) (sumDy[c] / m);
            float meanDyXhat = (float) (sumDyXhat[c] / m);
            for (int i = 0; i < n; i++)
                for (int j = (i * channels + c) * s, e = j + s; j < e; j++) {
                    d[j] = scale * (g[j] - meanDy - xhat[j] * meanDyXhat);
                }
        }
        return dx;
    }

    /** dγ += Σ dy·x̂, dβ += Σ dy after an eval forward (x̂ recomputed if that forward did not keep it). */
    private void accumulateParamGradients(int n, int s, float[] g) {
        if (!xhatKept) { // parameter gradients switched on between forward and backward
            float[] xd = input().data();
            if (xhat.length != xd.length) xhat = new float[xd.length];
            for (int i = 0; i < n; i++)
                for (int c = 0; c < channels; c++)
                    for (int j = (i * channels + c) * s, e = j + s; j < e; j++) xhat[j] = (xd[j] - mean[c]) * invStd[c];
            xhatKept = true;
        }
        double[] sumDy = new double[channels], sumDyXhat = new double[channels];
        sums(n, s, g, sumDy, sumDyXhat);
        addParamGradients(sumDy, sumDyXhat);
    }

    /** Per channel c, Σ dy and Σ dy·x̂ over the batch and the positions (in double, as the training formula needs). */
    private void sums(int n, int s, float[] g, double[] sumDy, double[] sumDyXhat) {
        for (int c = 0; c < channels; c++) {
            double a = 0, b = 0;
            for (int i = 0; i < n; i++)
                for (int j = (i * channels + c) * s, e = j + s; j < e; j++) {
                    a += g[j];
                    b += g[j] * xhat[j];
                }
            sumDy[c] = a;
            sumDyXhat[c] = b;
        }
    }

    /** dγ += Σ dy·x̂, dβ += Σ dy. */
    private void addParamGradients(double[] sumDy, double[] sumDyXhat) {
        float[] dgamma = gamma.grad().data(), dbeta = beta.grad().data();
        for (int c = 0; c < channels; c++) {
            dgamma[c] += (float) sumDyXhat[c];
            dbeta[c] += (float) sumDy[c];
        }
    }

    /** One channel of one sample: its values are [off, off + S). */
    private interface Plane {
        void run(int sample, int channel, int off);
    }

    /**
     * Runs body on every (sample, channel) plane of an [N, C, S] tensor; tensors of at least
     * {@link #PARALLEL_MIN} floats are split between threads by planes (element-wise work: the same bits for any split).
     */
    private void inPlanes(int n, int s, Plane body) {
        int planes = n * channels;
        if ((long) planes * s < PARALLEL_MIN || planes < 2) {
            for (int p = 0; p < planes; p++) body.run(p / channels, p % channels, p * s);
            return;
        }
        Parallel.forRange(planes, (chunk, from, to) -> {
            for (int p = from; p < to; p++) body.run(p / channels, p % channels, p * s);
        });
    }

    private static final int PARALLEL_MIN = 1 << 15;

    /** Values per channel per sample: H·W for [N, C, H, W], 1 for [N, C]. */
    private static int spatial(Tensor t) {
        return t.rank() == 4 ? t.dim(2) * t.dim(3) : 1;
    }

    /** Throws unless the channel dimension (index 1) matches. */
    protected final void requireChannels(int[] s) {
        if (s[1] != channels) {
            throw new ShapeException(name() + " (" + getClass().getSimpleName() + " " + channels + ") expects " + channels
                    + " channels, got " + s[1] + " in input shape " + java.util.Arrays.toString(s));
        }
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta);
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> b = new LinkedHashMap<>();
        b.put(name() + ".running_mean", runningMean);
        b.put(name() + ".running_var", runningVar);
        return b;
    }

    public int channels() {
        return channels;
    }

    /** γ [C], the per-channel scale ({@code name.weight}). */
    public Param weight() {
        return gamma;
    }

    /** β [C], the per-channel shift ({@code name.bias}). */
    public Param bias() {
        return beta;
    }

    /** Running mean [C] used in eval (a live view: loading a model writes into it). */
    public Tensor runningMean() {
        return runningMean;
    }

    /** Running (unbiased) variance [C] used in eval. */
    public Tensor runningVar() {
        return runningVar;
    }
}
