package glassbox.viz.gradients;

import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * Occlusion sensitivity (Zeiler &amp; Fergus 2014, "Visualizing and Understanding Convolutional Networks",
 * section 4.2): a square patch of constant colour slid over the image; for each position, how much the
 * score drops. Forward passes only, in batches.
 *
 * <p>The score is the class probability (softmax) for a class target, the channel sum for a channel target.
 * Patch positions run from 0 in steps of {@code stride}, plus one flush with the right/bottom edge so
 * every pixel is covered. The map at a pixel is the mean drop {@code score(x) - score(occluded)} over the
 * positions whose patch covers it (as Captum's {@code Occlusion}), so positive = the pixel helps.
 */
public final class Occlusion {
    private Occlusion() {
    }

    /**
     * @param attribution the mean-drop map [H, W]
     * @param patch       side of the square patch, pixels
     * @param stride      step between positions, pixels
     * @param fill        the patch's value per channel, model-input units
     * @param positions   number of patch positions evaluated
     */
    public record Result(Attribution attribution, int patch, int stride, float[] fill, int positions) {
    }

    /**
     * Occlusion map of one image [1, C, H, W].
     *
     * @param fill     the patch value per channel in model-input units (0 = the data set's mean colour)
     * @param progress receives the fraction done (0..1), or null
     */
    public static Result compute(Model m, Tensor x, Target t, int patch, int stride, float[] fill, List<String> classNames,
                                 DoubleConsumer progress) {
        Backprop.requireOne(x);
        int c = x.dim(1), h = x.dim(2), w = x.dim(3), hw = h * w, per = x.size();
        if (patch < 1 || patch > Math.min(h, w)) throw new IllegalArgumentException("occlusion patch " + patch + " must be in 1.." + Math.min(h, w));
        if (stride < 1) throw new IllegalArgumentException("occlusion stride must be >= 1, got " + stride);
        if (fill.length != c) throw new IllegalArgumentException("occlusion fill has " + fill.length + " values for " + c + " channels");
        List<int[]> pos = new ArrayList<>();
        for (int y : starts(h, patch, stride)) for (int xx : starts(w, patch, stride)) pos.add(new int[]{y, xx});
        float base = score(m, x, t)[0];
        double[] drop = new double[hw];
        int[] count = new int[hw];
        for (int from = 0; from < pos.size(); from += SmoothGrad.MAX_BATCH) {
            int b = Math.min(SmoothGrad.MAX_BATCH, pos.size() - from);
            float[] batch = new float[b * per];
            for (int i = 0; i < b; i++) {
                System.arraycopy(x.data(), 0, batch, i * per, per);
                int[] p = pos.get(from + i);
                for (int ch = 0; ch < c; ch++)
                    for (int y = p[0]; y < p[0] + patch; y++)
                        java.util.Arrays.fill(batch, i * per + ch * hw + y * w + p[1], i * per + ch * hw + y * w + p[1] + patch, fill[ch]);
            }
            float[] s = score(m, Tensor.of(batch, b, c, h, w), t);
            for (int i = 0; i < b; i++) {
                int[] p = pos.get(from + i);
                for (int y = p[0]; y < p[0] + patch; y++)
                    for (int xx = p[1]; xx < p[1] + patch; xx++) {
                        drop[y * w + xx] += base - s[i];
                        count[y * w + xx]++;
                    }
            }
            if (progress != null) progress.accept((double) (from + b) / pos.size());
        }
        float[] map = new float[hw];
        for (int i = 0; i < hw; i++) map[i] = (float) (drop[i] / count[i]);
        Attribution a = Attribution.of("occlusion", t.describe(classNames) + (t instanceof Target.ClassScore ? " probability" : ""),
                base, 1, h, w, map, map, true);
        return new Result(a, patch, stride, fill.clone(), pos.size());
    }

    /** Default patch: about a seventh of the image side, at least 2 pixels (4 on MNIST, 5 on CIFAR-10). */
    public static int defaultPatch(int side) {
        return Math.max(2, Math.round(side / 7f));
    }

    /** Patch start positions along one axis: 0, stride, ... and the last one flush with the edge. */
    static List<Integer> starts(int size, int patch, int stride) {
        List<Integer> s = new ArrayList<>();
        for (int p = 0; p + patch <= size; p += stride) s.add(p);
        if (s.getLast() != size - patch) s.add(size - patch);
        return s;
    }

    /** Softmax probability of the class, or the channel sum, per sample. */
    static float[] score(Model m, Tensor x, Target t) {
        Tensor logits = Backprop.forward(m, x);
        if (t instanceof Target.ClassScore cs) return softmax(logits, cs.cls());
        return t.scores(m, logits);
    }

    /** softmax(logits)[n, cls] per row, computed stably in double. */
    public static float[] softmax(Tensor logits, int cls) {
        int n = logits.dim(0), k = logits.dim(1);
        float[] l = logits.data(), p = new float[n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < k; j++) max = Math.max(max, l[i * k + j]);
            for (int j = 0; j < k; j++) sum += Math.exp(l[i * k + j] - max);
            p[i] = (float) (Math.exp(l[i * k + cls] - max) / sum);
        }
        return p;
    }
}
