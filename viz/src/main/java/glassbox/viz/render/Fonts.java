package glassbox.viz.render;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The one typeface every Glassbox picture and chart is drawn with: DejaVu Sans, bundled in the jar
 * ({@code glassbox/viz/fonts/}, Bitstream Vera licence beside it), so text looks the same on every machine
 * whatever fonts it has installed.
 *
 * <p>Fonts are loaded once and derived to the requested size. Leaves out other faces (mono, serif): one
 * face keeps lecture slides consistent.
 */
public final class Fonts {
    private static final Font REGULAR = load("DejaVuSans.ttf");
    private static final Font BOLD = load("DejaVuSans-Bold.ttf");

    private Fonts() {
    }

    /** DejaVu Sans at {@code size} points (one point is one pixel in our images). */
    public static Font sans(float size) {
        return REGULAR.deriveFont(size);
    }

    /** DejaVu Sans Bold at {@code size} points, for titles. */
    public static Font bold(float size) {
        return BOLD.deriveFont(size);
    }

    private static Font load(String file) {
        Png.ensureHeadless();
        String resource = "/glassbox/viz/fonts/" + file;
        try (InputStream in = Fonts.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("bundled font " + resource + " is missing from the jar");
            Font f = Font.createFont(Font.TRUETYPE_FONT, in);
            // Registered so that code asking for the family by name (e.g. in a chart theme) finds it too.
            GraphicsEnvironment.getLocalGraphicsEnvironment().registerFont(f);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled font " + resource + ": " + e.getMessage(), e);
        } catch (FontFormatException e) {
            throw new IllegalStateException("bundled font " + resource + " is damaged: " + e.getMessage(), e);
        }
    }
}
