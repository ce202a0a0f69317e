package glassbox.viz.render;

import java.util.Arrays;

/**
 * An RGB picture as a flat {@code int[]} of {@code 0xRRGGBB} pixels, row-major: pixel (x, y) lives at
 * {@code y * width + x}.
 *
 * <p>Everything Glassbox renders is drawn into a Raster with plain loops (no Java2D, no fonts), so the
 * output is byte-for-byte deterministic and works on headless machines. {@link Png} writes it to a file.
 * Leaves out alpha, anti-aliasing and any drawing primitive beyond rectangles, lines and blits.
 */
public final class Raster {
    public static final int WHITE = 0xFFFFFF, BLACK = 0x000000, LIGHT_GRAY = 0xDDDDDD, MID_GRAY = 0x888888,
            DARK_GRAY = 0x444444;

    private final int width, height;
    private final int[] rgb;

    /** A blank raster filled with {@code background}. */
    public Raster(int width, int height, int background) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("raster must be at least 1x1, got " + width + "x" + height);
        this.width = width;
        this.height = height;
        this.rgb = new int[Math.multiplyExact(width, height)];
        Arrays.fill(rgb, background);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing pixels, {@code 0xRRGGBB}, row-major. */
    public int[] pixels() {
        return rgb;
    }

    public int get(int x, int y) {
        return rgb[y * width + x];
    }

    /** Sets a pixel; coordinates outside the raster are ignored (clipping). */
    public void set(int x, int y, int color) {
        if (x >= 0 && y >= 0 && x < width && y < height) rgb[y * width + x] = color;
    }

    public void fillRect(int x, int y, int w, int h, int color) {
        for (int yy = Math.max(0, y); yy < Math.min(height, y + h); yy++) {
            for (int xx = Math.max(0, x); xx < Math.min(width, x + w); xx++) rgb[yy * width + xx] = color;
        }
    }

    /** A one-pixel rectangle outline. */
    public void strokeRect(int x, int y, int w, int h, int color) {
        fillRect(x, y, w, 1, color);
        fillRect(x, y + h - 1, w, 1, color);
        fillRect(x, y, 1, h, color);
        fillRect(x + w - 1, y, 1, h, color);
    }

    /** Copies {@code src} with its top-left corner at (x, y), clipped to this raster. */
    public void blit(Raster src, int x, int y) {
        for (int sy = 0; sy < src.height; sy++) {
            for (int sx = 0; sx < src.width; sx++) set(x + sx, y + sy, src.rgb[sy * src.width + sx]);
        }
    }

    /** Nearest-neighbour upscaling by an integer factor: each pixel becomes a {@code f x f} block. */
    public Raster upscale(int f) {
        if (f < 1) throw new IllegalArgumentException("upscale factor must be >= 1, got " + f);
        if (f == 1) return this;
        Raster out = new Raster(width * f, height * f, 0);
        for (int y = 0; y < out.height; y++) {
            for (int x = 0; x < out.width; x++) out.rgb[y * out.width + x] = rgb[(y / f) * width + x / f];
        }
        return out;
    }

    /** The sub-rectangle (x, y, w, h) as a new raster. */
    public Raster crop(int x, int y, int w, int h) {
        Raster out = new Raster(w, h, 0);
        for (int yy = 0; yy < h; yy++) System.arraycopy(rgb, (y + yy) * width + x, out.rgb, yy * w, w);
        return out;
    }

    public static int rgb(int r, int g, int b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    public static int gray(int v) {
        return rgb(v, v, v);
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }
}
