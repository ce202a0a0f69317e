package glassbox.viz.render;

import java.awt.Font;
import java.util.ArrayList;
import java.util.List;

/**
 * A sheet: a title, then blocks (pictures, paragraphs of text, rows of pictures side by side) stacked top to
 * bottom with a margin.
 *
 * <p>The page is as wide as its widest picture (at least {@link #MIN_WIDTH}); the title and every paragraph
 * are wrapped to that width when the page is rendered, so text never makes a sheet wider than its
 * pictures and leaves it empty on the right.
 *
 * <pre>
 *   Raster sheet = new Page("conv1 kernels").text("6 kernels 5x5").add(grid).add(legend).render();
 * </pre>
 */
public final class Page {
    /** Narrowest page: room for a title and a colour bar. */
    public static final int MIN_WIDTH = 420;
    private static final int MARGIN = 12, SPACING = 8;

    /** A picture, or text wrapped when the page width is known. */
    private sealed interface Block permits Picture, Paragraph {
    }

    private record Picture(Raster image) implements Block {
    }

    private record Paragraph(String text, Font font, int color) implements Block {
    }

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    public Page(String title) {
        this.title = title;
    }

    /** Adds a picture below what is there. */
    public Page add(Raster r) {
        blocks.add(new Picture(r));
        return this;
    }

    /** Adds a paragraph of explanation, wrapped to the page width. */
    public Page text(String paragraph) {
        blocks.add(new Paragraph(paragraph, Text.BODY, Raster.DARK_GRAY));
        return this;
    }

    /** Adds a paragraph in {@code font} and {@code color}. */
    public Page text(String paragraph, Font font, int color) {
        blocks.add(new Paragraph(paragraph, font, color));
        return this;
    }

    /** Adds pictures side by side, top-aligned, {@code gap} pixels apart. */
    public Page row(int gap, List<Raster> rs) {
        blocks.add(new Picture(row(gap, rs, Raster.WHITE)));
        return this;
    }

    /** Pictures side by side, top-aligned. */
    public static Raster row(int gap, List<Raster> rs, int background) {
        int w = 0, h = 1;
        for (Raster r : rs) {
            w += r.width();
            h = Math.max(h, r.height());
        }
        w += gap * Math.max(0, rs.size() - 1);
        Raster out = new Raster(Math.max(1, w), h, background);
        int x = 0;
        for (Raster r : rs) {
            out.blit(r, x, 0);
            x += r.width() + gap;
        }
        return out;
    }

    /** Pictures stacked top to bottom, left-aligned. */
    public static Raster column(int gap, List<Raster> rs, int background) {
        int w = 1, h = 0;
        for (Raster r : rs) {
            h += r.height();
            w = Math.max(w, r.width());
        }
        h += gap * Math.max(0, rs.size() - 1);
        Raster out = new Raster(w, Math.max(1, h), background);
        int y = 0;
        for (Raster r : rs) {
            out.blit(r, 0, y);
            y += r.height() + gap;
        }
        return out;
    }

    public Raster render() {
        int width = MIN_WIDTH;
        for (Block b : blocks) if (b instanceof Picture(Raster r)) width = Math.max(width, r.width());
        List<Raster> all = new ArrayList<>();
        if (title != null && !title.isEmpty()) all.add(Text.paragraph(title, width, Text.TITLE, Raster.BLACK));
        for (Block b : blocks) {
            all.add(switch (b) {
                case Picture(Raster r) -> r;
                case Paragraph(String s, Font f, int c) -> Text.paragraph(s, width, f, c);
            });
        }
        Raster body = column(SPACING, all, Raster.WHITE);
        Raster out = new Raster(width + 2 * MARGIN, body.height() + 2 * MARGIN, Raster.WHITE);
        out.blit(body, MARGIN, MARGIN);
        return out;
    }
}
