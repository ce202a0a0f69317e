package glassbox.bench;

import java.util.Arrays;
import java.util.Random;

/** Small helpers the kernel benchmarks share: random inputs, medians, and the set-up check fast = reference. */
final class BenchData {
    private BenchData() {
    }

    /** len standard-normal floats. */
    static float[] gaussian(Random r, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /**
     * Throws unless fast agrees with the scalar reference within float rounding of long sums (relative 3e-3),
     * so a benchmark never times a kernel that computes something else.
     */
    static void requireClose(String what, float[] ref, float[] fast) {
        for (int i = 0; i < ref.length; i++) {
            if (!(Math.abs(ref[i] - fast[i]) <= 1e-4f * (1 + Math.abs(ref[i])) * 30)) {
                throw new IllegalStateException(what + ": fast kernel and scalar reference disagree at " + i + ": " + ref[i] + " vs " + fast[i]);
            }
        }
    }
}
