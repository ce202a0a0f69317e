package glassbox.viz.robustness;

import glassbox.viz.render.Fonts;
import glassbox.viz.render.Raster;

import java.awt.Font;
import java.util.List;

/**
 * True images in a table: rows of tiles, each with lines of text under it, column headers on top and a
 * title, all in the bundled font. Images are upscaled by nearest neighbour so a pixel stays a pixel. For
 * galleries (clean / perturbation / adversarial, confused pairs, hardest examples). Leaves out charts:
 * those come from JFreeChart.
 */
public final class Sheet {
    private Sheet() {
    }

    /** One tile: the image and the lines printed under it. */
    public record Tile(Raster image, List<String> lines) {
    }

    /** Pixels [C, H, W] in 0..1 as a picture (grey for one channel, RGB for three). */
    public static Raster image(float[] px, int c, int h, int w) {
        Raster r = new Raster(w, h, 0);
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v0 = Math.round(255 * clamp(px[y * w + x]));
                r.set(x, y, c >= 3 ? Raster.rgb(v0, Math.round(255 * clamp(px[plane + y * w + x])), Math.round(255 * clamp(px[2 * plane + y * w + x])))
                        : Raster.gray(v0));
            }
        }
        return r;
    }

    /** A signed perturbation δ [C, H, W] shown as 0.5 + scale·δ (grey is zero), clamped. */
    public static Raster perturbation(float[] delta, int c, int h, int w, float scale) {
        float[] p = new float[delta.length];
        for (int i = 0; i < p.length; i++) p[i] = 0.5f + scale * delta[i];
        return image(p, c, h, w);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    /**
     * Lays out {@code tiles} in {@code columns} columns, each image upscaled to about {@code size} pixels.
     *
     * @param title   drawn on top
     * @param headers column headers (may be empty)
     */
    public static Raster render(String title, List<String> headers, List<Tile> tiles, int columns, int size) {
        Font tf = Fonts.bold(15), hf = Fonts.bold(12), lf = Fonts.sans(11);
        int scale = Math.max(1, size / Math.max(1, tiles.getFirst().image().width()));
        int lines = 0, cw = 0, ch = 0;
        for (Tile t : tiles) {
            lines = Math.max(lines, t.lines().size());
            cw = Math.max(cw, t.image().width() * scale);
            ch = Math.max(ch, t.image().height() * scale);
            for (String s : t.lines()) cw = Math.max(cw, Raster.textWidth(s, lf) + 6);
        }
        for (String s : headers) cw = Math.max(cw, Raster.textWidth(s, hf) + 8);
        int lh = Raster.lineHeight(lf), gap = 10, pad = 12;
        int rows = (tiles.size() + columns - 1) / columns;
        int titleH = Raster.lineHeight(tf) + 8, headH = headers.isEmpty() ? 0 : Raster.lineHeight(hf) + 4;
        int cellH = ch + 4 + lines * lh;
        int width = Math.max(2 * pad + columns * cw + (columns - 1) * gap, Raster.textWidth(title, tf) + 2 * pad);
        int height = pad + titleH + headH + rows * cellH + (rows - 1) * gap + pad;
        Raster out = new Raster(width, height, Raster.WHITE);
        out.drawText(title, pad, pad, tf, Raster.BLACK);
        int y0 = pad + titleH;
        for (int c = 0; c < Math.min(columns, headers.size()); c++) {
            String s = headers.get(c);
            out.drawText(s, pad + c * (cw + gap) + (cw - Raster.textWidth(s, hf)) / 2, y0, hf, Raster.DARK_GRAY);
        }
        y0 += headH;
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            Raster img = t.image().upscale(scale);
            int x = pad + (i % columns) * (cw + gap), y = y0 + (i / columns) * (cellH + gap);
            out.blit(img, x + (cw - img.width()) / 2, y);
            out.strokeRect(x + (cw - img.width()) / 2 - 1, y - 1, img.width() + 2, img.height() + 2, Raster.LIGHT_GRAY);
            for (int l = 0; l < t.lines().size(); l++) {
                String s = t.lines().get(l);
                out.drawText(s, x + (cw - Raster.textWidth(s, lf)) / 2, y + ch + 4 + l * lh, lf, Raster.DARK_GRAY);
            }
        }
        return out;
    }
}
