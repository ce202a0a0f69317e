package glassbox.optim;

import glassbox.tensor.Param;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam: per-weight step sizes from running estimates of the gradient's first and second moments
 * (Kingma &amp; Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1):
 * <pre>
 *   g  = grad + weightDecay·w           (L2 decay folded into the gradient; see {@link AdamW} for the decoupled form)
 *   m  = β1·m + (1-β1)·g
 *   v  = β2·v + (1-β2)·g²
 *   w -= lr · (m / (1-β1ᵗ)) / (sqrt(v / (1-β2ᵗ)) + ε)
 * </pre>
 */
public class Adam extends Optimizer {
    private final double beta1, beta2, eps;
    private final boolean decoupled;
    private final float[][] m, v; // first and second moment estimates, one array per parameter

    public Adam(List<Param> params, double lr, double weightDecay) {
        this(params, lr, 0.9, 0.999, 1e-8, weightDecay, false);
    }

    protected Adam(List<Param> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(params, lr, weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.decoupled = decoupled;
        this.m = zerosLikeParams();
        this.v = zerosLikeParams();
    }

    @Override
    protected void update(int i, Param p) {
        float[] w = p.value().data(), g = p.grad().data(), mi = m[i], vi = v[i];
        float b1 = (float) beta1, b2 = (float) beta2, e = (float) eps;
        // Bias corrections 1/(1-βᵗ), in double: β2ᵗ stays close to 1 for thousands of steps.
        float c1 = (float) (1.0 / (1.0 - Math.pow(beta1, steps)));
        float c2 = (float) (1.0 / (1.0 - Math.pow(beta2, steps)));
        float lr = (float) this.lr;
        float wd = p.decay() ? (float) weightDecay : 0f;
        for (int j = 0; j < w.length; j++) {
            float gj = g[j];
            if (decoupled) {
                w[j] -= lr * wd * w[j]; // AdamW: shrink the weight directly, outside the adaptive scaling
            } else {
                gj += wd * w[j];
            }
            mi[j] = b1 * mi[j] + (1f - b1) * gj;
            vi[j] = b2 * vi[j] + (1f - b2) * gj * gj;
            w[j] -= lr * (mi[j] * c1) / ((float) Math.sqrt(vi[j] * c2) + e);
        }
    }

    @Override
    public String name() {
        return decoupled ? "adamw" : "adam";
    }

    @Override
    protected Map<String, float[][]> buffers() {
        Map<String, float[][]> b = new LinkedHashMap<>();
        b.put("m", m);
        b.put("v", v);
        return b;
    }
}
