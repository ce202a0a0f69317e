package glassbox.layers;

import glassbox.kernels.Vec;
import glassbox.tensor.Tensor;

/**
 * Rectified linear unit, {@code y = max(0, x)}, with a switchable backward rule for gradient maps.
 *
 * <p>{@link Rule#STANDARD} is the true gradient (pass dy where x &gt; 0). {@link Rule#DECONVNET} passes
 * only positive dy, ignoring x (Zeiler &amp; Fergus 2014). {@link Rule#GUIDED} does both: dy &gt; 0 and
 * x &gt; 0 (Springenberg et al. 2015, "Striving for Simplicity"). Only STANDARD trains a network.
 */
public final class ReLU extends Layer {
    /** How backward treats the upstream gradient. */
    public enum Rule { STANDARD, GUIDED, DECONVNET }

    private Rule rule = Rule.STANDARD;

    public ReLU(String name) {
        super(name);
    }

    public void setRule(Rule rule) {
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
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
        Slices.run(xd.length, (off, len) -> Vec.relu(xd, y, off, len)); // y[i] = max(x[i], 0), SIMD (twin: Vec.reluScalar)
        return out;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        float[] x = input().data(), g = dy.data();
        Tensor grad = newInputGrad(dy.shape());
        float[] dx = grad.data();
        switch (rule) {
            case STANDARD -> Slices.run(g.length, (off, len) -> Vec.reluBackward(x, g, dx, off, len)); // x > 0 ? dy : 0
            case GUIDED -> { for (int i = 0; i < g.length; i++) dx[i] = x[i] > 0f && g[i] > 0f ? g[i] : 0f; }
            case DECONVNET -> { for (int i = 0; i < g.length; i++) dx[i] = g[i] > 0f ? g[i] : 0f; }
        }
        return grad;
    }
}
