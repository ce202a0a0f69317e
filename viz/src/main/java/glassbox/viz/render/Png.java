package glassbox.viz.render;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes PNG files through {@code javax.imageio}, the one place AWT classes appear.
 *
 * <p>Forces {@code java.awt.headless=true} (unless the caller set it) so servers and CI machines without a
 * display work. Leaves out colour profiles and 16-bit images: everything is 8-bit RGB.
 */
public final class Png {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Png() {
    }

    /** Writes {@code r} as an 8-bit RGB PNG, creating parent directories. */
    public static void write(Raster r, Path file) {
        BufferedImage img = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, r.width(), r.height(), r.pixels(), 0, r.width());
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer available");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads any image format ImageIO knows (PNG, JPEG, BMP, GIF) as RGB. */
    public static Raster read(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) throw new IllegalArgumentException(file + " is not an image format this JDK can read (PNG, JPEG, BMP, GIF)");
        Raster r = new Raster(img.getWidth(), img.getHeight(), 0);
        img.getRGB(0, 0, r.width(), r.height(), r.pixels(), 0, r.width());
        int[] p = r.pixels();
        for (int i = 0; i < p.length; i++) p[i] &= 0xFFFFFF;
        return r;
    }
}
