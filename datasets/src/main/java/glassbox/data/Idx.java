package glassbox.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/), raw or gzip.
 *
 * <pre>
 * images: magic 0x00000803 (0, 0, type 0x08 = unsigned byte, 3 dims) | count | rows | cols | count*rows*cols pixels
 * labels: magic 0x00000801 (0, 0, type 0x08 = unsigned byte, 1 dim)  | count | count labels
 * </pre>
 * All integers are 32-bit big-endian; pixels are row-major, 0 = background. Every field is checked: the magic
 * number, sane dimensions, that the data is exactly as long as the header says (no more, no less), that
 * image and label counts agree and that labels are in range. Leaves out the other IDX element types
 * (int, float, double), which no data set used here needs.
 */
public final class Idx {
    /** Magic of an unsigned-byte, 3-dimensional IDX file: images. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an unsigned-byte, 1-dimensional IDX file: labels. */
    public static final int LABELS_MAGIC = 0x00000801;
    private static final int MAX_SIDE = 4096;

    private Idx() {
    }

    /** Images of one IDX file: {@code pixels} holds count x rows x cols bytes, image after image. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    /** Reads an IDX images file (raw or gzip). */
    public static Images readImages(Path file) throws IOException {
        try (InputStream in = Streams.open(file)) {
            return readImages(in, file.toString());
        }
    }

    /** Reads IDX images from a stream (raw or gzip); {@code source} names it in error messages. */
    public static Images readImages(InputStream raw, String source) throws IOException {
        InputStream in = Streams.maybeGunzip(raw, source);
        checkMagic(Streams.readExactly(in, 4, source, 0, "the IDX magic number"), IMAGES_MAGIC, source);
        byte[] head = new byte[16];
        System.arraycopy(Streams.readExactly(in, 12, source, 4, "the IDX images header (count, rows, cols)"), 0, head, 4, 12);
        int count = dim(head, 4, Integer.MAX_VALUE, source, "image count");
        int rows = dim(head, 8, MAX_SIDE, source, "rows per image");
        int cols = dim(head, 12, MAX_SIDE, source, "columns per image");
        if (rows == 0 || cols == 0) {
            throw new DataFormatException(source, rows == 0 ? 8 : 12, "images of at least 1x1 pixels",
                    rows + "x" + cols);
        }
        long n = (long) count * rows * cols;
        byte[] pixels = Streams.readExactly(in, n, source, 16, count + " images of " + rows + "x" + cols);
        Streams.expectEnd(in, source, 16 + n);
        return new Images(count, rows, cols, pixels);
    }

    /** Reads an IDX labels file (raw or gzip). */
    public static byte[] readLabels(Path file) throws IOException {
        try (InputStream in = Streams.open(file)) {
            return readLabels(in, file.toString());
        }
    }

    /** Reads IDX labels from a stream (raw or gzip); {@code source} names it in error messages. */
    public static byte[] readLabels(InputStream raw, String source) throws IOException {
        InputStream in = Streams.maybeGunzip(raw, source);
        checkMagic(Streams.readExactly(in, 4, source, 0, "the IDX magic number"), LABELS_MAGIC, source);
        byte[] head = new byte[8];
        System.arraycopy(Streams.readExactly(in, 4, source, 4, "the IDX labels header (count)"), 0, head, 4, 4);
        int count = dim(head, 4, Integer.MAX_VALUE, source, "label count");
        byte[] labels = Streams.readExactly(in, count, source, 8, count + " labels");
        Streams.expectEnd(in, source, 8L + count);
        return labels;
    }

    /**
     * Pairs an images file with a labels file into a {@link Dataset}, checking that the counts agree and that
     * every label is below {@code classNames.size()}.
     */
    public static Dataset load(String name, Split split, Path imagesFile, Path labelsFile, List<String> classNames)
            throws IOException {
        Images images = readImages(imagesFile);
        byte[] labels = readLabels(labelsFile);
        return toDataset(name, split, images, imagesFile.toString(), labels, labelsFile.toString(), classNames);
    }

    /** Checks counts and label range, then wraps the arrays (not copied) as a one-channel {@link Dataset}. */
    public static Dataset toDataset(String name, Split split, Images images, String imagesSource,
                                    byte[] labels, String labelsSource, List<String> classNames)
            throws DataFormatException {
        if (images.count() != labels.length) {
            throw new DataFormatException(labelsSource, 4, images.count() + " labels, one per image of "
                    + imagesSource, labels.length + " labels");
        }
        checkLabels(labels, classNames.size(), labelsSource, 8);
        return new Dataset(name, split.id(), 1, images.rows(), images.cols(), images.pixels(), labels, classNames);
    }

    /** Throws naming the first label that is not in 0..numClasses-1; {@code start} is the offset of labels[0]. */
    static void checkLabels(byte[] labels, int numClasses, String source, long start) throws DataFormatException {
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i] & 0xFF;
            if (l >= numClasses) {
                throw new DataFormatException(source, start + i, "a label in 0.." + (numClasses - 1)
                        + " (sample " + i + ")", "label " + l);
            }
        }
    }

    /** Writes an IDX images file (uncompressed; wrap {@code out} in a GZIPOutputStream for .gz). */
    public static void writeImages(OutputStream out, int count, int rows, int cols, byte[] pixels) throws IOException {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes for " + count + " images of " + rows + "x" + cols);
        }
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(IMAGES_MAGIC);
        d.writeInt(count);
        d.writeInt(rows);
        d.writeInt(cols);
        d.write(pixels);
        d.flush();
    }

    /** Writes an IDX labels file (uncompressed; wrap {@code out} in a GZIPOutputStream for .gz). */
    public static void writeLabels(OutputStream out, byte[] labels) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(LABELS_MAGIC);
        d.writeInt(labels.length);
        d.write(labels);
        d.flush();
    }

    private static void checkMagic(byte[] head, int expected, String source) throws DataFormatException {
        int found = (int) Streams.u32(head, 0);
        if (found != expected) {
            throw new DataFormatException(source, 0, String.format("IDX magic 0x%08x (%s)", expected, describe(expected)),
                    String.format("0x%08x (%s)", found, describe(found)));
        }
    }

    private static String describe(int magic) {
        if (magic == IMAGES_MAGIC) return "unsigned bytes, 3 dimensions: an images file";
        if (magic == LABELS_MAGIC) return "unsigned bytes, 1 dimension: a labels file";
        if ((magic >>> 16) == 0x1f8b) return "gzip data inside gzip data?";
        if ((magic >>> 16) != 0) return "not an IDX file";
        return "IDX type 0x" + Integer.toHexString((magic >>> 8) & 0xFF) + " with " + (magic & 0xFF) + " dimensions";
    }

    private static int dim(byte[] head, int off, int max, String source, String what) throws DataFormatException {
        long v = Streams.u32(head, off);
        if (v > max) throw new DataFormatException(source, off, what + " at most " + max, Long.toString(v));
        return (int) v;
    }
}
