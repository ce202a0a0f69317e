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
}
