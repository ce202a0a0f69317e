package glassbox.viz.render;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * An RGB picture as a flat {@code int[]} of {@code 0xRRGGBB} pixels, row-major: pixel (x, y) lives at
 * {@code y * width + x}.
 *
 * <p>True images (kernels, activation maps, patches) are drawn into a Raster with plain loops and
 * nearest-neighbour blits, so every pixel is a value. Text goes through {@link #draw}, a Java2D
 * context that draws straight into these pixels with the bundled {@link Fonts}. {@link Png} writes a
 * Raster to a file. Leaves out alpha.
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

    /**
     * Runs {@code drawing} with a Java2D context that draws straight into this raster's pixels (no copy):
     * anti-aliasing on, the bundled DejaVu Sans at 12 px as font. The context is disposed afterwards and
     * the pixels are masked back to {@code 0xRRGGBB} (Java2D may set the unused top byte).
     */
    public void draw(java.util.function.Consumer<Graphics2D> drawing) {
        Png.ensureHeadless();
        DirectColorModel cm = new DirectColorModel(24, 0xFF0000, 0x00FF00, 0x0000FF);
        WritableRaster wr = java.awt.image.Raster.createPackedRaster(new DataBufferInt(rgb, rgb.length), width, height,
                width, new int[]{0xFF0000, 0x00FF00, 0x0000FF}, null);
        Graphics2D g = new BufferedImage(cm, wr, false, null).createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setFont(Fonts.sans(12));
            drawing.accept(g);
        } finally {
            g.dispose();
            for (int i = 0; i < rgb.length; i++) rgb[i] &= 0xFFFFFF;
        }
    }

    /**
     * Draws {@code text} with its baseline-left corner such that the text's top is at {@code y}, in
     * {@code font} and {@code color} ({@code 0xRRGGBB}); returns the advance width in pixels.
     */
    public int drawText(String text, int x, int y, Font font, int color) {
        draw(g -> {
            g.setFont(font);
            g.setColor(new java.awt.Color(color));
            g.drawString(text, x, y + g.getFontMetrics().getAscent());
        });
        return textWidth(text, font);
    }

    /** The width in pixels of {@code text} in {@code font}, as {@link #drawText} draws it. */
    public static int textWidth(String text, Font font) {
        int[] w = new int[1];
        new Raster(1, 1, 0).draw(g -> w[0] = g.getFontMetrics(font).stringWidth(text));
        return w[0];
    }

    /** The height of one line of {@code font} (ascent + descent), in pixels. */
    public static int lineHeight(Font font) {
        int[] h = new int[1];
        new Raster(1, 1, 0).draw(g -> h[0] = g.getFontMetrics(font).getAscent() + g.getFontMetrics(font).getDescent());
        return h[0];
    }

    /** A copy of this raster as an RGB {@link BufferedImage}. */
    public BufferedImage toImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return img;
    }

    /** A raster holding a copy of {@code img}'s pixels, alpha dropped. */
    public static Raster of(BufferedImage img) {
        Raster r = new Raster(img.getWidth(), img.getHeight(), 0);
        img.getRGB(0, 0, r.width, r.height, r.rgb, 0, r.width);
        for (int i = 0; i < r.rgb.length; i++) r.rgb[i] &= 0xFFFFFF;
        return r;
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
