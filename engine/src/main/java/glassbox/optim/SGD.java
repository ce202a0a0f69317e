package glassbox.optim;

import glassbox.tensor.Param;

import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional (heavy-ball or Nesterov) momentum and L2 weight decay,
 * computed as PyTorch's {@code torch.optim.SGD} does (dampening 0):
 * <pre>
 *   g   = grad + weightDecay·w          (only where the parameter decays)
 *   buf = momentum·buf + g              (buf starts at 0, so the first step has buf = g)
 *   d   = nesterov ? g + momentum·buf : buf
 *   w  -= lr·d
 * </pre>
 * Momentum: Polyak 1964; the Nesterov form as used for deep nets by Sutskever et al. 2013, "On the
 * importance of initialization and momentum in deep learning".
 */
public final class SGD extends Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private final float[][] buf; // one momentum buffer per parameter, same size

    public SGD(List<Param> params, double lr, double momentum, boolean nesterov, double weightDecay) {
        super(params, lr, weightDecay);
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        if (nesterov && momentum == 0) throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.buf = zerosLikeParams();
    }

    @Override
    protected void update(int i, Param p) {
        float[] w = p.value().data(), g = p.grad().data(), b = buf[i];
        float lr = (float) this.lr, mu = (float) momentum;
        float wd = p.decay() ? (float) weightDecay : 0f;
        for (int j = 0; j < w.length; j++) {
            float gj = g[j] + wd * w[j];
            if (mu == 0f) {
                w[j] -= lr * gj;
                continue;
            }
            b[j] = mu * b[j] + gj;
            float d = nesterov ? gj + mu * b[j] : b[j];
            w[j] -= lr * d;
        }
    }

    @Override
    public String name() {
        return nesterov ? "sgd-nesterov" : "sgd";
    }

    @Override
    protected Map<String, float[][]> buffers() {
        return Map.of("momentum", buf);
    }
}
