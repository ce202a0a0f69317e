package glassbox.train;

/**
 * Per-channel input normalization: {@code x = (pixel/255 - mean[c]) / std[c]}.
 *
 * <p>Centred, unit-scale inputs make the first layer's gradients well scaled (LeCun et al. 1998,
 * "Efficient BackProp"). The statistics come from the training split and are stored in the model file, so
 * evaluation and visualization feed the network exactly what it was trained on.
 */
public record Normalization(float[] mean, float[] std) {
    public Normalization {
        mean = mean.clone();
        std = std.clone();
        if (mean.length != std.length) throw new IllegalArgumentException("mean has " + mean.length + " channels, std " + std.length);
        for (float s : std) if (!(s > 0)) throw new IllegalArgumentException("std must be > 0, got " + s);
    }

    /** Mean and standard deviation of each channel over every pixel of {@code data} (computed in double). */
    public static Normalization of(ImageData data) {
        int c = data.channels(), plane = data.height() * data.width();
        double[] sum = new double[c], sq = new double[c];
        byte[] px = data.pixels();
        for (int i = 0; i < data.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                long s = 0, s2 = 0;
                int off = (i * c + ch) * plane;
                for (int p = 0; p < plane; p++) {
                    int v = px[off + p] & 0xFF;
                    s += v;
                    s2 += v * v;
                }
                sum[ch] += s;
                sq[ch] += s2;
            }
        }
        float[] mean = new float[c], std = new float[c];
        double n = (double) data.size() * plane;
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n, var = sq[ch] / n - m * m;
            mean[ch] = (float) (m / 255);
            std[ch] = (float) (Math.sqrt(Math.max(var, 1e-6)) / 255);
        }
        return new Normalization(mean, std);
    }

    /** Lookup table: normalized value of byte value v in channel c is {@code table[c][v]}. */
    public float[][] table() {
        float[][] t = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            for (int v = 0; v < 256; v++) t[c][v] = (v / 255f - mean[c]) / std[c];
        }
        return t;
    }
}
