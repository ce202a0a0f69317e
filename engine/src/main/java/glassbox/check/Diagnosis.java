package glassbox.check;

import java.util.Arrays;
import java.util.Locale;

/**
 * Why a backward pass disagrees with finite differences, guessed from the pattern of the disagreement over
 * every element checked: the words {@link GradCheck} adds to a failed check so a student knows where to look.
 *
 * <p>The patterns, tried in order, each the fingerprint of a common bug:
 * <ul>
 *   <li>backward leaves the gradient at zero (never written, or written into a copy);</li>
 *   <li>the forward pass does not depend on the tensor, yet backward reports a gradient;</li>
 *   <li>analytic = c · numeric for one constant c: c = -1 is a flipped sign, c = 2 or 1/2 a missing or extra
 *       factor 2 (the derivative of x²), c = k or 1/k a missing or extra 1/k (a mean where the forward pass
 *       sums, or the batch size);</li>
 *   <li>the right values in the wrong places (the same numbers, sorted, but not element by element): an index
 *       or transpose error;</li>
 *   <li>only a few elements wrong: an edge case (padding borders, the last row or column, ties in a max).</li>
 * </ul>
 * Leaves out anything that needs the layer's code: it only reads the two gradients.
 */
public final class Diagnosis {
    private Diagnosis() {
    }

    /**
     * The likely cause, one sentence (or a plain "no simple pattern" when none fits).
     *
     * @param analytic values backward gave, one per element checked
     * @param numeric  central differences of the same elements
     * @param complete whether every element of the tensor was checked (needed to recognise a permutation)
     * @param tol      relative tolerance per element, as in the check
     */
    public static String likelyCause(double[] analytic, double[] numeric, boolean complete, double tol) {
        int n = analytic.length;
        double scaleA = maxAbs(analytic), scaleN = maxAbs(numeric);
        if (scaleA == 0 && scaleN > 0) {
            return "backward leaves this gradient at zero: it is never written (forgot to add into param.grad(), "
                    + "or filled a tensor that is not the one returned)";
        }
        if (scaleN < 1e-6 * Math.max(scaleA, 1e-30) || (scaleN == 0 && scaleA > 0)) {
            return "the output does not change when this tensor changes, yet backward reports a gradient: does forward "
                    + "read this tensor (and not a copy of it)?";
        }
        double floor = GradCheck.FLOOR * Math.max(scaleA, scaleN);
        // Least-squares factor c in analytic ≈ c · numeric, and whether it explains every element.
        double an = 0, nn = 0;
        for (int i = 0; i < n; i++) {
            an += analytic[i] * numeric[i];
            nn += numeric[i] * numeric[i];
        }
        double c = an / nn;
        int fit = 0, agree = 0;
        for (int i = 0; i < n; i++) {
            double size = Math.max(Math.abs(c * numeric[i]), floor);
            if (Math.abs(analytic[i] - c * numeric[i]) <= 4 * tol * size) fit++;
            if (Math.abs(analytic[i] - numeric[i]) <= tol * Math.max(Math.abs(numeric[i]), floor)) agree++;
        }
        if (fit == n && Math.abs(c - 1) > 4 * tol) return factor(c);
        if (complete && n > 1 && sameValues(analytic, numeric, tol, floor)) {
            return "the right values in the wrong places (the same numbers, sorted, but not element by element): an index "
                    + "or transpose error, e.g. w[o][i] read as w[i][o], rows and columns swapped, or a wrong stride in a flat index";
        }
        int wrong = n - agree;
        if (wrong * 5 <= n) {
            return String.format(Locale.ROOT, "only %d of %d elements checked disagree: an edge case, e.g. the padding "
                    + "border, the first or last row or column, a stride, or ties in a max", wrong, n);
        }
        return "no simple pattern (not a sign, a constant factor or a permutation): compare each term of your "
                + "derivative with the forward formula, for one element by hand";
    }

    /** The sentence for analytic = c · numeric. */
    private static String factor(double c) {
        String ratio = String.format(Locale.ROOT, "analytic = %.4g × numeric for every element checked", c);
        if (near(c, -1)) return ratio + ": the sign is flipped (a minus where a plus belongs, or y - t instead of t - y)";
        double m = Math.abs(c);
        String sign = c < 0 ? " and the sign is flipped" : "";
        if (near(m, 2)) return ratio + ": an extra factor 2" + sign + " (e.g. d(x²)/dx = 2x counted twice, or a sum of two paths added again)";
        if (near(m, 0.5)) return ratio + ": a missing factor 2" + sign + " (e.g. d(x²)/dx is 2x, not x)";
        long k = Math.round(m), inv = Math.round(1 / m);
        if (k >= 3 && near(m, k)) {
            return ratio + ": a missing 1/" + k + sign + " (a sum where the forward pass takes a mean over " + k
                    + " values, e.g. the batch or a window)";
        }
        if (inv >= 3 && near(1 / m, inv)) {
            return ratio + ": an extra 1/" + inv + sign + " (a mean where the forward pass sums " + inv
                    + " values, e.g. dividing by the batch size twice)";
        }
        return ratio + ": a constant factor" + sign + " (a scale, a learning-rate-like constant or a normalisation applied in one pass only)";
    }

    private static boolean near(double a, double b) {
        return Math.abs(a - b) <= 0.02 * Math.abs(b);
    }

    /** Whether the two arrays hold the same values in some order. */
    private static boolean sameValues(double[] a, double[] b, double tol, double floor) {
        double[] x = a.clone(), y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        for (int i = 0; i < x.length; i++) if (Math.abs(x[i] - y[i]) > tol * Math.max(Math.abs(y[i]), floor)) return false;
        return true;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    /** Element {@code flat} of a tensor of this shape as coordinates, e.g. {@code [0, 2, 3, 1]}. */
    public static String coordinates(int flat, int[] shape) {
        if (shape == null || shape.length == 0) return "[" + flat + "]";
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = flat % shape[d];
            flat /= shape[d];
        }
        return Arrays.toString(at);
    }
}
