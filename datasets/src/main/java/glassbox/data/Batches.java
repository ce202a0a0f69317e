package glassbox.data;

import glassbox.tensor.Tensor;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Mini-batches over a {@link Dataset}: deterministic shuffling, normalization to float tensors.
 *
 * <pre>{@code
 * Dataset train = Datasets.load("mnist", Split.TRAIN, DataOptions.defaults());
 * Normalization norm = Normalization.fromTrain(train);
 * Batches batches = new Batches(train, norm, 64, Batches.Last.DROP);
 * for (int epoch = 0; epoch < 10; epoch++)
 *     for (Batch b : batches.epoch(seed, epoch)) { model.forward(b.images(), true); ... }
 * }</pre>
 *
 * <p>Order: {@link #order(long, int)} is a Fisher-Yates shuffle driven by SplitMix64 seeded from
 * (seed, epoch), written out here so that the same seed gives the same order on every JDK and machine;
 * a different epoch gives a different order. {@link #sequential()} keeps dataset order (for evaluation).
 *
 * <p>Last batch: when the size is not a multiple of the batch size, {@link Last#KEEP} yields a smaller final
 * batch (evaluation sees every sample once), {@link Last#DROP} leaves those samples out of this epoch
 * (every training step then has the same batch size; a shuffle puts other samples last next epoch).
 *
 * <p>Augmentation and prefetch plug in through {@link #fill(int[], Tensor, int[])}: it writes the samples
 * at any indices into a caller's tensor, from any thread (it only reads the dataset).
 */
public final class Batches {
    /** What to do with the final, smaller batch of an epoch. */
    public enum Last { KEEP, DROP }

    private final Dataset data;
    private final Normalization norm;
    private final int batchSize;
    private final Last last;

    public Batches(Dataset data, Normalization norm, int batchSize, Last last) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (norm.channels() != data.channels()) {
            throw new IllegalArgumentException("normalization has " + norm.channels() + " channels, "
                    + data.name() + " has " + data.channels());
        }
        this.data = data;
        this.norm = norm;
        this.batchSize = batchSize;
        this.last = last;
    }

    public Dataset data() {
        return data;
    }

    public Normalization normalization() {
        return norm;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch under this last-batch policy. */
    public int batchesPerEpoch() {
        int n = data.size();
        return last == Last.DROP ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The shuffled order of epoch {@code epoch}: a permutation of 0..size-1, the same for the same inputs. */
    public int[] order(long seed, int epoch) {
        return permutation(data.size(), seed, epoch);
    }

    /** Epoch {@code epoch} in shuffled order. */
    public Iterable<Batch> epoch(long seed, int epoch) {
        int[] order = order(seed, epoch);
        return () -> iterator(order);
    }

    /** One pass in dataset order. */
    public Iterable<Batch> sequential() {
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        return () -> iterator(order);
    }

    /** The batch made of the samples at {@code indices}, in that order. */
    public Batch batch(int[] indices) {
        Tensor images = Tensor.zeros(indices.length, data.channels(), data.height(), data.width());
        int[] labels = new int[indices.length];
        fill(indices, images, labels);
        return new Batch(images, labels, indices.clone());
    }

    /**
     * Writes the normalized samples at {@code indices} into {@code images} [B, C, H, W] and their labels into
     * {@code labels} [B], where B = indices.length (the tensor's first dimension may be larger; later rows are
     * left alone).
     */
    public void fill(int[] indices, Tensor images, int[] labels) {
        if (images.rank() != 4 || images.dim(0) < indices.length || images.dim(1) != data.channels()
                || images.dim(2) != data.height() || images.dim(3) != data.width()) {
            throw new IllegalArgumentException("batch tensor " + images.shapeString() + " cannot hold "
                    + indices.length + " samples of " + data.channels() + "x" + data.height() + "x" + data.width());
        }
        int per = data.sampleSize();
        for (int b = 0; b < indices.length; b++) {
            int i = indices[b];
            if (i < 0 || i >= data.size()) {
                throw new IndexOutOfBoundsException("sample " + i + " of " + data.name() + "/" + data.split()
                        + " (size " + data.size() + ")");
            }
            norm.applySample(data, i, images.data(), b * per);
            labels[b] = data.label(i);
        }
    }

    private Iterator<Batch> iterator(int[] order) {
        int count = last == Last.DROP ? order.length / batchSize * batchSize : order.length;
        return new Iterator<>() {
            int next = 0;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int b = Math.min(batchSize, count - next);
                int[] idx = new int[b];
                System.arraycopy(order, next, idx, 0, b);
                next += b;
                return batch(idx);
            }
        };
    }

    /** Fisher-Yates shuffle of 0..n-1 with SplitMix64 (Steele, Lea, Flood 2014) seeded by (seed, epoch). */
    public static int[] permutation(int n, long seed, int epoch) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        long state = seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L));
        for (int i = n - 1; i > 0; i--) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            int j = (int) Long.remainderUnsigned(z, i + 1L); // bias < 2^-32 for n < 2^31: negligible here
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
