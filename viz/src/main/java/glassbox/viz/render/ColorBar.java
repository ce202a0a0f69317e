package glassbox.viz.render;

/**
 * The legend of a colormap: a horizontal bar from {@code min} to {@code max} with the end values (and 0
 * when the range straddles it) printed under it, and a caption saying what the colours measure.
 */
public final class ColorBar {
    private ColorBar() {
    }

    /** A legend {@code width} pixels wide (the bar itself is 12 pixels high). */
    public static Raster render(Colormap cmap, ValueRange range, int width, String caption) {
        width = Math.max(Math.max(width, 120), BitmapFont.width(caption, 1));
        int barH = 12, textH = BitmapFont.height(1);
        Raster r = new Raster(width, textH + 4 + barH + 3 + textH + 1, Raster.WHITE);
        BitmapFont.draw(r, 0, 0, BitmapFont.fit(caption, width, 1), Raster.DARK_GRAY, 1);
        int y0 = textH + 4;
        for (int x = 0; x < width; x++) {
            int c = cmap.rgb(x / (double) (width - 1));
            r.fillRect(x, y0, 1, barH, c);
        }
        r.strokeRect(0, y0, width, barH, Raster.MID_GRAY);
        int ty = y0 + barH + 3;
        String lo = Fmt.num(range.min()), hi = Fmt.num(range.max());
        BitmapFont.draw(r, 0, ty, lo, Raster.DARK_GRAY, 1);
        BitmapFont.draw(r, width - BitmapFont.width(hi, 1), ty, hi, Raster.DARK_GRAY, 1);
        if (range.min() < 0 && range.max() > 0) {
            int zx = (int) Math.round(range.t(0f) * (width - 1));
            r.fillRect(zx, y0 + barH, 1, 2, Raster.DARK_GRAY);
            if (zx - 6 > BitmapFont.width(lo, 1) && zx + 6 < width - BitmapFont.width(hi, 1)) {
                BitmapFont.drawCentered(r, zx, ty, "0", Raster.DARK_GRAY, 1);
            }
        }
        return r;
    }
}
