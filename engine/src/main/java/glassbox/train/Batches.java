package glassbox.train;

import java.util.SplittableRandom;

/**
 * Mini-batches of one epoch: a seeded shuffle of the sample order, then consecutive slices of
 * {@code batchSize} (the last one may be smaller). Each batch is filled as normalized floats, optionally
 * augmented.
 *
 * <p>Augmentation for CIFAR-style training (He et al. 2016, "Deep Residual Learning", section 4.2): pad
 * the image by {@code pad} pixels of black on each side and take a random crop of the original size, then
 * flip it left-right with probability 1/2.
 *
 * <p>Determinism: the order of epoch {@code e} comes from a random stream seeded by (seed, e), and the
 * crops and flips of batch {@code b} from one seeded by (seed, e, b). So any batch can be rebuilt from
 * three numbers, on any thread, in any order: a resumed run sees exactly the batches an uninterrupted one
 * would, and background preparation changes nothing. Leaves out other augmentations (colour jitter,
 * cutout, mixup) and class-balanced sampling.
 */
public final class Batches {
    /** One prepared batch: {@code x} [n, C, H, W] normalized, {@code y} [n] labels. */
    public record Batch(int index, int n, float[] x, int[] y) {
    }

    private final ImageData data;
    private final float[][] table; // [channel][byte value] -> normalized float
    private final int batchSize, pad;
    private final boolean flip;
    private final long seed;
    private final int epoch;
    private final int[] order; // sample indices in this epoch's order

    /**
     * @param shuffle false keeps the data order (evaluation)
     * @param pad     random-crop padding in pixels, 0 for none
     * @param flip    random horizontal flips
     */
    public Batches(ImageData data, Normalization norm, int batchSize, long seed, int epoch, boolean shuffle, int pad, boolean flip) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (norm.channels() != data.channels()) {
            throw new IllegalArgumentException("normalization has " + norm.channels() + " channels, the data " + data.channels());
        }
        this.data = data;
        this.table = norm.table();
        this.batchSize = batchSize;
        this.pad = pad;
        this.flip = flip;
        this.seed = seed;
        this.order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (shuffle) shuffle(order, new SplittableRandom(mix(seed, epoch, -1)));
        this.epoch = epoch;
    }

    /** Fisher-Yates shuffle (Knuth, TAOCP vol. 2, Algorithm P). */
    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    public int count() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /** Builds batch {@code b} (0-based); safe to call from any thread. */
    public Batch get(int b) {
        int from = b * batchSize, n = Math.min(batchSize, order.length - from);
        int c = data.channels(), h = data.height(), w = data.width(), per = data.sampleSize();
        float[] x = new float[n * per];
        int[] y = new int[n];
        SplittableRandom r = new SplittableRandom(mix(seed, epoch, b));
        byte[] px = data.pixels();
        for (int i = 0; i < n; i++) {
            int s = order[from + i];
            y[i] = data.label(s);
            int dy = pad > 0 ? r.nextInt(2 * pad + 1) - pad : 0; // crop offset in the padded image, minus pad
            int dx = pad > 0 ? r.nextInt(2 * pad + 1) - pad : 0;
            boolean mirror = flip && r.nextBoolean();
            for (int ch = 0; ch < c; ch++) {
                float[] t = table[ch];
                float black = t[0];
                int src = (s * c + ch) * h * w, dst = (i * c + ch) * h * w;
                for (int yy = 0; yy < h; yy++) {
                    int sy = yy + dy;
                    for (int xx = 0; xx < w; xx++) {
                        int sx = (mirror ? w - 1 - xx : xx) + dx;
                        x[dst + yy * w + xx] = sy < 0 || sy >= h || sx < 0 || sx >= w ? black : t[px[src + sy * w + sx] & 0xFF];
                    }
                }
            }
        }
        return new Batch(b, n, x, y);
    }

    /** A well-mixed 64-bit seed from three numbers (SplitMix64 finalizer, Steele et al. 2014). */
    static long mix(long seed, long a, long b) {
        long z = seed + 0x9E3779B97F4A7C15L * (a + 1) + 0xBF58476D1CE4E5B9L * (b + 2);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
