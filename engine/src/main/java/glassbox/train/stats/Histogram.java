package glassbox.train.stats;

/**
 * The fixed histogram bins every recorded tensor is counted into: one bin per power of two of the
 * magnitude, on each side of zero, so that weights (~1e-1), gradients (~1e-4) and updates (~1e-6) of any
 * layer, step or run land on the same grid and can be compared directly.
 *
 * <p>{@value #BINS} bins, from the most negative value to the most positive:
 * <pre>
 *   bin 0                  x ≤ -2^(MAX_EXP-1)      (open-ended: -2^7 = -128 and below, -∞ included)
 *   bin i, 0 &lt; i &lt; 40      -2^(MAX_EXP-i) &lt; x ≤ -2^(MAX_EXP-1-i)
 *   bin 40 (the centre)    |x| &lt; 2^MIN_EXP = 2^-32 ≈ 2.3e-10 (exact zeros, underflow)
 *   bin 41 + k             2^(MIN_EXP+k) ≤ x &lt; 2^(MIN_EXP+k+1),  k = 0..39  (bin 80 open-ended: +∞ included)
 * </pre>
 * A value's bin is read from the exponent bits of its float, so binning costs a shift and a mask, no
 * logarithm. NaN lands in an outermost bin (its exponent bits are all ones). Leaves out finer bins: one bin
 * per octave is enough to see a distribution move by orders of magnitude, which is what the charts show.
 */
public final class Histogram {
    /** Magnitudes below 2^MIN_EXP count as zero (the centre bin). */
    public static final int MIN_EXP = -32;
    /** Magnitudes of 2^MAX_EXP and above share the outermost bin. */
    public static final int MAX_EXP = 8;
    /** Bins per sign. */
    public static final int SIDE = MAX_EXP - MIN_EXP;
    /** Total bins: both sides plus the centre. */
    public static final int BINS = 2 * SIDE + 1;
    /** Index of the centre bin (|x| &lt; 2^MIN_EXP). */
    public static final int CENTRE = SIDE;

    private Histogram() {
    }

    /**
     * The bin of {@code x}. Without branches (a ReLU output is zero or not at random, a gradient's sign is random,
     * and a mispredicted branch would cost more than the rest): {@code m} is 0 for the centre and 1..SIDE for the
     * magnitude bins, and the sign flips it to the negative side.
     */
    public static int bin(float x) {
        int bits = Float.floatToRawIntBits(x);
        int e = ((bits >>> 23) & 0xff) - 127; // floor(log2 |x|) for normal floats; -127 for 0 and subnormals
        int m = Math.max(0, Math.min(e - MIN_EXP + 1, SIDE));
        int sign = bits >> 31; // 0, or -1 for negative values
        return CENTRE + (m ^ sign) - sign; // CENTRE + m, or CENTRE - m
    }

    /** Lower edge of bin {@code b}'s magnitude range (its edge nearest zero): 2^e, negative for negative bins, 0 for the centre. */
    public static double innerEdge(int b) {
        if (b == CENTRE) return 0;
        return b > CENTRE ? Math.scalb(1.0, MIN_EXP + (b - CENTRE - 1)) : -Math.scalb(1.0, MIN_EXP + (CENTRE - 1 - b));
    }

    /** Outer edge of bin {@code b} (twice the inner one; ±2^MIN_EXP for the centre; unbounded bins report 2^MAX_EXP). */
    public static double outerEdge(int b) {
        if (b == CENTRE) return Math.scalb(1.0, MIN_EXP);
        return 2 * innerEdge(b);
    }

    /** A short label for bin {@code b}, e.g. "+2^-7" (its inner edge) or "0". */
    public static String label(int b) {
        if (b == CENTRE) return "0";
        int e = b > CENTRE ? MIN_EXP + (b - CENTRE - 1) : MIN_EXP + (CENTRE - 1 - b);
        return (b > CENTRE ? "+" : "-") + "2^" + e;
    }
}
