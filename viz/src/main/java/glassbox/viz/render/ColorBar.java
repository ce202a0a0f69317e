package glassbox.viz.render;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * The legend of a colormap: a caption saying what the colours measure, a horizontal bar, and tick marks
 * with the values they stand for under it.
 *
 * <p>{@link #render(Colormap, ValueRange, int, String)} labels the bar with real values (five ticks, and 0
 * whenever the range straddles it). Sheets whose tiles each have their own range use
 * {@link #render(Colormap, int, String, List)} with symbolic ticks ("-m", "0", "+m") and print each tile's
 * real range under it. Leaves out vertical bars and log scales.
 */
public final class ColorBar {
    /** A tick at position {@code t} in [0, 1] along the bar, labelled {@code label}. */
    public record Tick(double t, String label) {
    }

    private static final int BAR_H = 12;

    private ColorBar() {
    }

    /** A legend {@code width} pixels wide over {@code range}, ticks at real values. */
    public static Raster render(Colormap cmap, ValueRange range, int width, String caption) {
        return render(cmap, width, caption, ticks(range));
    }

    /** Five evenly spaced ticks over {@code range} labelled with their values, and 0 when the range straddles it. */
    public static List<Tick> ticks(ValueRange range) {
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            double v = range.min() + i * ((double) range.max() - range.min()) / 4;
            if (Math.abs(v) < 1e-9 * Math.max(Math.abs(range.min()), Math.abs(range.max()))) v = 0;
            ticks.add(new Tick(i / 4.0, Fmt.num(v)));
        }
        if (range.min() < 0 && range.max() > 0 && ticks.stream().noneMatch(t -> t.label().equals("0"))) {
            double t0 = range.t(0f);
            ticks.removeIf(t -> Math.abs(t.t() - t0) < 0.12 && t.t() > 0 && t.t() < 1);
            ticks.add(new Tick(t0, "0"));
        }
        return ticks;
    }

    /** A legend with the given ticks (e.g. "-m", "0", "+m" when each tile has its own range m). */
    public static Raster render(Colormap cmap, int width, String caption, List<Tick> ticks) {
        width = Math.max(width, 160);
        int lh = Text.height(Text.SMALL);
        List<String> cap = Text.wrap(caption, width, Text.SMALL);
        int capH = cap.size() * lh;
        int y0 = capH + 2;
        int h = y0 + BAR_H + 4 + lh;
        int pad = 24; // room for a tick label centred on either end
        Raster r = new Raster(width + 2 * pad, h, Raster.WHITE);
        for (int x = 0; x < width; x++) r.fillRect(pad + x, y0, 1, BAR_H, cmap.rgb(x / (double) (width - 1)));
        r.strokeRect(pad, y0, width, BAR_H, Raster.MID_GRAY);
        for (Tick t : ticks) {
            int x = pad + (int) Math.round(t.t() * (width - 1));
            r.fillRect(x, y0 + BAR_H, 1, 3, Raster.DARK_GRAY);
        }
        int fw = width;
        r.draw(g -> {
            g.setFont(Text.SMALL);
            g.setColor(new Color(Raster.DARK_GRAY));
            var fm = g.getFontMetrics();
            for (int i = 0; i < cap.size(); i++) g.drawString(cap.get(i), pad, i * lh + fm.getAscent());
            for (Tick t : ticks) {
                int x = pad + (int) Math.round(t.t() * (fw - 1));
                g.drawString(t.label(), x - fm.stringWidth(t.label()) / 2, y0 + BAR_H + 3 + fm.getAscent());
            }
        });
        return r;
    }

    /** Symbolic ticks for per-tile ranges: "-m", "0", "+m" (signed) or "0", "m/2", "m". */
    public static List<Tick> relativeTicks(boolean signed) {
        return signed ? List.of(new Tick(0, "-m"), new Tick(0.5, "0"), new Tick(1, "+m"))
                : List.of(new Tick(0, "0"), new Tick(0.5, "m/2"), new Tick(1, "m"));
    }
}
