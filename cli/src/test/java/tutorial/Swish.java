package tutorial;

import glassbox.layers.Layer;
import glassbox.tensor.Tensor;

/**
 * Swish, {@code y = x·σ(x)} (Ramachandran, Zoph &amp; Le 2017, "Searching for Activation Functions"; the
 * same function as the SiLU of Elfwing et al. 2018): smooth, not monotonic, close to ReLU for large |x|.
 * The layer of docs/tutorial-custom-layer.md, step 1.
 *
 * <p>Backward: {@code dy/dx = σ(x) + x·σ(x)·(1 - σ(x))}, which with {@code y = x·σ(x)} is
 * {@code σ(x)·(1 + x - y)}. Shapes: y and dx like x, any rank.
 */
public final class Swish extends Layer {
    public Swish(String name) {
        super(name);
    }

    @Override
    public int[] outputShape(int[] s) {
        return s.clone(); // element-wise: the shape does not change
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        float[] xd = x.data();
        Tensor out = newOutput(x.shape()); // every element written below
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) y[i] = xd[i] * sigmoid(xd[i]);
        return out;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        float[] x = input().data(), y = output().data(), g = dy.data(); // input() and output(): kept by forward
        Tensor grad = newInputGrad(dy.shape());
        float[] dx = grad.data();
        for (int i = 0; i < g.length; i++) dx[i] = g[i] * sigmoid(x[i]) * (1f + x[i] - y[i]);
        return grad;
    }

    /** σ(x) = 1 / (1 + e^-x), with e^x instead for negative x so nothing overflows. */
    static float sigmoid(float x) {
        if (x >= 0f) return (float) (1.0 / (1.0 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }
}
