package glassbox.layers;

import glassbox.tensor.Tensor;

/**
 * Leaky rectifier, {@code y = x} for x &gt; 0 and {@code y = slope·x} otherwise (Maas et al. 2013,
 * "Rectifier Nonlinearities Improve Neural Network Acoustic Models"). The small negative slope keeps a
 * gradient flowing through units that would be dead under a plain ReLU.
 */
public final class LeakyReLU extends Layer {
    private final float slope;

    /** @param slope gradient for negative inputs, e.g. 0.01 (PyTorch's default) */
    public LeakyReLU(String name, float slope) {
        super(name);
        this.slope = slope;
    }

    public float slope() {
        return slope;
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
        for (int i = 0; i < y.length; i++) y[i] = xd[i] > 0f ? xd[i] : slope * xd[i];
        return out;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        float[] x = input().data(), g = dy.data();
        Tensor grad = newInputGrad(dy.shape());
        float[] dx = grad.data();
        for (int i = 0; i < g.length; i++) dx[i] = x[i] > 0f ? g[i] : slope * g[i];
        return grad;
    }
}
