package glassbox.viz.render;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out equally spaced tiles in rows and columns, each with an optional label under it (one or more
 * lines, separated by {@code '\n'}), and optional row labels (left) and column labels (top), as in the
 * ConvNetJS filter views.
 *
 * <p>Every cell is as large as the largest tile; tiles are centred in their cell. Labels are drawn in
 * {@link Text#SMALL} and shortened to fit their cell (a cell widens to fit a label of up to
 * {@link #MAX_LABEL} pixels). Leaves out scaling of the tiles: make them the size you want first
 * ({@link Raster#upscale}).
 */
public final class Grid {
    /** One picture and the text printed under it (may be empty; '\n' separates lines). */
    public record Tile(Raster image, String label) {
    }

    /** Widest label a cell grows for, in pixels. */
    public static final int MAX_LABEL = 90;

    private final int columns;
    private int gap = 4;
    private int background = Raster.WHITE;
    private int textColor = Raster.DARK_GRAY;
    private List<String> rowLabels = List.of();
    private List<String> columnLabels = List.of();

    /** A grid with this many columns (rows follow from the number of tiles). */
    public Grid(int columns) {
        if (columns < 1) throw new IllegalArgumentException("a grid needs at least one column");
        this.columns = columns;
    }

    /** Columns for {@code n} tiles so the grid is roughly square (but at most {@code maxColumns}). */
    public static int squareColumns(int n, int maxColumns) {
        return Math.max(1, Math.min(maxColumns, (int) Math.ceil(Math.sqrt(n))));
    }

    /** Pixels between cells (default 4). */
    public Grid gap(int gap) {
        this.gap = gap;
        return this;
    }

    public Grid background(int rgb) {
        this.background = rgb;
        return this;
    }

    public Grid rowLabels(List<String> labels) {
        this.rowLabels = List.copyOf(labels);
        return this;
    }

    public Grid columnLabels(List<String> labels) {
        this.columnLabels = List.copyOf(labels);
        return this;
    }

    /** Convenience: tiles from rasters with no labels. */
    public static List<Tile> unlabelled(List<Raster> images) {
        List<Tile> t = new ArrayList<>();
        for (Raster r : images) t.add(new Tile(r, ""));
        return t;
    }

    public Raster render(List<Tile> tiles) {
        if (tiles.isEmpty()) throw new IllegalArgumentException("nothing to lay out: no tiles");
        int tw = 1, th = 1, lines = 0;
        for (Tile t : tiles) {
            tw = Math.max(tw, t.image().width());
            th = Math.max(th, t.image().height());
            if (!t.label().isEmpty()) {
                String[] ls = t.label().split("\n");
                lines = Math.max(lines, ls.length);
                for (String l : ls) tw = Math.max(tw, Math.min(MAX_LABEL, Text.width(l, Text.SMALL) + 2));
            }
        }
        int cw = tw, lh = Text.height(Text.SMALL), labelH = lines > 0 ? lines * lh + 2 : 0;
        int rows = (tiles.size() + columns - 1) / columns;
        int cols = Math.min(columns, tiles.size());
        int left = 0;
        for (String s : rowLabels) left = Math.max(left, Text.width(s, Text.SMALL) + gap + 4);
        int top = columnLabels.isEmpty() ? 0 : lh + 2;
        int width = left + cols * cw + (cols - 1) * gap;
        int height = top + rows * (th + labelH) + (rows - 1) * gap;
        Raster out = new Raster(width, height, background);
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            int x0 = left + (i % columns) * (cw + gap), y0 = top + (i / columns) * (th + labelH + gap);
            out.blit(t.image(), x0 + (cw - t.image().width()) / 2, y0 + (th - t.image().height()) / 2);
        }
        int fcw = cw, fth = th, flabel = labelH, fleft = left, ftop = top;
        out.draw(g -> {
            g.setFont(Text.SMALL);
            g.setColor(new Color(textColor));
            var fm = g.getFontMetrics();
            int ascent = fm.getAscent();
            for (int c = 0; c < Math.min(cols, columnLabels.size()); c++) {
                String s = Text.fit(columnLabels.get(c), fcw + gap - 1, Text.SMALL);
                g.drawString(s, fleft + c * (fcw + gap) + (fcw - fm.stringWidth(s)) / 2, ascent);
            }
            for (int r = 0; r < Math.min(rows, rowLabels.size()); r++) {
                int y = ftop + r * (fth + flabel + gap) + (fth - lh) / 2;
                g.drawString(rowLabels.get(r), 0, y + ascent);
            }
            for (int i = 0; i < tiles.size(); i++) {
                Tile t = tiles.get(i);
                if (t.label().isEmpty()) continue;
                int x0 = fleft + (i % columns) * (fcw + gap), y0 = ftop + (i / columns) * (fth + flabel + gap) + fth + 1;
                String[] ls = t.label().split("\n");
                for (int k = 0; k < ls.length; k++) {
                    String s = Text.fit(ls[k], fcw + gap - 1, Text.SMALL);
                    g.drawString(s, x0 + (fcw - fm.stringWidth(s)) / 2, y0 + k * lh + ascent);
                }
            }
        });
        return out;
    }
}
