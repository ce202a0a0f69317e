package glassbox.layers;

import glassbox.tensor.Tensor;

/**
 * Logistic sigmoid, {@code y = 1 / (1 + e^-x)}, squashing into (0, 1). Backward uses the output it kept:
 * {@code dy/dx = y·(1 - y)}. Computed without overflow for large |x|.
 */
public final class Sigmoid extends Layer {
    public Sigmoid(String name) {
        super(name);
    }

    @Override
    public int[] outputShape(int[] s) {
        return s.clone();
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        float[] xd = x.data();
        Tensor out = newOutput(x.shape());
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) y[i] = sigmoid(xd[i]);
        return out;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        float[] y = output().data(), g = dy.data();
        Tensor grad = newInputGrad(dy.shape());
        float[] dx = grad.data();
        for (int i = 0; i < g.length; i++) dx[i] = g[i] * y[i] * (1f - y[i]);
        return grad;
    }

    /** e^-x only for x ≥ 0 and e^x only for x &lt; 0, so the exponential never overflows. */
    static float sigmoid(float x) {
        if (x >= 0f) return (float) (1.0 / (1.0 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }
}
