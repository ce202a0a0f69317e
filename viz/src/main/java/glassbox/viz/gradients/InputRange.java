package glassbox.viz.gradients;

import glassbox.train.Normalization;

/**
 * The model-input values a real picture can take, per channel: pixel 0 and 255 after normalization,
 * {@code (0 - mean)/std} and {@code (1 - mean)/std}. Images synthesized by gradient ascent are clipped to it,
 * and turned back into 8-bit pixels with {@link #toPixel}.
 *
 * @param lo per channel [C]
 * @param hi per channel [C]
 */
public record InputRange(float[] lo, float[] hi, Normalization norm) {
    /** The range of inputs normalized with {@code norm}. */
    public static InputRange of(Normalization norm) {
        int c = norm.channels();
        float[] lo = new float[c], hi = new float[c];
        for (int ch = 0; ch < c; ch++) {
            lo[ch] = -norm.mean()[ch] / norm.std()[ch];
            hi[ch] = (1 - norm.mean()[ch]) / norm.std()[ch];
        }
        return new InputRange(lo, hi, norm);
    }

    /** Clamps [C, H*W] values into the range, in place. */
    public void clamp(float[] x, int hw) {
        for (int ch = 0; ch < lo.length; ch++) {
            for (int i = ch * hw; i < (ch + 1) * hw; i++) x[i] = Math.clamp(x[i], lo[ch], hi[ch]);
        }
    }

    /** The 8-bit pixel value (0..255, rounded and clamped) of model-input value {@code v} in channel {@code c}. */
    public int toPixel(float v, int c) {
        return (int) Math.clamp(Math.round((v * norm.std()[c] + norm.mean()[c]) * 255), 0, 255);
    }
}
