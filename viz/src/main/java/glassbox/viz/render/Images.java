package glassbox.viz.render;

/**
 * Turns arrays of numbers into pictures: a single-channel map through a colormap, or a 3-channel array as
 * an RGB image (each channel scaled with the same range to 0..255).
 *
 * <p>Layouts: a map is {@code [h, w]} row-major starting at {@code off}; an image is {@code [c, h, w]}
 * channel-major (NCHW without the batch), like every tensor in the engine. Leaves out layout and labels:
 * see {@link Grid} and {@link Page}.
 */
public final class Images {
    private Images() {
    }

    /** Map {@code v[off .. off + h*w)} as {@code [h, w]} through {@code cmap} over {@code range}. */
    public static Raster map(float[] v, int off, int h, int w, Colormap cmap, ValueRange range) {
        Raster r = new Raster(w, h, 0);
        int[] p = r.pixels();
        for (int i = 0; i < h * w; i++) p[i] = cmap.rgb(range.t(v[off + i]));
        return r;
    }

    /**
     * An image from {@code v[off ..]} laid out {@code [c, h, w]}: c = 3 gives colour (R, G, B planes),
     * c = 1 gives grey; every channel is scaled with {@code range}.
     */
    public static Raster image(float[] v, int off, int c, int h, int w, ValueRange range) {
        if (c != 1 && c != 3) throw new IllegalArgumentException("an image needs 1 or 3 channels, got " + c);
        Raster r = new Raster(w, h, 0);
        int[] p = r.pixels();
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            int red = range.byteValue(v[off + i]);
            p[i] = c == 1 ? Raster.gray(red)
                    : Raster.rgb(red, range.byteValue(v[off + plane + i]), range.byteValue(v[off + 2 * plane + i]));
        }
        return r;
    }

    /**
     * A signed image from {@code v[off ..]} laid out {@code [c, h, w]} (c = 1 or 3), zero-centred: 0 is mid
     * grey (128), {@code -m} is 0 and {@code +m} is 255 in each channel. How weights and gradients of
     * colour kernels are shown: a kernel that ignores a channel leaves it at 128, not at black.
     */
    public static Raster signedImage(float[] v, int off, int c, int h, int w, float m) {
        return image(v, off, c, h, w, m > 0 ? new ValueRange(-m, m) : new ValueRange(-1, 1));
    }

    /** An image scaled to its own range (min to 0, max to 255). */
    public static Raster image(float[] v, int off, int c, int h, int w) {
        return image(v, off, c, h, w, ValueRange.of(v, off, c * h * w));
    }

    /** The integer nearest-neighbour factor that makes the larger side of an h x w picture about {@code target}. */
    public static int upscaleFactor(int h, int w, int target) {
        return Math.max(1, target / Math.max(h, w));
    }
}
