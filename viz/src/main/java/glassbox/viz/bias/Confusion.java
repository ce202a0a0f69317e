package glassbox.viz.bias;

import glassbox.data.Dataset;
import glassbox.model.Model;
import glassbox.train.Normalization;
import glassbox.viz.robustness.Pixels;
import glassbox.viz.robustness.Predict;
import glassbox.viz.Progress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Where a model is weak or biased on a split: the confusion matrix (counts and each row as fractions of the
 * true class), per-class precision, recall and one-vs-rest accuracy, the most confused pairs of classes with
 * example images, and the hardest examples (highest cross-entropy loss).
 *
 * <p>Definitions, for class c: recall = TP / (images of class c) (the "per-class accuracy" of
 * {@code ./glassbox eval}); precision = TP / (images predicted c), NaN when nothing is predicted c;
 * one-vs-rest accuracy = (TP + TN) / N, which is high for every class when classes are many, so recall is the
 * number to compare. Leaves out calibration (reliability diagrams) and top-k.
 *
 * @param classNames    class names [K]
 * @param counts        counts[true][predicted] [K][K]; sums to {@code total}
 * @param rowNormalized counts divided by each true class's size [K][K]
 * @param precision     [K]
 * @param recall        [K]
 * @param oneVsRest     one-vs-rest accuracy [K]
 * @param total         images evaluated
 * @param correct       images classified correctly
 * @param pairs         off-diagonal cells, most images first
 * @param hardest       the highest-loss images, highest first
 */
public record Confusion(List<String> classNames, int[][] counts, double[][] rowNormalized, double[] precision, double[] recall,
                        double[] oneVsRest, int total, int correct, List<Pair> pairs, List<Hard> hardest) {

    /** One confused pair: images of {@code trueClass} predicted as {@code predicted}, with the first few indices. */
    public record Pair(int trueClass, int predicted, int count, double fractionOfTrue, int[] examples) {
    }

    /** One hard example: its loss -log p(true) and what the model said. */
    public record Hard(int index, int label, int predicted, double loss, double probTrue, double probPredicted) {
    }

    public double accuracy() {
        return total == 0 ? 0 : (double) correct / total;
    }

    /**
     * Evaluates the first {@code n} images of {@code data}.
     *
     * @param pairCount     how many confused pairs to keep
     * @param examplesPerPair example indices kept per pair
     * @param hardCount     how many hardest examples to keep
     */
    public static Confusion of(Model model, Normalization norm, Dataset data, int n, int batch, int pairCount, int examplesPerPair,
                               int hardCount, Progress progress) {
        int k = data.numClasses();
        int outputs = model.outputShape(1)[1];
        if (outputs != k) throw new IllegalArgumentException(model.arch() + " has " + outputs + " outputs but " + data.name() + " has " + k + " classes");
        int[][] counts = new int[k][k];
        int[] pred = new int[n];
        double[] loss = new double[n], pTrue = new double[n], pPred = new double[n];
        progress.start("images classified", n);
        try {
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(batch, n - from);
                float[] probs = Predict.probabilities(model, norm, Pixels.of(data, from, b), b);
                for (int i = 0; i < b; i++) {
                    int idx = from + i, y = data.label(idx), p = Predict.argmax(probs, i, k);
                    pred[idx] = p;
                    counts[y][p]++;
                    pTrue[idx] = probs[i * k + y];
                    pPred[idx] = probs[i * k + p];
                    loss[idx] = -Math.log(Math.max(pTrue[idx], 1e-30));
                }
                progress.stepTo(from + b);
            }
        } finally {
            progress.end();
        }
        double[][] rows = new double[k][k];
        double[] precision = new double[k], recall = new double[k], ovr = new double[k];
        int correct = 0;
        for (int c = 0; c < k; c++) {
            int rowSum = 0, colSum = 0;
            for (int j = 0; j < k; j++) {
                rowSum += counts[c][j];
                colSum += counts[j][c];
            }
            for (int j = 0; j < k; j++) rows[c][j] = rowSum == 0 ? Double.NaN : (double) counts[c][j] / rowSum;
            correct += counts[c][c];
            recall[c] = rowSum == 0 ? Double.NaN : (double) counts[c][c] / rowSum;
            precision[c] = colSum == 0 ? Double.NaN : (double) counts[c][c] / colSum;
            int fp = colSum - counts[c][c], fn = rowSum - counts[c][c];
            ovr[c] = (double) (n - fp - fn) / n;
        }
        List<Pair> pairs = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                if (t == p || counts[t][p] == 0) continue;
                int[] ex = new int[Math.min(examplesPerPair, counts[t][p])];
                for (int i = 0, e = 0; i < n && e < ex.length; i++) if (data.label(i) == t && pred[i] == p) ex[e++] = i;
                pairs.add(new Pair(t, p, counts[t][p], rows[t][p], ex));
            }
        }
        pairs.sort(Comparator.comparingInt(Pair::count).reversed().thenComparingInt(Pair::trueClass).thenComparingInt(Pair::predicted));
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> loss[a] != loss[b] ? Double.compare(loss[b], loss[a]) : Integer.compare(a, b));
        List<Hard> hard = new ArrayList<>();
        for (int i = 0; i < Math.min(hardCount, n); i++) {
            int idx = order[i];
            hard.add(new Hard(idx, data.label(idx), pred[idx], loss[idx], pTrue[idx], pPred[idx]));
        }
        return new Confusion(data.classNames(), counts, rows, precision, recall, ovr, n, correct,
                List.copyOf(pairs.subList(0, Math.min(pairCount, pairs.size()))), hard);
    }
}
