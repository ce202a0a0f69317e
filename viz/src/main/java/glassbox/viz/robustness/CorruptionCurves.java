package glassbox.viz.robustness;

import com.fasterxml.jackson.annotation.JsonIgnore;
import glassbox.data.Dataset;
import glassbox.model.Model;
import glassbox.train.Normalization;
import glassbox.viz.Progress;

import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy under each {@link Corruption} at each severity over the first N images of a split, overall and
 * per class, plus one example image per corruption and severity. Noise is seeded per image
 * ({@code seed + index}), so runs repeat exactly. Leaves out mean corruption error normalized by a
 * baseline model (the CIFAR-10-C "mCE"): the curves of several models side by side show the same.
 */
public final class CorruptionCurves {
    private CorruptionCurves() {
    }

    /**
     * One corruption's curve, with the example image at each severity.
     *
     * @param corruption the corruption's name
     * @param curve      accuracy per severity (level 0 is clean)
     * @param exampleIndex index of the example image in the split
     * @param examples   the example at each severity [L][C*H*W] (not in the JSON)
     * @param examplePredicted the model's class for each [L]
     */
    public record Result(String corruption, Curve curve, int exampleIndex, @JsonIgnore float[][] examples, int[] examplePredicted) {
    }

    public static List<Result> run(String modelName, Model model, Normalization norm, Dataset data, int n, List<Corruption> corruptions,
                                   int batch, int exampleIndex, long seed, Progress progress) {
        int k = data.numClasses(), per = data.sampleSize(), c = data.channels(), h = data.height(), w = data.width();
        List<Result> out = new ArrayList<>();
        long done = 0;
        progress.start("corrupted images classified", (long) n * corruptions.size() * 6);
        try {
            int[] classCount = data.labelCounts(), counts = new int[k];
            for (int i = 0; i < n; i++) counts[data.label(i)]++;
            classCount = counts;
            double clean = Double.NaN;
            for (Corruption cor : corruptions) {
                float[] levels = cor.levels();
                int[][] correct = new int[levels.length][k];
                float[][] ex = new float[levels.length][];
                int[] exPred = new int[levels.length];
                for (int from = 0; from < n; from += batch) {
                    int b = Math.min(batch, n - from);
                    float[] px = Pixels.of(data, from, b);
                    for (int l = 0; l < levels.length; l++) {
                        float[] bad = new float[b * per];
                        for (int i = 0; i < b; i++) {
                            float[] one = java.util.Arrays.copyOfRange(px, i * per, (i + 1) * per);
                            System.arraycopy(cor.apply(one, c, h, w, levels[l], seed + from + i), 0, bad, i * per, per);
                        }
                        float[] probs = Predict.probabilities(model, norm, bad, b);
                        for (int i = 0; i < b; i++) {
                            int p = Predict.argmax(probs, i, k), y = data.label(from + i);
                            if (p == y) correct[l][y]++;
                            if (from + i == exampleIndex) {
                                ex[l] = java.util.Arrays.copyOfRange(bad, i * per, (i + 1) * per);
                                exPred[l] = p;
                            }
                        }
                        done += b;
                        progress.stepTo(done);
                    }
                }
                int sum = 0;
                for (int v : correct[0]) sum += v;
                clean = (double) sum / n;
                out.add(new Result(cor.label(), Curve.of(modelName, cor.label(), cor.parameter(), levels, correct, classCount,
                        data.classNames(), n, clean), exampleIndex, ex, exPred));
            }
            return out;
        } finally {
            progress.end();
        }
    }
}
