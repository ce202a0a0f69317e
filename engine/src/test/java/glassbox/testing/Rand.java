package glassbox.testing;

import glassbox.tensor.Tensor;

import java.util.Random;

/** Seeded random tensors for tests. */
public final class Rand {
    private Rand() {
    }

    public static Tensor normal(long seed, float std, int... shape) {
        return fill(Tensor.zeros(shape), seed, std);
    }

    public static Tensor fill(Tensor t, long seed, float std) {
        Random r = new Random(seed);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian() * std;
        return t;
    }

    /** Pushes values out of (-margin, margin), for layers with a kink at zero. */
    public static Tensor awayFromZero(Tensor t, float margin) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (Math.abs(d[i]) < margin) d[i] = d[i] < 0 ? d[i] - margin : d[i] + margin;
        }
        return t;
    }

    /**
     * Values that are pairwise at least {@code spacing} apart (a shuffled, centred ramp), for max pooling:
     * a finite-difference step smaller than spacing/2 can then never change which input wins a window.
     */
    public static Tensor distinct(long seed, float spacing, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (i - d.length / 2f) * spacing;
        Random r = new Random(seed);
        for (int i = d.length - 1; i > 0; i--) { // Fisher–Yates shuffle
            int j = r.nextInt(i + 1);
            float tmp = d[i];
            d[i] = d[j];
            d[j] = tmp;
        }
        return t;
    }
}
