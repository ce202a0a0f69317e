package glassbox.viz.activations;

import glassbox.data.Dataset;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;
import glassbox.viz.render.Raster;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns dataset samples (or an image file) into model input tensors, and back into pictures to show.
 *
 * <p>The model sees normalized floats; people see the original 8-bit pixels. An {@link Encoder} is the
 * model's input normalization (see {@link #normalized(Normalization)}); {@link #UNIT}
 * just divides by 255. Leaves out cropping and aspect-ratio correction of image files.
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

    /** A one-image data set made from a picture, and what was done to the picture to make it fit the model. */
    public record Converted(Dataset data, List<String> notes) {
    }

    /**
     * A one-image dataset from a picture (e.g. a PNG file), converted to {@code channels} (1: luma, 3: RGB)
     * and resized to {@code h x w} if needed (area average when shrinking, nearest neighbour when growing),
     * so it runs through the same path as dataset samples. A grey picture that is dark on a light background
     * is inverted, because the grey data sets (MNIST, Fashion-MNIST) are light on black: a black-on-white
     * digit would otherwise look like a white blob to the model. Every change is listed in the notes.
     */
    public static Converted convert(Raster pic, String name, int channels, int h, int w, List<String> classNames) {
        List<String> notes = new ArrayList<>();
        if (pic.width() != w || pic.height() != h) {
            notes.add("resized " + pic.width() + "x" + pic.height() + " to " + w + "x" + h
                    + (pic.width() > w || pic.height() > h ? " (area average)" : " (nearest neighbour)"));
        }
        boolean colour = false;
        for (int p : pic.pixels()) {
            if ((p >> 16 & 255) != (p >> 8 & 255) || (p >> 8 & 255) != (p & 255)) {
                colour = true;
                break;
            }
        }
        if (channels == 1 && colour) notes.add("converted colour to grey (luma 0.299 R + 0.587 G + 0.114 B)");
        if (channels == 3 && !colour) notes.add("grey picture: the same value in R, G and B");
        double[][] planes = resize(pic, h, w); // [3][h * w], 0..255
        byte[] px = new byte[channels * h * w];
        if (channels == 1) {
            double[] luma = new double[h * w];
            for (int i = 0; i < h * w; i++) luma[i] = 0.299 * planes[0][i] + 0.587 * planes[1][i] + 0.114 * planes[2][i];
            boolean invert = borderMean(luma, h, w) > 127;
            if (invert) notes.add("inverted: the picture is dark on a light background, the model's grey images are light on black");
            for (int i = 0; i < h * w; i++) px[i] = (byte) Math.round(invert ? 255 - luma[i] : luma[i]);
        } else {
            for (int ch = 0; ch < 3; ch++) for (int i = 0; i < h * w; i++) px[ch * h * w + i] = (byte) Math.round(planes[ch][i]);
        }
        Dataset d = new Dataset(name, FILE_SPLIT, channels, h, w, px, new byte[1], classNames.isEmpty() ? List.of("?") : classNames);
        return new Converted(d, List.copyOf(notes));
    }

    /** The data set of {@link #convert}, without the notes (say them to the user where you can). */
    public static Dataset fromPicture(Raster pic, String name, int channels, int h, int w, List<String> classNames) {
        return convert(pic, name, channels, h, w, classNames).data();
    }

    /** Mean of the one-pixel frame around an h x w picture: the background's brightness. */
    private static double borderMean(double[] v, int h, int w) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y == 0 || x == 0 || y == h - 1 || x == w - 1) {
                    sum += v[y * w + x];
                    n++;
                }
            }
        }
        return sum / n;
    }

    /** R, G, B planes of {@code pic} resized to h x w: each output pixel the mean of the source pixels it covers. */
    private static double[][] resize(Raster pic, int h, int w) {
        double[][] out = new double[3][h * w];
        int sw = pic.width(), sh = pic.height();
        for (int y = 0; y < h; y++) {
            int y0 = y * sh / h, y1 = Math.max(y0 + 1, (y + 1) * sh / h);
            for (int x = 0; x < w; x++) {
                int x0 = x * sw / w, x1 = Math.max(x0 + 1, (x + 1) * sw / w);
                double r = 0, g = 0, b = 0;
                for (int yy = y0; yy < y1; yy++) {
                    for (int xx = x0; xx < x1; xx++) {
                        int p = pic.get(xx, yy);
                        r += p >> 16 & 255;
                        g += p >> 8 & 255;
                        b += p & 255;
                    }
                }
                int n = (y1 - y0) * (x1 - x0);
                out[0][y * w + x] = r / n;
                out[1][y * w + x] = g / n;
                out[2][y * w + x] = b / n;
            }
        }
        return out;
    }
}
