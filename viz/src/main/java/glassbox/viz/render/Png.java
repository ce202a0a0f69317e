package glassbox.viz.render;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes PNG files through {@code javax.imageio}.
 *
 * <p>Forces {@code java.awt.headless=true} (unless the caller set it) so servers and CI machines without a
 * display work. Files are written through our own stream into a temporary file beside the target, then
 * moved into place: a failure names the real cause ("Permission denied", "Not a directory") instead of
 * ImageIO's "Can't create an ImageOutputStream!", and a half-written picture never replaces a good one.
 * Leaves out colour profiles and 16-bit images: everything is 8-bit RGB.
 */
public final class Png {
    static {
        ensureHeadless();
    }

    private Png() {
    }

    /** Sets {@code java.awt.headless=true} unless the caller chose otherwise; call before touching AWT. */
    static void ensureHeadless() {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** Writes {@code r} as an 8-bit RGB PNG, creating parent directories. */
    public static void write(Raster r, Path file) {
        write(r.toImage(), file);
    }

    /** Writes {@code img} as a PNG, creating parent directories; atomic (temporary file, then a move). */
    public static void write(BufferedImage img, Path file) {
        AtomicFile.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer available");
        });
    }

    /** Reads any image format ImageIO knows (PNG, JPEG, BMP, GIF) as RGB. */
    public static Raster read(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + file + ": " + reason(e), e);
        }
        if (img == null) throw new IllegalArgumentException(file + " is not an image format this JDK can read (PNG, JPEG, BMP, GIF)");
        return Raster.of(img);
    }

    /** The cause of an I/O failure in words a user understands, without the path repeated. */
    static String reason(IOException e) {
        return switch (e) {
            case AccessDeniedException a -> "Permission denied";
            case NoSuchFileException n -> "no such file or directory";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
