package glassbox.layers;

/**
 * Batch normalization of images, [N, C, H, W] → [N, C, H, W]: one mean and variance per channel over the
 * batch and all positions. The math is in {@link BatchNorm}.
 */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(String name, int channels) {
        super(name, channels);
    }

    @Override
    public int[] outputShape(int[] s) {
        requireRank(s, 4, "[N, C, H, W]");
        requireChannels(s);
        return s.clone();
    }
}
