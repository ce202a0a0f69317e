package glassbox.viz.robustness;

import org.joml.Matrix3x2f;
import org.joml.Vector2f;

/**
 * Geometric transforms of images as JOML {@link Matrix3x2f} affine maps, and the bilinear resampling that
 * applies them.
 *
 * <p>Coordinates are continuous with pixel (x, y) covering [x, x+1) x [y, y+1), so its centre is
 * (x + 0.5, y + 0.5) and the image centre is (W/2, H/2); y points down. A matrix maps a point of the input
 * image to where it lands in the output; {@link #warp} inverts it once and, for each output pixel centre,
 * samples the input there bilinearly, black (0) outside. Transforms compose by matrix product: applying A,
 * then B, is {@code new Matrix3x2f(B).mul(A)}. Leaves out other interpolations (nearest, bicubic) and border
 * modes (reflect, replicate).
 */
public final class Geometry {
    static {
        // JOML's default memory helper uses sun.misc.Unsafe, which JDK 25 warns about on stderr; the plain
        // Java one is as fast for 3x2 matrices.
        if (System.getProperty("joml.nounsafe") == null) System.setProperty("joml.nounsafe", "true");
    }

    private Geometry() {
    }

    /** Rotation by {@code degrees} about the centre of a {@code w x h} image (clockwise on screen, y down). */
    public static Matrix3x2f rotation(float degrees, int w, int h) {
        return aboutCentre(new Matrix3x2f().rotation((float) Math.toRadians(degrees)), w, h);
    }

    /** Shift by (dx, dy) pixels. */
    public static Matrix3x2f translation(float dx, float dy) {
        return new Matrix3x2f().translation(dx, dy);
    }

    /** Scaling by {@code s} about the centre. */
    public static Matrix3x2f scaling(float s, int w, int h) {
        return aboutCentre(new Matrix3x2f().scaling(s), w, h);
    }

    /** Horizontal shear x' = x + k·y about the centre. */
    public static Matrix3x2f shear(float k, int w, int h) {
        // Matrix3x2f(m00, m01, m10, m11, m20, m21): columns (m00, m01), (m10, m11), translation (m20, m21).
        return aboutCentre(new Matrix3x2f(1, 0, k, 1, 0, 0), w, h);
    }

    /** T(c) · m · T(-c): {@code m} about the image centre c instead of the origin. */
    static Matrix3x2f aboutCentre(Matrix3x2f m, int w, int h) {
        return new Matrix3x2f().translation(w / 2f, h / 2f).mul(m).translate(-w / 2f, -h / 2f);
    }

    /**
     * The image {@code src} [C, H, W] moved by {@code forward} (input point → output point), sampled
     * bilinearly at each output pixel centre; black where the source point falls outside.
     */
    public static float[] warp(float[] src, int c, int h, int w, Matrix3x2f forward) {
        Matrix3x2f inv = new Matrix3x2f(forward).invert();
        float[] out = new float[c * h * w];
        Vector2f p = new Vector2f();
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                inv.transformPosition(p.set(x + 0.5f, y + 0.5f));
                float sx = p.x - 0.5f, sy = p.y - 0.5f; // in pixel-index units
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                float fx = sx - x0, fy = sy - y0;
                for (int ch = 0; ch < c; ch++) {
                    int o = ch * plane;
                    float v00 = at(src, o, x0, y0, w, h), v10 = at(src, o, x0 + 1, y0, w, h);
                    float v01 = at(src, o, x0, y0 + 1, w, h), v11 = at(src, o, x0 + 1, y0 + 1, w, h);
                    out[o + y * w + x] = (1 - fy) * ((1 - fx) * v00 + fx * v10) + fy * ((1 - fx) * v01 + fx * v11);
                }
            }
        }
        return out;
    }

    private static float at(float[] src, int off, int x, int y, int w, int h) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0f : src[off + y * w + x];
    }
}
