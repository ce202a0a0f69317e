package glassbox.data;

import java.util.Arrays;

/**
 * Per-channel standardization: {@code x = (pixel / 255 - mean[c]) / std[c]}, with mean and std measured on
 * the training split (never on the test split, which would leak it into training).
 *
 * <p>Because pixels are bytes, the map is a 256-entry lookup table per channel, built once: applying it is
 * one array read per pixel, and two runs give bit-identical floats. Leaves out per-pixel (ZCA) whitening.
 */
public final class Normalization {
    private final float[] mean;   // [C], in 0..1 units
    private final float[] std;    // [C], in 0..1 units
    private final float[][] table; // [C][256]: the normalized value of each byte

    /** Mean and std per channel in 0..1 pixel units (pixel / 255); std must be positive. */
    public Normalization(float[] mean, float[] std) {
        if (mean.length != std.length) throw new IllegalArgumentException("mean and std lengths differ");
        this.mean = mean.clone();
        this.std = std.clone();
        this.table = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            if (!(std[c] > 0)) throw new IllegalArgumentException("std[" + c + "] = " + std[c] + " must be > 0");
            for (int v = 0; v < 256; v++) table[c][v] = (v / 255f - mean[c]) / std[c];
        }
    }

    /** Only scales pixels to 0..1 (mean 0, std 1) for {@code channels} channels. */
    public static Normalization unit(int channels) {
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        return new Normalization(new float[channels], ones);
    }

    /**
     * Measures mean and std per channel over every pixel of {@code train}. Sums are exact (long integers),
     * so the result does not depend on summation order. A constant channel gets std 1 instead of 0.
     */
    public static Normalization fromTrain(Dataset train) {
        int C = train.channels(), per = train.height() * train.width();
        long[] sum = new long[C], sumSq = new long[C];
        byte[] px = train.pixels();
        for (int i = 0; i < train.size(); i++) {
            for (int c = 0; c < C; c++) {
                int base = (i * C + c) * per;
                long s = 0, q = 0;
                for (int k = 0; k < per; k++) {
                    int v = px[base + k] & 0xFF;
                    s += v;
                    q += v * v;
                }
                sum[c] += s;
                sumSq[c] += q;
            }
        }
        float[] mean = new float[C], std = new float[C];
        double count = (double) train.size() * per;
        for (int c = 0; c < C; c++) {
            double m = sum[c] / count, var = sumSq[c] / count - m * m;
            mean[c] = (float) (m / 255);
            double s = Math.sqrt(Math.max(var, 0)) / 255;
            std[c] = s > 1e-6 ? (float) s : 1f;
        }
        return new Normalization(mean, std);
    }

    public int channels() {
        return mean.length;
    }

    /** Per-channel means, 0..1 units (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-channel standard deviations, 0..1 units (a copy). */
    public float[] std() {
        return std.clone();
    }

    /** The normalized value of byte {@code v} (0..255) in channel {@code c}. */
    public float apply(int c, int v) {
        return table[c][v];
    }

    /** Inverse map for display: the 0..1 intensity of normalized value {@code x} in channel {@code c}. */
    public float unapply(int c, float x) {
        return x * std[c] + mean[c];
    }

    /**
     * Writes sample {@code i} of {@code data} into {@code dst[off ..]} as C*H*W normalized floats (one NCHW
     * sample).
     */
    public void applySample(Dataset data, int i, float[] dst, int off) {
        if (data.channels() != mean.length) {
            throw new IllegalArgumentException(data.name() + " has " + data.channels() + " channels, normalization "
                    + mean.length);
        }
        int per = data.height() * data.width();
        byte[] px = data.pixels();
        int src = i * data.sampleSize();
        for (int c = 0; c < mean.length; c++) {
            float[] t = table[c];
            for (int k = 0; k < per; k++) dst[off + c * per + k] = t[px[src + c * per + k] & 0xFF];
        }
    }

    @Override
    public String toString() {
        return "Normalization(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
