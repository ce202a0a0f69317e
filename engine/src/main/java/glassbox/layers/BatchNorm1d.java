package glassbox.layers;

/**
 * Batch normalization of feature vectors, [N, C] → [N, C]: one mean and variance per feature over the
 * batch. The math is in {@link BatchNorm}.
 */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(String name, int features) {
        super(name, features);
    }

    @Override
    public int[] outputShape(int[] s) {
        requireRank(s, 2, "[N, features]");
        requireChannels(s);
        return s.clone();
    }
}
