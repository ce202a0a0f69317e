package glassbox.viz.weights;

import glassbox.viz.render.ColorBar;
import glassbox.viz.render.Colormap;
import glassbox.viz.render.Fmt;
import glassbox.viz.render.Grid;
import glassbox.viz.render.Images;
import glassbox.viz.render.Page;
import glassbox.viz.render.Raster;
import glassbox.viz.render.Scaling;
import glassbox.viz.render.ValueRange;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws {@link FcTemplates}: one tile per unit, labelled with its class, on a zero-centred scale (weights
 * are signed). Grey inputs go through the diverging colormap (red: a bright pixel there adds to the score,
 * blue: it subtracts, white: 0); colour inputs stay colour pictures with 0 at mid grey in every channel.
 *
 * <p>{@link Scaling#GLOBAL}: one range for the sheet, real values on the colour bar, so a weak template
 * looks weak. {@link Scaling#PER_TILE}: each template on its own range ±m, m printed under it.
 */
public final class TemplateSheets {
    private TemplateSheets() {
    }

    /** A sheet of templates {@code from .. to-1}. */
    public static Raster render(FcTemplates t, Scaling scaling, int from, int to) {
        int c = t.imageShape()[0], h = t.imageShape()[1], w = t.imageShape()[2], units = t.units();
        float global = t.maxAbs(from, to);
        int f = Images.upscaleFactor(h, w, 96);
        List<Grid.Tile> tiles = new ArrayList<>();
        for (int o = from; o < to; o++) {
            FcTemplates.Template tp = t.templates().get(o);
            String label = tp.label() + (scaling == Scaling.PER_TILE ? "\n±" + Fmt.num(tp.maxAbs()) : "");
            if (tp.maxAbs() == 0) label = tp.label() + "\ndead (all 0)";
            tiles.add(new Grid.Tile(tile(t, o, scaling, from, to).upscale(f), label));
        }
        String range = to - from < units ? ", units " + from + ".." + (to - 1) + " of " + units : "";
        Page p = new Page(t.layer() + " weights as templates (" + scaling.label() + ")" + range);
        p.text("Row o of W [" + units + ", " + c * h * w + "] reshaped to " + c + "x" + h + "x" + w + ", upscaled x" + f + ". "
                + (c == 1 ? "Red pixels add to the unit's score when bright in the input, blue ones subtract; white is 0."
                : "0 is mid grey in every channel; a colour means the unit wants more (bright) or less (dark) of it.")
                + (scaling == Scaling.GLOBAL ? " One range for the sheet: weak templates look faint."
                : " Each template stretched to its own range ±m (m under it): patterns visible, magnitudes not comparable."));
        Raster grid = new Grid(Math.min(10, to - from)).gap(6).render(tiles);
        p.add(grid);
        Colormap cmap = c == 1 ? Colormap.DIVERGING : Colormap.GRAY;
        int barW = Math.min(Math.max(grid.width() - 60, 260), 360);
        p.add(scaling == Scaling.GLOBAL
                ? ColorBar.render(cmap, new ValueRange(-global, global), barW, "weight value" + (c == 3 ? " (each of R, G, B)" : ""))
                : ColorBar.render(cmap, barW, "weight / m, m = the template's largest |weight|" + (c == 3 ? " (each of R, G, B)" : ""),
                ColorBar.relativeTicks(true)));
        return p.render();
    }

    /** Template {@code o} as a picture, one pixel per weight, on the scale {@code scaling} says. */
    public static Raster tile(FcTemplates t, int o, Scaling scaling, int from, int to) {
        int c = t.imageShape()[0], h = t.imageShape()[1], w = t.imageShape()[2];
        FcTemplates.Template tp = t.templates().get(o);
        float m = scaling == Scaling.GLOBAL ? t.maxAbs(from, to) : tp.maxAbs();
        ValueRange r = m > 0 ? new ValueRange(-m, m) : new ValueRange(-1, 1);
        return c == 1 ? Images.map(tp.weights(), 0, h, w, Colormap.DIVERGING, r) : Images.image(tp.weights(), 0, c, h, w, r);
    }
}
