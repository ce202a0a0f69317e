package glassbox.viz.robustness;

import org.joml.Matrix3x2f;

import java.util.SplittableRandom;

/**
 * Common image corruptions at five severities, in the spirit of CIFAR-10-C (Hendrycks and Dietterich 2019,
 * "Benchmarking Neural Network Robustness to Common Corruptions and Perturbations") and MNIST-C (Mu and
 * Gilmer 2019). Severity 0 is the clean image; each level's parameter is in {@link #levels()}. Images are
 * pixel units 0..1, [C, H, W]; results are clamped to [0, 1]. Geometric ones are JOML affine maps
 * ({@link Geometry}) about the image centre with bilinear sampling and black outside. Leaves out the
 * weather and digital families of CIFAR-10-C (fog, frost, JPEG, pixelate).
 */
public enum Corruption {
    /** Additive Gaussian noise, standard deviation in pixel units. */
    NOISE("noise sigma (pixel units)", 0, 0.05f, 0.1f, 0.2f, 0.3f, 0.5f),
    /** Gaussian blur, standard deviation in pixels. */
    BLUR("blur sigma (pixels)", 0, 0.5f, 1, 1.5f, 2, 3),
    /** Contrast towards each image's mean: p' = m + c (p - m). */
    CONTRAST("contrast factor", 1, 0.75f, 0.5f, 0.3f, 0.2f, 0.1f),
    /** Added brightness: p' = p + b. */
    BRIGHTNESS("brightness added (pixel units)", 0, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f),
    /** Rotation about the centre, degrees clockwise. */
    ROTATE("rotation (degrees)", 0, 10, 20, 30, 45, 60),
    /** Shift right and down by the same number of pixels. */
    TRANSLATE("shift right and down (pixels)", 0, 1, 2, 3, 4, 6),
    /** Zoom out about the centre. */
    SCALE("scale factor", 1, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f),
    /** Horizontal shear x' = x + k y about the centre. */
    SHEAR("shear k", 0, 0.1f, 0.2f, 0.3f, 0.45f, 0.6f);

    private final String parameter;
    private final float[] levels;

    Corruption(String parameter, float... levels) {
        this.parameter = parameter;
        this.levels = levels;
    }

    /** What the levels measure. */
    public String parameter() {
        return parameter;
    }

    /** The parameter at severities 0..5 (a copy). */
    public float[] levels() {
        return levels.clone();
    }

    /** Lower-case name as on the command line. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The affine map of a geometric corruption at {@code level}, or null for a photometric one. */
    public Matrix3x2f transform(float level, int w, int h) {
        return switch (this) {
            case ROTATE -> Geometry.rotation(level, w, h);
            case TRANSLATE -> Geometry.translation(level, level);
            case SCALE -> Geometry.scaling(level, w, h);
            case SHEAR -> Geometry.shear(level, w, h);
            default -> null;
        };
    }

    /** {@code img} [C, H, W] corrupted at parameter {@code level}; {@code seed} drives the noise. */
    public float[] apply(float[] img, int c, int h, int w, float level, long seed) {
        float[] out;
        switch (this) {
            case NOISE -> {
                out = img.clone();
                SplittableRandom r = new SplittableRandom(seed);
                if (level > 0) for (int i = 0; i < out.length; i++) out[i] += (float) (r.nextGaussian() * level);
            }
            case BLUR -> out = level > 0 ? blur(img, c, h, w, level) : img.clone();
            case CONTRAST -> {
                out = new float[img.length];
                int plane = h * w;
                for (int ch = 0; ch < c; ch++) {
                    double m = 0;
                    for (int i = ch * plane; i < (ch + 1) * plane; i++) m += img[i];
                    float mean = (float) (m / plane);
                    for (int i = ch * plane; i < (ch + 1) * plane; i++) out[i] = mean + level * (img[i] - mean);
                }
            }
            case BRIGHTNESS -> {
                out = new float[img.length];
                for (int i = 0; i < img.length; i++) out[i] = img[i] + level;
            }
            default -> out = Geometry.warp(img, c, h, w, transform(level, w, h));
        }
        for (int i = 0; i < out.length; i++) out[i] = Math.min(1f, Math.max(0f, out[i]));
        return out;
    }

    /** Separable Gaussian blur, kernel radius ceil(3 sigma), borders clamped (replicated edge). */
    static float[] blur(float[] img, int c, int h, int w, float sigma) {
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double s = 0;
        for (int i = -r; i <= r; i++) s += k[i + r] = (float) Math.exp(-i * i / (2.0 * sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= (float) s;
        float[] tmp = new float[img.length], out = new float[img.length];
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            int o = ch * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = 0;
                    for (int i = -r; i <= r; i++) v += k[i + r] * img[o + y * w + Math.min(w - 1, Math.max(0, x + i))];
                    tmp[o + y * w + x] = v;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = 0;
                    for (int i = -r; i <= r; i++) v += k[i + r] * tmp[o + Math.min(h - 1, Math.max(0, y + i)) * w + x];
                    out[o + y * w + x] = v;
                }
            }
        }
        return out;
    }
}
