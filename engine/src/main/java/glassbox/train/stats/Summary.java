package glassbox.train.stats;

/**
 * Statistics of one tensor at one step: count, mean, standard deviation (population: divided by n), min,
 * max, L2 norm, the fraction of exact zeros, and the counts in the fixed {@link Histogram} bins.
 * Sums are kept in double; the fields are floats because that is all a chart needs and it halves the run file.
 *
 * @param n     number of values
 * @param mean  Σx / n
 * @param std   sqrt(Σx²/n - mean²)
 * @param min   smallest value
 * @param max   largest value
 * @param norm  sqrt(Σx²)
 * @param zeros fraction of values exactly 0
 * @param hist  counts per {@link Histogram} bin ({@value Histogram#BINS} entries)
 */
public record Summary(int n, float mean, float std, float min, float max, float norm, float zeros, int[] hist) {

    /**
     * The statistics of the first {@code n} values of {@code x}. One pass, two values at a time into two sets of
     * sums and two histograms: consecutive values often fall into the same bin, and two counters for it let their
     * increments overlap instead of waiting for each other (the same for the sums). Roughly halves the time.
     */
    public static Summary of(float[] x, int n) {
        double sumA = 0, sumB = 0, sqA = 0, sqB = 0;
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        int zeros = 0;
        int[] histA = new int[Histogram.BINS], histB = new int[Histogram.BINS];
        int i = 0;
        for (; i + 1 < n; i += 2) {
            float a = x[i], b = x[i + 1];
            sumA += a;
            sumB += b;
            sqA += (double) a * a;
            sqB += (double) b * b;
            if (a < min) min = a; // rarely true after the first values: predictable branches
            if (b < min) min = b;
            if (a > max) max = a;
            if (b > max) max = b;
            zeros += (a == 0f ? 1 : 0) + (b == 0f ? 1 : 0);
            histA[Histogram.bin(a)]++;
            histB[Histogram.bin(b)]++;
        }
        if (i < n) { // odd count: the last value
            float a = x[i];
            sumA += a;
            sqA += (double) a * a;
            if (a < min) min = a;
            if (a > max) max = a;
            if (a == 0f) zeros++;
            histA[Histogram.bin(a)]++;
        }
        for (int k = 0; k < Histogram.BINS; k++) histA[k] += histB[k];
        double sum = sumA + sumB, sq = sqA + sqB;
        double mean = n == 0 ? 0 : sum / n;
        double var = n == 0 ? 0 : Math.max(0, sq / n - mean * mean);
        return new Summary(n, (float) mean, (float) Math.sqrt(var), n == 0 ? 0 : min, n == 0 ? 0 : max,
                (float) Math.sqrt(sq), n == 0 ? 0 : (float) zeros / n, histA);
    }

    /** The statistics of every value of {@code x}. */
    public static Summary of(float[] x) {
        return of(x, x.length);
    }

    /** The statistics of {@code a - b}, elementwise over their first {@code n} values (an update: new - old weights). */
    static Summary ofDifference(float[] a, float[] b, int n, float[] scratch) {
        for (int i = 0; i < n; i++) scratch[i] = a[i] - b[i];
        return of(scratch, n);
    }
}
