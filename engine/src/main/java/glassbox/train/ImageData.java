package glassbox.train;

import java.util.List;

/**
 * A labelled image set as the trainer sees it: 8-bit pixels, NCHW, sample after sample, and 8-bit labels.
 *
 * <p>The same layout as {@code glassbox.data.Dataset} (which lives in a module that depends on this one);
 * {@code Dataset.asImageData()} hands one to the other without copying the arrays.
 */
public record ImageData(int channels, int height, int width, byte[] pixels, byte[] labels, List<String> classNames) {
    public ImageData {
        classNames = List.copyOf(classNames);
        if ((long) channels * height * width * labels.length != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes for " + labels.length + " samples of "
                    + channels + "x" + height + "x" + width);
        }
    }

    public int size() {
        return labels.length;
    }

    public int sampleSize() {
        return channels * height * width;
    }

    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** Shape of one sample, [C, H, W]. */
    public int[] sampleShape() {
        return new int[]{channels, height, width};
    }
}
