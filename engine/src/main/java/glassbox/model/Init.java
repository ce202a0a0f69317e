package glassbox.model;

import glassbox.tensor.Param;
import glassbox.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Parameter initialization. Layers are created with zero weights; the {@link Zoo} calls one of these per
 * layer, and says which in its code.
 *
 * <p>Fans of a weight of shape [out, in, k, k] (or [out, in]): {@code fanIn = in·k·k},
 * {@code fanOut = out·k·k}. {@link #he} draws from N(0, 2/fanIn), which keeps the variance of
 * activations constant through ReLU layers (He et al. 2015, "Delving Deep into Rectifiers");
 * {@link #xavier} draws from U(-a, a) with {@code a = sqrt(6/(fanIn+fanOut))}, which keeps it constant
 * through linear or tanh layers, used for the classifier layer that feeds the softmax (Glorot &amp;
 * Bengio 2010, "Understanding the difficulty of training deep feedforward neural networks").
 *
 * <p>Every parameter gets its own random stream, derived from the seed and its name, so a parameter's
 * initial values do not depend on which layers were built before it. Leaves out orthogonal and
 * data-dependent (LSUV) initialization.
 */
public final class Init {
    private Init() {
    }

    /** Which initializer a weight gets, as a value (the {@link Net} builder records one per layer). */
    public enum Rule {
        /** {@link Init#he}: weights followed by a ReLU. */
        HE,
        /** {@link Init#xavier}: the classifier layer feeding the softmax. */
        XAVIER,
        /** All zeros (softmax regression, whose loss is convex). */
        ZERO,
        /** {@link Init#small}: AlexNet's N(0, 0.01²), for convolutions followed by batch norm. */
        SMALL;

        /** Initializes {@code weight} by this rule from {@code seed}. */
        public void apply(Param weight, long seed) {
            switch (this) {
                case HE -> he(weight, seed);
                case XAVIER -> xavier(weight, seed);
                case ZERO -> constant(weight, 0f);
                case SMALL -> small(weight, seed);
            }
        }
    }

    /** He (Kaiming) normal: N(0, 2/fanIn). For weights followed by a ReLU. */
    public static void he(Param weight, long seed) {
        gaussian(weight, Math.sqrt(2.0 / fanIn(weight.value())), seed);
    }

    /** The standard deviation of {@link #small}: 0.01, as Krizhevsky et al. 2012 initialized AlexNet. */
    public static final double SMALL_STD = 0.01;

    /**
     * N(0, 0.01²), AlexNet's initialization, for a convolution followed by batch norm. Batch norm's output does not
     * depend on the scale of the weights before it, but the size of a step relative to the weights does: a
     * gradient step changes a weight vector's direction by about lr·|g|/|w|, and |g| itself shrinks as 1/|w|. From
     * He's scale (std 0.16 for a 5×5×3 kernel) a first-layer kernel keeps its random start for many epochs; from
     * 0.01 the first steps outweigh the start, so the kernels are shaped by the data (edges, colour blobs).
     */
    public static void small(Param weight, long seed) {
        gaussian(weight, SMALL_STD, seed);
    }

    private static void gaussian(Param weight, double std, long seed) {
        SplittableRandom r = stream(seed, weight.name());
        float[] w = weight.value().data();
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * std);
    }

    /** Xavier (Glorot) uniform: U(-a, a), a = sqrt(6/(fanIn+fanOut)). For the layer before the softmax. */
    public static void xavier(Param weight, long seed) {
        Tensor t = weight.value();
        double a = Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
        SplittableRandom r = stream(seed, weight.name());
        float[] w = t.data();
        for (int i = 0; i < w.length; i++) w[i] = (float) ((2 * r.nextDouble() - 1) * a);
    }

    /** Every value set to {@code v} (zero biases, batch-norm scale 1 and shift 0). */
    public static void constant(Param p, float v) {
        p.value().fill(v);
    }

    /** Inputs feeding one output: shape[1] × kernel area. */
    public static int fanIn(Tensor w) {
        if (w.rank() < 2) throw new IllegalArgumentException("fan-in needs a weight of rank >= 2, got " + w.shapeString());
        return w.size() / w.dim(0);
    }

    /** Outputs fed by one input: shape[0] × kernel area. */
    public static int fanOut(Tensor w) {
        if (w.rank() < 2) throw new IllegalArgumentException("fan-out needs a weight of rank >= 2, got " + w.shapeString());
        return w.size() / w.dim(1);
    }

    /** A random stream for one parameter, from the seed and the parameter's name. */
    static SplittableRandom stream(long seed, String name) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
    }
}
