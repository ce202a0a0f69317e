package glassbox.viz.render;

import java.awt.Font;
import java.util.ArrayList;
import java.util.List;

/**
 * Text on pictures, in the bundled {@link Fonts}: the three sizes every sheet uses, measuring, wrapping to
 * a width, shortening to fit, and a line (or paragraph) as its own raster.
 *
 * <p>Leaves out rich text: one font and one colour per block.
 */
public final class Text {
    /** Sheet titles. */
    public static final Font TITLE = Fonts.bold(16);
    /** Explanations under a title, table cells. */
    public static final Font BODY = Fonts.sans(12);
    /** Table headers, chart titles. */
    public static final Font BODY_BOLD = Fonts.bold(12);
    /** Labels under tiles, colour-bar ticks. */
    public static final Font SMALL = Fonts.sans(10.5f);

    private Text() {
    }

    /** Width of {@code s} in {@code font}, in pixels. */
    public static int width(String s, Font font) {
        return s.isEmpty() ? 0 : Raster.textWidth(s, font);
    }

    /** Height of one line of {@code font}. */
    public static int height(Font font) {
        return Raster.lineHeight(font);
    }

    /** {@code s} shortened with a trailing '…' so that it fits in {@code maxWidth} pixels. */
    public static String fit(String s, int maxWidth, Font font) {
        if (width(s, font) <= maxWidth) return s;
        for (int n = s.length() - 1; n > 0; n--) {
            String t = s.substring(0, n) + "…";
            if (width(t, font) <= maxWidth) return t;
        }
        return s.isEmpty() ? s : s.substring(0, 1);
    }

    /** {@code s} broken at spaces into lines no wider than {@code maxWidth} (a longer word gets a line of its own). */
    public static List<String> wrap(String s, int maxWidth, Font font) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : s.split(" ")) {
            String tryLine = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && width(tryLine, font) > maxWidth) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(tryLine);
            }
        }
        lines.add(line.toString());
        return lines;
    }

    /** One line of text as its own raster on white. */
    public static Raster line(String s, Font font, int color) {
        Raster r = new Raster(Math.max(1, width(s, font) + 1), height(font), Raster.WHITE);
        r.drawText(s, 0, 0, font, color);
        return r;
    }

    /** A paragraph wrapped to {@code maxWidth}, as a raster on white. */
    public static Raster paragraph(String s, int maxWidth, Font font, int color) {
        List<String> lines = wrap(s, maxWidth, font);
        int w = 1, lh = height(font);
        for (String l : lines) w = Math.max(w, width(l, font) + 1);
        Raster r = new Raster(w, lh * lines.size(), Raster.WHITE);
        r.draw(g -> {
            g.setFont(font);
            g.setColor(new java.awt.Color(color));
            int ascent = g.getFontMetrics().getAscent();
            for (int i = 0; i < lines.size(); i++) g.drawString(lines.get(i), 0, i * lh + ascent);
        });
        return r;
    }
}
