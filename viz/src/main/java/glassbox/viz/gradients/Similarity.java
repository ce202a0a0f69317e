package glassbox.viz.gradients;

import java.util.Arrays;

/**
 * How alike two maps are, as used by {@link SanityCheck}: Spearman's rank correlation and SSIM.
 */
public final class Similarity {
    private Similarity() {
    }

    /**
     * Spearman rank correlation of a and b (Pearson correlation of their ranks, ties get their mean rank);
     * NaN (undefined) if either is constant, e.g. an all-zero Grad-CAM map.
     */
    public static double spearman(float[] a, float[] b) {
        return pearson(ranks(a), ranks(b));
    }

    static double[] ranks(float[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) idx[i] = i;
        Arrays.sort(idx, (p, q) -> Float.compare(v[p], v[q]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) j++;
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) r[idx[k]] = mean;
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] a, double[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Double.NaN;
    }

    /**
     * Structural similarity (Wang et al. 2004) of two [h, w] maps, each first scaled to [0, 1] by its own
     * minimum and maximum, with scikit-image's defaults: 7x7 uniform windows (valid positions only),
     * K1 = 0.01, K2 = 0.03, data range 1, sample covariances. Mean over windows.
     */
    public static double ssim(float[] a, float[] b, int h, int w) {
        double[] x = unit(a), y = unit(b);
        int win = Math.min(7, Math.min(h, w)), np = win * win;
        double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03, sum = 0, cov = np / (np - 1.0);
        int count = 0;
        for (int y0 = 0; y0 + win <= h; y0++) {
            for (int x0 = 0; x0 + win <= w; x0++) {
                double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
                for (int i = 0; i < win; i++)
                    for (int j = 0; j < win; j++) {
                        int k = (y0 + i) * w + x0 + j;
                        mx += x[k];
                        my += y[k];
                        sxx += x[k] * x[k];
                        syy += y[k] * y[k];
                        sxy += x[k] * y[k];
                    }
                mx /= np;
                my /= np;
                double vx = (sxx / np - mx * mx) * cov, vy = (syy / np - my * my) * cov, vxy = (sxy / np - mx * my) * cov;
                sum += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                count++;
            }
        }
        return sum / count;
    }

    private static double[] unit(float[] v) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        double[] u = new double[v.length];
        for (int i = 0; i < v.length; i++) u[i] = hi > lo ? (v[i] - lo) / (hi - lo) : 0;
        return u;
    }
}
