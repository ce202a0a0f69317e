package glassbox.viz.render;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out equally spaced tiles in rows and columns, each with an optional label under it, and optional
 * row labels (left) and column labels (top), as in the ConvNetJS filter views.
 *
 * <p>Every cell is as large as the largest tile; tiles are centred in their cell. Labels are drawn with the
 * built-in {@link BitmapFont} and shortened to fit their cell. Leaves out scaling of the tiles: make them
 * the size you want first ({@link Raster#upscale}).
 */
public final class Grid {
    /** One picture and the text printed under it (may be empty). */
    public record Tile(Raster image, String label) {
    }

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
        int cw = 1, ch = 1;
        boolean labels = false;
        for (Tile t : tiles) {
            cw = Math.max(cw, t.image().width());
            ch = Math.max(ch, t.image().height());
            labels |= !t.label().isEmpty();
        }
        int labelH = labels ? BitmapFont.height(1) + 3 : 0;
        int rows = (tiles.size() + columns - 1) / columns;
        int cols = Math.min(columns, tiles.size());
        int left = 0;
        for (String s : rowLabels) left = Math.max(left, BitmapFont.width(s, 1) + gap + 2);
        int top = columnLabels.isEmpty() ? 0 : BitmapFont.height(1) + 4;
        int width = left + cols * cw + (cols - 1) * gap;
        int height = top + rows * (ch + labelH) + (rows - 1) * gap;
        Raster out = new Raster(width, height, background);
        for (int c = 0; c < Math.min(cols, columnLabels.size()); c++) {
            String s = BitmapFont.fit(columnLabels.get(c), cw + gap - 1, 1);
            BitmapFont.drawCentered(out, left + c * (cw + gap) + cw / 2, 0, s, textColor, 1);
        }
        for (int r = 0; r < Math.min(rows, rowLabels.size()); r++) {
            int y = top + r * (ch + labelH + gap) + (ch - BitmapFont.height(1)) / 2;
            BitmapFont.draw(out, 0, y, rowLabels.get(r), textColor, 1);
        }
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            int x0 = left + (i % columns) * (cw + gap), y0 = top + (i / columns) * (ch + labelH + gap);
            out.blit(t.image(), x0 + (cw - t.image().width()) / 2, y0 + (ch - t.image().height()) / 2);
            if (!t.label().isEmpty()) {
                String s = BitmapFont.fit(t.label(), cw + gap - 1, 1);
                BitmapFont.drawCentered(out, x0 + cw / 2, y0 + ch + 2, s, textColor, 1);
            }
        }
        return out;
    }
}
