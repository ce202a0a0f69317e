package glassbox.data;

import glassbox.tensor.Tensor;

/**
 * One mini-batch: normalized images {@code [B, C, H, W]}, their labels {@code [B]} and the sample indices
 * they came from (so a visualization can go back to the raw pixels of {@code Dataset}).
 *
 * @param images  [B, C, H, W] normalized floats, a fresh tensor owned by the caller
 * @param labels  [B] class indices, 0..numClasses-1
 * @param indices [B] positions of the samples in the dataset
 */
public record Batch(Tensor images, int[] labels, int[] indices) {
    public int size() {
        return labels.length;
    }

    /** Labels as one-hot rows: [B, numClasses], 1 at the label, 0 elsewhere. */
    public Tensor oneHot(int numClasses) {
        Tensor t = Tensor.zeros(labels.length, numClasses);
        for (int b = 0; b < labels.length; b++) t.data()[b * numClasses + labels[b]] = 1f;
        return t;
    }
}
