package glassbox.data;

import glassbox.train.ImageData;

import java.util.Arrays;
import java.util.List;

/**
 * An image classification split held compactly in memory: 8-bit pixels, NCHW, and 8-bit labels.
 *
 * <p>{@code pixels} holds {@code size() * channels * height * width} bytes (unsigned 0..255), sample after
 * sample, each sample channel-major (all R, then all G, then all B for colour), rows top to bottom.
 * {@code labels[i]} is in {@code 0 .. classNames.size()-1}.
 *
 * <p>The engine trains on {@link ImageData}, the same layout without name and split (the engine module cannot
 * see this one): {@link #asImageData()} hands the same arrays over, without copying.
 */
public record Dataset(String name, String split, int channels, int height, int width,
                      byte[] pixels, byte[] labels, List<String> classNames) {
    public Dataset {
        classNames = List.copyOf(classNames);
        long per = (long) channels * height * width;
        if (pixels.length != per * labels.length) {
            throw new IllegalArgumentException(name + "/" + split + ": " + pixels.length + " pixel bytes for "
                    + labels.length + " labels of " + channels + "x" + height + "x" + width);
        }
    }

    public int size() {
        return labels.length;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Bytes in one sample. */
    public int sampleSize() {
        return channels * height * width;
    }

    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** Pixel (c, y, x) of sample i, 0..255. */
    public int pixel(int i, int c, int y, int x) {
        return pixels[i * sampleSize() + (c * height + y) * width + x] & 0xFF;
    }

    /** Name of the class of sample i. */
    public String className(int i) {
        return classNames.get(label(i));
    }

    /** How many samples each class has: [numClasses]. */
    public int[] labelCounts() {
        int[] counts = new int[numClasses()];
        for (byte l : labels) counts[l & 0xFF]++;
        return counts;
    }

    /**
     * This split as the engine's trainer, evaluation and {@code Normalization.of} see it. The pixel and label
     * arrays are shared, not copied (neither side writes to them).
     */
    public ImageData asImageData() {
        return new ImageData(channels, height, width, pixels, labels, classNames);
    }

    /** A copy holding the samples at {@code indices}, in that order (e.g. a held-out validation set). */
    public Dataset subset(int[] indices) {
        int per = sampleSize();
        byte[] px = new byte[indices.length * per];
        byte[] lb = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * per, px, k * per, per);
            lb[k] = labels[indices[k]];
        }
        return new Dataset(name, split, channels, height, width, px, lb, classNames);
    }

    /** The first {@code n} samples (all of them if n >= size). */
    public Dataset head(int n) {
        int m = Math.min(n, size());
        return new Dataset(name, split, channels, height, width, Arrays.copyOf(pixels, m * sampleSize()),
                Arrays.copyOf(labels, m), classNames);
    }
}
