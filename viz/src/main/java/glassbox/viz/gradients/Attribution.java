package glassbox.viz.gradients;

/**
 * One explanation of one image: a map over the input's pixels, and the per-channel numbers it came from.
 *
 * @param method   method name, e.g. "saliency", "integrated-gradients"
 * @param target   what was explained, e.g. "class 3 (3)" or "conv2 channel 5"
 * @param score    the explained score at the input (logit, channel sum, or probability for occlusion)
 * @param channels C of the input
 * @param height   H
 * @param width    W
 * @param raw      the method's numbers per input channel [C, H, W] (e.g. the gradient itself); for maps that
 *                 have no channels (Grad-CAM, occlusion) C = 1 copy of {@code map}
 * @param map      the 2-D map shown [H, W] (how it is reduced over channels is stated by each method)
 * @param signed   whether the map has meaningful signs (shown on a zero-centred diverging colour map)
 * @param min      smallest value of {@code map}
 * @param max      largest value of {@code map}
 */
public record Attribution(String method, String target, double score, int channels, int height, int width,
                          float[] raw, float[] map, boolean signed, float min, float max) {
    /** Builds the record, computing the value range of {@code map}. */
    public static Attribution of(String method, String target, double score, int channels, int height, int width,
                                 float[] raw, float[] map, boolean signed) {
        if (raw.length != channels * height * width && raw.length != height * width) {
            throw new IllegalArgumentException(method + ": raw has " + raw.length + " values for " + channels + "x" + height + "x" + width);
        }
        if (map.length != height * width) throw new IllegalArgumentException(method + ": map has " + map.length + " values for " + height + "x" + width);
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return new Attribution(method, target, score, channels, height, width, raw, map, signed, lo, hi);
    }

    /** Sum of every raw value (over channels and pixels): the total attribution, for completeness checks. */
    public double rawSum() {
        double s = 0;
        for (float v : raw) s += v;
        return s;
    }
}
