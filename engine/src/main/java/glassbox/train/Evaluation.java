package glassbox.train;

import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.List;

/**
 * Accuracy of a model on a labelled set, overall and per class, plus the confusion matrix
 * ({@code confusion[true][predicted]}), and the mean cross-entropy {@code loss} (NaN when not computed).
 * Runs in inference mode (batch norm uses running statistics, dropout is off). Leaves out top-k accuracy
 * and calibration.
 */
public record Evaluation(List<String> classNames, int[][] confusion, int total, int correct, double loss) {
    public Evaluation(List<String> classNames, int[][] confusion, int total, int correct) {
        this(classNames, confusion, total, correct, Double.NaN);
    }

    public double accuracy() {
        return total == 0 ? 0 : (double) correct / total;
    }

    /** Fraction of class {@code c}'s samples predicted as {@code c}. */
    public double classAccuracy(int c) {
        int n = 0;
        for (int v : confusion[c]) n += v;
        return n == 0 ? 0 : (double) confusion[c][c] / n;
    }

    public int classCount(int c) {
        int n = 0;
        for (int v : confusion[c]) n += v;
        return n;
    }

    /** Evaluates {@code model} on every sample of {@code data}, in order, {@code batch} at a time. */
    public static Evaluation of(Model model, ImageData data, Normalization norm, int batch) {
        int k = model.outputShape(1)[1];
        int[][] confusion = new int[data.classNames().size()][k];
        Batches bs = new Batches(data, norm, batch, 0, 0, false, 0, false);
        int correct = 0;
        double lossSum = 0;
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        boolean reuse = model.reusesBuffers();
        model.setReuseBuffers(true); // nothing is kept from one batch to the next
        try {
            for (int b = 0; b < bs.count(); b++) {
                Batches.Batch bt = bs.get(b);
                Tensor logits = model.forward(Trainer.input(model, bt), false);
                if (k >= data.classNames().size()) lossSum += (double) ce.forward(logits, bt.y()) * bt.n();
                int[] pred = argmax(logits);
                for (int i = 0; i < bt.n(); i++) {
                    confusion[bt.y()[i]][pred[i]]++;
                    if (pred[i] == bt.y()[i]) correct++;
                }
            }
        } finally {
            model.setReuseBuffers(reuse);
        }
        return new Evaluation(data.classNames(), confusion, data.size(), correct, data.size() == 0 || k < data.classNames().size() ? Double.NaN : lossSum / data.size());
    }

    /** Index of the largest logit of each row of [N, K]. */
    public static int[] argmax(Tensor logits) {
        int n = logits.dim(0), k = logits.dim(1);
        float[] d = logits.data();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) if (d[i * k + j] > d[i * k + best]) best = j;
            out[i] = best;
        }
        return out;
    }
}
