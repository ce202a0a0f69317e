package glassbox.viz.render;

/**
 * The interval of values mapped onto a colormap or onto 0..255: {@code t = (v - min) / (max - min)}.
 *
 * <p>"Global" scaling uses one range for a whole sheet, so brightness compares across tiles; "per-tile"
 * scaling stretches each tile to its own range, so weak tiles stay visible. A symmetric range
 * {@code [-m, m]} keeps 0 at the centre of a diverging map. A constant input gets a range of width 1
 * around its value, so it renders mid-grey instead of dividing by zero.
 */
public record ValueRange(float min, float max) {
    public ValueRange {
        if (!(max >= min)) throw new IllegalArgumentException("bad range [" + min + ", " + max + "]");
    }

    /** Range of {@code v[from .. from+len)}, ignoring non-finite values. */
    public static ValueRange of(float[] v, int from, int len) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + len; i++) {
            if (!Float.isFinite(v[i])) continue;
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
        }
        if (lo > hi) return new ValueRange(0, 1);
        if (lo == hi) return new ValueRange(lo - 0.5f, hi + 0.5f);
        return new ValueRange(lo, hi);
    }

    public static ValueRange of(float[] v) {
        return of(v, 0, v.length);
    }

    /** {@code [-m, m]} with m the largest |value| in {@code v[from .. from+len)}. */
    public static ValueRange symmetric(float[] v, int from, int len) {
        float m = 0;
        for (int i = from; i < from + len; i++) if (Float.isFinite(v[i])) m = Math.max(m, Math.abs(v[i]));
        return m == 0 ? new ValueRange(-1, 1) : new ValueRange(-m, m);
    }

    /** The largest |value| in {@code v[from .. from+len)} (0 for an all-zero or empty slice). */
    public static float maxAbs(float[] v, int from, int len) {
        float m = 0;
        for (int i = from; i < from + len; i++) if (Float.isFinite(v[i])) m = Math.max(m, Math.abs(v[i]));
        return m;
    }

    /** True when every value of {@code v[from .. from+len)} is exactly 0: a dead map or kernel. */
    public static boolean allZero(float[] v, int from, int len) {
        for (int i = from; i < from + len; i++) if (v[i] != 0f) return false;
        return true;
    }

    public static ValueRange symmetric(float[] v) {
        return symmetric(v, 0, v.length);
    }

    /** Position of {@code v} in the range, in [0, 1] (clamped). */
    public double t(float v) {
        double t = (v - (double) min) / ((double) max - min);
        return Math.max(0, Math.min(1, t));
    }

    /** {@code v} scaled to 0..255. */
    public int byteValue(float v) {
        return (int) Math.round(255 * t(v));
    }

    /** The smallest range containing both. */
    public ValueRange union(ValueRange o) {
        return new ValueRange(Math.min(min, o.min), Math.max(max, o.max));
    }
}
