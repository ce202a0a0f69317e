package glassbox.viz.weights;

import glassbox.viz.render.Charts;
import glassbox.viz.render.Fmt;
import glassbox.viz.render.Grid;
import glassbox.viz.render.Page;
import glassbox.viz.render.Raster;
import glassbox.viz.render.Scaling;
import glassbox.viz.render.Text;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws a {@link KernelComparison}: one column per architecture with its kernels (zero-centred, each on its
 * own range), four numbers under each kernel, a table of averages against the noise baseline, and an
 * orientation histogram (JFreeChart).
 */
public final class KernelComparisonSheet {
    private KernelComparisonSheet() {
    }

    public static Raster render(KernelComparison cmp) {
        List<Raster> columns = new ArrayList<>();
        for (KernelComparison.Layer l : cmp.layers()) columns.add(column(l));
        Page p = new Page("First-layer kernels across architectures");
        p.text("Under each kernel: its edge orientation in degrees (0 horizontal, 90 vertical; '-' when its coherence is below "
                + KernelComparison.ORIENTED + ", i.e. not an edge), freq = mean spatial frequency in cycles per pixel, "
                + "colour = share of the energy that differs between R, G and B, smooth = smoothness (1 = flat). "
                + "In brackets: the same average for random (i.i.d. noise) kernels of that shape, i.e. an untrained layer.");
        p.row(28, columns);
        return p.render();
    }

    private static Raster column(KernelComparison.Layer l) {
        int[] s = l.kernels().shape();
        int out = s[0], in = s[1], k = s[2];
        if (in != 1 && in != 3) throw new IllegalArgumentException(l.label() + ": first-layer kernels need 1 or 3 input channels, got " + in);
        List<Raster> tiles = KernelSheets.kernelTiles(l.kernels(), Scaling.PER_TILE, 40);
        List<Grid.Tile> cards = new ArrayList<>();
        for (int o = 0; o < out; o++) {
            KernelStats st = l.stats().get(o);
            String orient = st.norm() == 0 ? "dead" : st.coherence() > KernelComparison.ORIENTED ? Math.round(st.orientation()) % 180 + "°" : "-";
            cards.add(new Grid.Tile(tiles.get(o), orient + "\nfreq " + frac(st.meanFrequency()) + "\ncolour " + frac(st.colourFraction())
                    + "\nsmooth " + frac(st.smoothness())));
        }
        KernelComparison.Summary sm = l.summary(), nz = l.noise();
        List<Raster> parts = new ArrayList<>();
        parts.add(Text.line(l.label(), Text.TITLE, Raster.BLACK));
        parts.add(Text.line("first conv layer: " + out + " kernels " + in + "x" + k + "x" + k, Text.BODY, Raster.DARK_GRAY));
        parts.add(new Grid(Math.min(out, 8)).gap(6).render(cards));
        parts.add(Text.line("mean of " + out + " kernels (random kernels of this shape)", Text.BODY, Raster.DARK_GRAY));
        parts.add(table(new String[][]{
                {"oriented", pct(sm.orientedFraction()), "(" + pct(nz.orientedFraction()) + ")"},
                {"coherence", Fmt.fixed(sm.meanCoherence(), 2), "(" + Fmt.fixed(nz.meanCoherence(), 2) + ")"},
                {"frequency", Fmt.fixed(sm.meanFrequency(), 2), "(" + Fmt.fixed(nz.meanFrequency(), 2) + ")"},
                {"colour share", pct(sm.meanColourFraction()), "(" + pct(nz.meanColourFraction()) + ")"},
                {"smoothness", Fmt.fixed(sm.meanSmoothness(), 2), "(" + Fmt.fixed(nz.meanSmoothness(), 2) + ")"},
                {"dead", pct(sm.deadFraction()), ""}}));
        parts.add(Charts.toRaster(histogram(sm.orientationHistogram()), 330, 180));
        return Page.column(6, parts, Raster.WHITE);
    }

    /** Rows of cells in columns, left-aligned, in the body font. */
    static Raster table(String[][] rows) {
        int cols = rows[0].length, lh = Text.height(Text.BODY);
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], Text.width(r[i], Text.BODY));
        int total = 0;
        for (int x : w) total += x + 14;
        Raster t = new Raster(total, rows.length * lh + 2, Raster.WHITE);
        t.draw(g -> {
            g.setFont(Text.BODY);
            int ascent = g.getFontMetrics().getAscent();
            for (int r = 0; r < rows.length; r++) {
                int x = 0;
                for (int i = 0; i < cols; i++) {
                    g.setColor(new java.awt.Color(i == 0 ? Raster.DARK_GRAY : Raster.BLACK));
                    g.drawString(rows[r][i], x, r * lh + ascent);
                    x += w[i] + 14;
                }
            }
        });
        return t;
    }

    /** Oriented kernels per orientation bin, the bins labelled by their centres. */
    static JFreeChart histogram(int[] hist) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (int b = 0; b < hist.length; b++) d.addValue(hist[b], "kernels", Long.toString(Math.round(b * 180.0 / hist.length)));
        JFreeChart c = Charts.style(ChartFactory.createBarChart("Edge orientations of oriented kernels", "orientation, degrees (bin centre)",
                "kernels", d, PlotOrientation.VERTICAL, false, false, false));
        c.getTitle().setFont(Text.BODY_BOLD);
        CategoryPlot plot = c.getCategoryPlot();
        plot.getRangeAxis().setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
        plot.getDomainAxis().setTickLabelFont(Text.SMALL);
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(1.5f);
        ((BarRenderer) plot.getRenderer()).setSeriesPaint(0, new java.awt.Color(0x2a788e));
        return c;
    }

    private static String frac(double f) {
        return Fmt.fixed(f, 2).replaceFirst("^0", "");
    }

    private static String pct(double f) {
        return Math.round(100 * f) + "%";
    }
}
