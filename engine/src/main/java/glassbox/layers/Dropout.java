package glassbox.layers;

import glassbox.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Inverted dropout (Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural Networks from
 * Overfitting"): in training each element is zeroed with probability {@code p} and the survivors are
 * scaled by {@code 1/(1-p)}, so eval mode is simply the identity.
 *
 * <p>Deterministic: the mask comes from this layer's own seeded generator. The default seed is derived
 * from the layer name; {@link #setSeed(long)} restarts the sequence, so two runs with the same seed drop
 * the same units and train bit-identically. Shapes: y, x, mask all like x.
 */
public final class Dropout extends Layer {
    private final float p;
    private SplittableRandom random;
    /** 0 or 1/(1-p) per element, from the last training forward; reused across calls of the same size. */
    private float[] mask = new float[0];
    private boolean lastTraining;

    /** @param p probability of dropping an element, in [0, 1) */
    public Dropout(String name, float p) {
        super(name);
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException(name + ": dropout probability must be in [0, 1), got " + p);
        this.p = p;
        setSeed(name.hashCode());
    }

    /** Restarts the mask sequence: the same seed gives the same masks in the same order. */
    public void setSeed(long seed) {
        random = new SplittableRandom(seed);
    }

    public float p() {
        return p;
    }

    /** The multipliers of the last training forward (0 or 1/(1-p)), or empty. Read-only by convention. */
    public float[] mask() {
        return mask;
    }

    @Override
    public int[] outputShape(int[] s) {
        return s.clone();
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        lastTraining = training;
        if (!training) return x; // identity: no copy (no layer writes into its input)
        float[] xd = x.data();
        Tensor out = newOutput(x.shape());
        float[] y = out.data();
        if (mask.length != xd.length) mask = new float[xd.length];
        float keep = 1f / (1f - p);
        for (int i = 0; i < xd.length; i++) {
            mask[i] = random.nextDouble() < p ? 0f : keep;
            y[i] = xd[i] * mask[i];
        }
        return out;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        if (!lastTraining) return dy;
        float[] g = dy.data();
        Tensor grad = newInputGrad(dy.shape());
        float[] dx = grad.data();
        for (int i = 0; i < g.length; i++) dx[i] = g[i] * mask[i];
        return grad;
    }
}
