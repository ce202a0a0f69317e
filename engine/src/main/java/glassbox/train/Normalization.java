package glassbox.train;

import java.util.Arrays;

/**
 * Per-channel input normalization: {@code x = (pixel/255 - mean[c]) / std[c]}, the one normalization of
 * Glassbox (training, evaluation, visualization and model files all use this record).
 *
 * <p>Centred, unit-scale inputs make the first layer's gradients well scaled (LeCun et al. 1998,
 * "Efficient BackProp"). The statistics come from the training split (never the test split, which would leak
 * it into training) and are stored in the model file, so evaluation and visualization feed the network
 * exactly what it was trained on. Because pixels are bytes, applying it is a 256-entry lookup per channel
 * ({@link #table()}), so two runs give bit-identical floats. Leaves out per-pixel (ZCA) whitening.
 *
 * @param mean per-channel means [C], in 0..1 pixel units (pixel / 255)
 * @param std  per-channel standard deviations [C], 0..1 units, each > 0
 */
public record Normalization(float[] mean, float[] std) {
    public Normalization {
        mean = mean.clone();
        std = std.clone();
        if (mean.length != std.length) throw new IllegalArgumentException("mean has " + mean.length + " channels, std " + std.length);
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0)) throw new IllegalArgumentException("std[" + c + "] = " + std[c] + " must be > 0");
        }
    }

    /** Only scales pixels to 0..1 (mean 0, std 1) for {@code channels} channels. */
    public static Normalization unit(int channels) {
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        return new Normalization(new float[channels], ones);
    }

    /**
     * Mean and standard deviation of each channel over every pixel of {@code train}. Sums are exact (long
     * integers), so the result does not depend on summation order. A constant channel gets std 1 instead of 0.
     * (A {@code glassbox.data.Dataset} passes itself as {@code dataset.images()}, without copying.)
     */
    public static Normalization of(ImageData train) {
        int C = train.channels(), plane = train.height() * train.width();
        long[] sum = new long[C], sumSq = new long[C];
        byte[] px = train.pixels();
        for (int i = 0; i < train.size(); i++) {
            for (int c = 0; c < C; c++) {
                int base = (i * C + c) * plane;
                long s = 0, q = 0;
                for (int k = 0; k < plane; k++) {
                    int v = px[base + k] & 0xFF;
                    s += v;
                    q += v * v;
                }
                sum[c] += s;
                sumSq[c] += q;
            }
        }
        float[] mean = new float[C], std = new float[C];
        double count = (double) train.size() * plane;
        for (int c = 0; c < C; c++) {
            double m = sum[c] / count, var = sumSq[c] / count - m * m;
            mean[c] = (float) (m / 255);
            double s = Math.sqrt(Math.max(var, 0)) / 255;
            std[c] = s > 1e-6 ? (float) s : 1f;
        }
        return new Normalization(mean, std);
    }

    /** Number of channels C. */
    public int channels() {
        return mean.length;
    }

    /** Per-channel means, 0..1 units (a copy). */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** Per-channel standard deviations, 0..1 units (a copy). */
    @Override
    public float[] std() {
        return std.clone();
    }

    /** Lookup table [C][256]: the normalized value of byte value v in channel c is {@code table[c][v]}. */
    public float[][] table() {
        float[][] t = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            for (int v = 0; v < 256; v++) t[c][v] = (v / 255f - mean[c]) / std[c];
        }
        return t;
    }

    @Override
    public String toString() {
        return "Normalization(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
