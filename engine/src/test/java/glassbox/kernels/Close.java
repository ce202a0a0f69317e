package glassbox.kernels;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Comparison of a fast kernel's output with its scalar twin. The two sum in different orders, so they may
 * differ by float rounding: the tolerance of each element is relative to the magnitude of its sum
 * (the same sum over absolute values), never to the result itself, which can cancel to near zero.
 */
final class Close {
    private Close() {
    }

    /** Index of the first element where |expected - actual| > tol * magnitude (+ a tiny absolute floor), or -1. */
    static int firstMismatch(float[] expected, float[] actual, float[] magnitude, double tol) {
        for (int i = 0; i < expected.length; i++) {
            double bound = tol * Math.abs(magnitude[i]) + 1e-30;
            double diff = Math.abs((double) expected[i] - actual[i]);
            if (!(diff <= bound)) return i; // also catches NaN
        }
        return -1;
    }

    static void assertClose(String what, float[] expected, float[] actual, float[] magnitude, double tol) {
        int i = firstMismatch(expected, actual, magnitude, tol);
        if (i >= 0) {
            fail(what + ": element " + i + " expected " + expected[i] + " got " + actual[i]
                    + " (magnitude " + magnitude[i] + ", tolerance " + tol + ")");
        }
    }

    static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.abs(x[i]);
        return y;
    }

    static float[] random(java.util.Random r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    /** The arrays one after another: several outputs of one run, to compare runs in one assertion. */
    static float[] concat(float[]... parts) {
        int len = 0;
        for (float[] p : parts) len += p.length;
        float[] out = new float[len];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
