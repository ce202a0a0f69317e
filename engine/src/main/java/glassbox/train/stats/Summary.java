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

    /** The statistics of the first {@code n} values of {@code x}. One pass. */
    public static Summary of(float[] x, int n) {
        double sum = 0, sq = 0;
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        int zeros = 0;
        int[] hist = new int[Histogram.BINS];
        for (int i = 0; i < n; i++) {
            float v = x[i];
            sum += v;
            sq += (double) v * v;
            if (v < min) min = v;
            if (v > max) max = v;
            if (v == 0f) zeros++;
            hist[Histogram.bin(v)]++;
        }
        double mean = n == 0 ? 0 : sum / n;
        double var = n == 0 ? 0 : Math.max(0, sq / n - mean * mean);
        return new Summary(n, (float) mean, (float) Math.sqrt(var), n == 0 ? 0 : min, n == 0 ? 0 : max,
                (float) Math.sqrt(sq), n == 0 ? 0 : (float) zeros / n, hist);
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
