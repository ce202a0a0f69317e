package glassbox.viz.activations;

import glassbox.viz.render.Charts;
import glassbox.viz.render.ColorBar;
import glassbox.viz.render.Colormap;
import glassbox.viz.render.Fmt;
import glassbox.viz.render.Grid;
import glassbox.viz.render.Images;
import glassbox.viz.render.Page;
import glassbox.viz.render.Raster;
import glassbox.viz.render.Scaling;
import glassbox.viz.render.Text;
import glassbox.viz.render.ValueRange;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Draws one layer of an {@link Activations} record beside the input image, with the true and predicted
 * label in the header. Maps [1, C, H, W]: each channel a tile (viridis for non-negative maps such as ReLU
 * outputs, the diverging map centred on 0 for signed ones), small late maps upscaled, a colour bar with real
 * values (global scaling) or each map's maximum under it (per-tile), all-zero maps drawn as 0 and marked
 * "dead". Vectors [1, F]: a bar chart (JFreeChart); the logits with each class's probability.
 */
public final class ActivationMaps {
    /** Maps larger than this many channels are cut, with a note (the JSON still lists every channel). */
    public static final int MAX_CHANNELS = 256;

    private ActivationMaps() {
    }

    /**
     * Sheet for layer {@code l} of {@code a}; {@code input} is the picture shown beside it. The last layer's
     * bars are labelled with class names and probabilities.
     */
    public static Raster render(Activations a, Activations.LayerOutput l, Raster input, Scaling scaling) {
        boolean logits = l.logits() && !l.spatial() && l.shape()[1] == a.classNames().size();
        Raster body = l.spatial() ? maps(l, scaling) : logits ? logitBars(a, l) : vector(l);
        String shape = Arrays.toString(Arrays.copyOfRange(l.shape(), 1, l.shape().length));
        Page p = new Page(l.layer() + " (" + l.type() + ") output " + shape + " for " + a.image());
        p.text(capitalized(a.verdict()) + "." + (a.inputNotes().isEmpty() ? "" : " The image file was " + String.join("; ", a.inputNotes()) + "."));
        int f = Math.max(1, 96 / Math.max(input.width(), input.height()));
        Raster in = Page.column(3, List.of(Text.line("input", Text.SMALL, Raster.DARK_GRAY), input.upscale(f),
                Text.line(a.trueLabel() != null ? "true " + a.trueLabel() : "true: unknown", Text.SMALL, Raster.DARK_GRAY),
                Text.line("predicted " + a.predicted(), Text.SMALL, a.trueLabel() == null || a.trueLabel().equals(a.predicted())
                        ? Raster.DARK_GRAY : 0xB2182B)), Raster.WHITE);
        p.row(16, List.of(in, body));
        return p.render();
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static Raster maps(Activations.LayerOutput l, Scaling scaling) {
        int c = l.shape()[1], h = l.shape()[2], w = l.shape()[3], plane = h * w, shown = Math.min(c, MAX_CHANNELS);
        float[] d = l.values();
        ValueRange all = range(d, 0, shown * plane);
        boolean signed = all.min() < 0;
        Colormap cmap = signed ? Colormap.DIVERGING : Colormap.VIRIDIS;
        int f = tileFactor(h, w);
        List<Grid.Tile> tiles = new ArrayList<>();
        int dead = 0;
        for (int ch = 0; ch < shown; ch++) {
            Activations.Channel info = l.channels().get(ch);
            ValueRange r = scaling == Scaling.GLOBAL ? all : info.dead() ? zeroRange(signed) : range(d, ch * plane, plane);
            String label = info.dead() ? ch + " dead"
                    : scaling == Scaling.PER_TILE ? ch + (signed ? " ±" : " max ") + Fmt.num(Math.max(Math.abs(r.min()), r.max())) : Integer.toString(ch);
            if (info.dead()) dead++;
            tiles.add(new Grid.Tile(Images.map(d, ch * plane, h, w, cmap, r).upscale(f), label));
        }
        Raster grid = new Grid(Grid.squareColumns(shown, 16)).gap(4).render(tiles);
        List<Raster> parts = new ArrayList<>();
        String note = c + " maps " + h + "x" + w + (f > 1 ? ", upscaled x" + f : "") + (shown < c ? ", first " + shown + " shown" : "")
                + "; " + scaling.label() + (scaling == Scaling.PER_TILE ? " (each map on its own range, its largest " + (signed ? "|value|" : "value") + " under it)" : "")
                + (dead > 0 ? "; " + dead + " dead = all 0 for this image" : "") + ".";
        parts.add(Text.paragraph(note, Math.max(grid.width(), 360), Text.BODY, Raster.DARK_GRAY));
        parts.add(grid);
        int barW = Math.min(Math.max(grid.width() - 60, 260), 360);
        parts.add(scaling == Scaling.GLOBAL ? ColorBar.render(cmap, all, barW, "activation value")
                : ColorBar.render(cmap, barW, "activation / m, m = the map's largest " + (signed ? "|value|" : "value"), ColorBar.relativeTicks(signed)));
        return Page.column(6, parts, Raster.WHITE);
    }

    /** The range a dead map is drawn on, so that its zeros get the colour of 0 (bottom of viridis, white of the diverging map). */
    private static ValueRange zeroRange(boolean signed) {
        return signed ? new ValueRange(-1, 1) : new ValueRange(0, 1);
    }

    /** Nearest-neighbour factor that makes a map about 56-64 pixels wide (a 28x28 map x2, a 7x7 map x9). */
    static int tileFactor(int h, int w) {
        return Math.max(1, Math.round(60f / Math.max(h, w)));
    }

    /** Range for a map: symmetric around 0 when it has negative values, else 0..max. */
    private static ValueRange range(float[] d, int off, int len) {
        ValueRange r = ValueRange.of(d, off, len);
        if (r.min() < 0) return ValueRange.symmetric(d, off, len);
        return new ValueRange(0, r.max() > 0 ? r.max() : 1);
    }

    /** The logits as horizontal bars, each class labelled with its probability, the predicted class highlighted. */
    private static Raster logitBars(Activations a, Activations.LayerOutput l) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < a.classNames().size(); i++) {
            labels.add(a.classNames().get(i) + "  p=" + Fmt.fixed(a.probabilities()[i], 2));
        }
        int best = a.classNames().indexOf(a.predicted()), truth = a.trueLabel() == null ? -1 : a.classNames().indexOf(a.trueLabel());
        JFreeChart c = bars(l.values(), labels, "logit (score before softmax)", best, truth);
        c.setTitle("Logits and probabilities: " + a.verdict());
        c.getTitle().setFont(Text.BODY_BOLD);
        return Charts.toRaster(c, 520, 90 + 22 * labels.size());
    }

    /** A feature vector [1, F]: bars up to 64 features, a heat strip beyond. */
    private static Raster vector(Activations.LayerOutput l) {
        float[] d = l.values();
        int f = d.length;
        if (f > 64) {
            int rows = (f + 31) / 32;
            float[] padded = new float[rows * 32];
            System.arraycopy(d, 0, padded, 0, f);
            ValueRange r = range(d, 0, f);
            Colormap cmap = r.min() < 0 ? Colormap.DIVERGING : Colormap.VIRIDIS;
            Raster strip = Images.map(padded, 0, rows, 32, cmap, r).upscale(10);
            return Page.column(6, List.of(Text.line(f + " features, 32 per row, feature 0 top left", Text.BODY, Raster.DARK_GRAY), strip,
                    ColorBar.render(cmap, r, 300, "activation value")), Raster.WHITE);
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < f; i++) labels.add(Integer.toString(i));
        JFreeChart c = bars(d, labels, "activation", -1, -1);
        return Charts.toRaster(c, 520, 70 + Math.max(10, 16 * f));
    }

    /** Horizontal bars: positive red, negative blue; {@code best} drawn darker, {@code truth}'s label marked. */
    private static JFreeChart bars(float[] v, List<String> labels, String axis, int best, int truth) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (int i = 0; i < labels.size(); i++) ds.addValue(v[i], "value", labels.get(i) + (i == truth ? "  (true)" : ""));
        JFreeChart c = Charts.style(ChartFactory.createBarChart(null, null, axis, ds, PlotOrientation.HORIZONTAL, false, false, false));
        CategoryPlot plot = c.getCategoryPlot();
        BarRenderer r = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                if (column == best) return new Color(0x67001f);
                return v[column] >= 0 ? new Color(0xd6604d) : new Color(0x4393c3);
            }
        };
        r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        plot.setRenderer(r);
        plot.getDomainAxis().setTickLabelFont(Text.SMALL);
        return c;
    }
}
