package glassbox.viz.robustness;

import glassbox.data.Dataset;

/**
 * Dataset samples as floats in pixel units (byte / 255), the space where attacks and corruptions work.
 * Leaves out normalization: {@link Attack} and {@link Predict} apply the model's own.
 */
public final class Pixels {
    private Pixels() {
    }

    /** Samples {@code from .. from+n-1} of {@code d} as [n, C, H, W] floats in 0..1. */
    public static float[] of(Dataset d, int from, int n) {
        int per = d.sampleSize();
        float[] out = new float[n * per];
        byte[] px = d.pixels();
        for (int i = 0; i < n * per; i++) out[i] = (px[from * per + i] & 0xFF) / 255f;
        return out;
    }

    /** Samples at {@code idx} as [len, C, H, W] floats in 0..1. */
    public static float[] of(Dataset d, int[] idx) {
        int per = d.sampleSize();
        float[] out = new float[idx.length * per];
        byte[] px = d.pixels();
        for (int b = 0; b < idx.length; b++) {
            for (int k = 0; k < per; k++) out[b * per + k] = (px[idx[b] * per + k] & 0xFF) / 255f;
        }
        return out;
    }

    /** Labels of samples {@code from .. from+n-1}. */
    public static int[] labels(Dataset d, int from, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = d.label(from + i);
        return y;
    }

    /** Checks that {@code limit} (0 = all) fits {@code d} and returns how many samples to use. */
    public static int limit(Dataset d, int limit) {
        if (limit < 0) throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
        if (limit > d.size()) {
            throw new IllegalArgumentException("--limit " + limit + " is larger than " + d.name() + "/" + d.split() + ", which has " + d.size() + " images");
        }
        return limit == 0 ? d.size() : limit;
    }
}
