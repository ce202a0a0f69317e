package glassbox.viz.activations;

import glassbox.data.Dataset;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;
import glassbox.viz.render.Raster;

import java.util.List;

/**
 * Turns dataset samples (or an image file) into model input tensors, and back into pictures to show.
 *
 * <p>The model sees normalized floats; people see the original 8-bit pixels. An {@link Encoder} is the
 * model's input normalization (see {@link #normalized(Normalization)}); {@link #UNIT}
 * just divides by 255. Leaves out resizing to another resolution beyond nearest-neighbour.
 */
public final class Inputs {
    /** Writes sample {@code i} of {@code d} as C*H*W floats into {@code dst[off ..]}. */
    @FunctionalInterface
    public interface Encoder {
        void encode(Dataset d, int i, float[] dst, int off);
    }

    /** pixel / 255. */
    public static final Encoder UNIT = (d, i, dst, off) -> {
        int n = d.sampleSize();
        byte[] px = d.pixels();
        for (int k = 0; k < n; k++) dst[off + k] = (px[i * n + k] & 0xFF) / 255f;
    };

    /** {@code (pixel / 255 - mean[c]) / std[c]}: the model's {@link Normalization}, as stored in model files. */
    public static Encoder normalized(Normalization norm) {
        float[][] table = norm.table(); // [C][256]
        return (d, i, dst, off) -> {
            if (d.channels() != table.length) {
                throw new IllegalArgumentException(d.name() + " has " + d.channels() + " channels but the model normalizes " + table.length);
            }
            int plane = d.height() * d.width(), n = d.sampleSize();
            byte[] px = d.pixels();
            for (int k = 0; k < n; k++) dst[off + k] = table[k / plane][px[i * n + k] & 0xFF];
        };
    }

    /** Split name of a one-image data set made by {@link #fromPicture}: its label is unknown. */
    public static final String FILE_SPLIT = "file";

    private Inputs() {
    }

    /** Samples {@code idx} as a batch [len, C, H, W]. */
    public static Tensor batch(Dataset d, int[] idx, Encoder enc) {
        int n = d.sampleSize();
        float[] x = new float[idx.length * n];
        for (int b = 0; b < idx.length; b++) {
            if (idx[b] < 0 || idx[b] >= d.size()) {
                throw new IllegalArgumentException("image index " + idx[b] + " is outside 0.." + (d.size() - 1) + " of " + d.name() + "/" + d.split());
            }
            enc.encode(d, idx[b], x, b * n);
        }
        return Tensor.of(x, idx.length, d.channels(), d.height(), d.width());
    }

    /** Sample {@code i} as the picture it is (colour or grey), 1 pixel per pixel. */
    public static Raster picture(Dataset d, int i) {
        int c = d.channels(), h = d.height(), w = d.width();
        Raster r = new Raster(w, h, 0);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = d.pixel(i, 0, y, x);
                r.set(x, y, c >= 3 ? Raster.rgb(red, d.pixel(i, 1, y, x), d.pixel(i, 2, y, x)) : Raster.gray(red));
            }
        }
        return r;
    }

    /**
     * A one-image dataset from a picture (e.g. a PNG file), converted to {@code channels} (1: luma, 3: RGB)
     * and resized by nearest neighbour to {@code h x w} if needed, so it runs through the same path as
     * dataset samples.
     */
    public static Dataset fromPicture(Raster pic, String name, int channels, int h, int w, List<String> classNames) {
        byte[] px = new byte[channels * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = pic.get(x * pic.width() / w, y * pic.height() / h);
                int r = p >> 16 & 255, g = p >> 8 & 255, b = p & 255;
                if (channels == 1) {
                    px[y * w + x] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                } else {
                    px[y * w + x] = (byte) r;
                    px[h * w + y * w + x] = (byte) g;
                    px[2 * h * w + y * w + x] = (byte) b;
                }
            }
        }
        return new Dataset(name, FILE_SPLIT, channels, h, w, px, new byte[1], classNames.isEmpty() ? List.of("?") : classNames);
    }
}
