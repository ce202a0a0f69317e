package glassbox.viz.render;

import java.util.ArrayList;
import java.util.List;

/**
 * A sheet: a title, then blocks (pictures, lines of text, rows of pictures side by side) stacked top to
 * bottom with a margin. The page grows to fit its widest block, so titles and labels are never clipped.
 *
 * <pre>
 *   Raster sheet = new Page("conv1 kernels").text("6 kernels 5x5").add(grid).add(legend).render();
 * </pre>
 */
public final class Page {
    private static final int MARGIN = 10, SPACING = 8;
    private final String title;
    private final List<Raster> blocks = new ArrayList<>();

    public Page(String title) {
        this.title = title;
    }

    /** Adds a picture below what is there. */
    public Page add(Raster r) {
        blocks.add(r);
        return this;
    }

    /** Adds one line of text (scale 1). */
    public Page text(String line) {
        blocks.add(textBlock(line, 1, Raster.DARK_GRAY));
        return this;
    }

    /** Adds pictures side by side, top-aligned, {@code gap} pixels apart. */
    public Page row(int gap, List<Raster> rs) {
        blocks.add(row(gap, rs, Raster.WHITE));
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

    /** A line of text as its own raster on white. */
    public static Raster textBlock(String line, int scale, int color) {
        Raster r = new Raster(Math.max(1, BitmapFont.width(line, scale)), BitmapFont.height(scale) + scale, Raster.WHITE);
        BitmapFont.draw(r, 0, 0, line, color, scale);
        return r;
    }

    public Raster render() {
        List<Raster> all = new ArrayList<>();
        if (title != null && !title.isEmpty()) all.add(textBlock(title, 2, Raster.BLACK));
        all.addAll(blocks);
        Raster body = column(SPACING, all, Raster.WHITE);
        Raster out = new Raster(body.width() + 2 * MARGIN, body.height() + 2 * MARGIN, Raster.WHITE);
        out.blit(body, MARGIN, MARGIN);
        return out;
    }
}
