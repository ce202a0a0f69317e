package glassbox.layers;

import glassbox.tensor.Tensor;

/**
 * Hyperbolic tangent, {@code y = tanh(x)}, squashing into (-1, 1). Backward uses the output it kept:
 * {@code dy/dx = 1 - y²}.
 */
public final class Tanh extends Layer {
    public Tanh(String name) {
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
        for (int i = 0; i < y.length; i++) y[i] = (float) Math.tanh(xd[i]);
        return out;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        float[] y = output().data(), g = dy.data();
        Tensor grad = newInputGrad(dy.shape());
        float[] dx = grad.data();
        for (int i = 0; i < g.length; i++) dx[i] = g[i] * (1f - y[i] * y[i]);
        return grad;
    }
}
