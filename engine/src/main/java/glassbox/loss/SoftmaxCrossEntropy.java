package glassbox.loss;

import glassbox.layers.ShapeException;
import glassbox.tensor.Tensor;


/**
 * Softmax followed by cross-entropy against integer labels, averaged over the batch:
 * {@code L = (1/N) Σ_n [logsumexp(z_n) - z_n[label_n]]}.
 *
 * <p>Shapes: logits z [N, K], labels [N] in 0..K-1, probabilities p [N, K]. The log-sum-exp subtracts
 * each row's maximum first, so large logits neither overflow nor lose the answer. The gradient is the
 * well-known {@code dL/dz = (p - onehot(label)) / N}. {@link #forward} keeps p and the labels for
 * {@link #backward}; one instance serves one forward/backward pair at a time.
 */
public final class SoftmaxCrossEntropy {
    private Tensor probs;   // [N, K]
    private int[] labels;   // [N]

    /** Mean loss over the batch; keeps the probabilities and labels for {@link #backward()}. */
    public float forward(Tensor logits, int[] labels) {
        if (logits.rank() != 2) {
            throw new ShapeException("softmax cross-entropy expects logits [N, classes], got " + logits.shapeString());
        }
        int n = logits.dim(0), k = logits.dim(1);
        if (labels.length != n) {
            throw new ShapeException("softmax cross-entropy: " + labels.length + " labels for logits " + logits.shapeString());
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("softmax cross-entropy: label " + labels[i] + " of sample " + i
                        + " is outside 0.." + (k - 1) + " (logits " + logits.shapeString() + ")");
            }
        }
        float[] z = logits.data();
        float[] p = new float[z.length];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) max = Math.max(max, z[row + j]);
            double sumExp = 0;
            for (int j = 0; j < k; j++) sumExp += Math.exp(z[row + j] - max);
            double logSumExp = max + Math.log(sumExp);
            for (int j = 0; j < k; j++) p[row + j] = (float) Math.exp(z[row + j] - logSumExp);
            total += logSumExp - z[row + labels[i]];
        }
        this.probs = new Tensor(p, n, k);
        this.labels = labels.clone();
        return (float) (total / n);
    }

    /** dL/dlogits [N, K] = (p - onehot) / N for the last {@link #forward}. */
    public Tensor backward() {
        if (probs == null) throw new IllegalStateException("softmax cross-entropy: backward called before forward");
        int n = probs.dim(0), k = probs.dim(1);
        float[] p = probs.data();
        float[] d = new float[p.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) d[i * k + j] = p[i * k + j] / n;
            d[i * k + labels[i]] -= 1f / n;
        }
        return new Tensor(d, n, k);
    }

    /** Softmax probabilities [N, K] of the last {@link #forward}, each row summing to 1. */
    public Tensor probabilities() {
        return probs;
    }
}
