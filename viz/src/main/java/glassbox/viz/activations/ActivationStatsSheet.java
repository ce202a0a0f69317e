package glassbox.viz.activations;

import glassbox.viz.render.Charts;
import glassbox.viz.render.Fmt;
import glassbox.viz.render.Page;
import glassbox.viz.render.Raster;
import glassbox.viz.render.Text;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.util.Arrays;
import java.util.List;

/**
 * Draws {@link ActivationStats}: a table (layer, type, shape, mean, std, zeros, dead channels) and two
 * JFreeChart bar charts over the layers in forward order: the standard deviation (does the signal collapse
 * or explode with depth?) and the share of zeros and of dead channels.
 */
public final class ActivationStatsSheet {
    private ActivationStatsSheet() {
    }

    /** The sheet for {@code stats} measured over {@code batch} images. */
    public static Raster render(List<ActivationStats.LayerStats> stats, int batch) {
        String[][] rows = new String[stats.size() + 1][];
        rows[0] = new String[]{"layer", "type", "output shape", "mean", "std", "zeros", "dead channels"};
        for (int r = 0; r < stats.size(); r++) {
            ActivationStats.LayerStats s = stats.get(r);
            rows[r + 1] = new String[]{s.layer(), s.type(), Arrays.toString(Arrays.copyOfRange(s.shape(), 1, s.shape().length)).replace(" ", ""),
                    Fmt.num(s.mean()), Fmt.num(s.std()), pct(s.zeroFraction()), pct(s.deadChannelFraction())};
        }
        Page p = new Page("Activation statistics over a batch of " + batch + " images");
        p.text("zeros = share of exact zeros in the layer's output (sparsity after ReLU); dead channels = channels that are 0 "
                + "on every image and position of the batch. A healthy network keeps std roughly level from layer to layer.");
        p.add(table(rows));
        p.row(12, List.of(Charts.toRaster(stdChart(stats), 460, 320), Charts.toRaster(zerosChart(stats), 460, 320)));
        return p.render();
    }

    private static JFreeChart stdChart(List<ActivationStats.LayerStats> stats) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (ActivationStats.LayerStats s : stats) d.addValue(s.std(), "std", s.layer());
        JFreeChart c = Charts.style(ChartFactory.createBarChart("Standard deviation per layer", null, "std of the output", d,
                PlotOrientation.VERTICAL, false, false, false));
        finish(c, new Color(0x2a788e));
        return c;
    }

    private static JFreeChart zerosChart(List<ActivationStats.LayerStats> stats) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (ActivationStats.LayerStats s : stats) {
            d.addValue(100 * s.zeroFraction(), "zeros", s.layer());
            d.addValue(100 * s.deadChannelFraction(), "dead channels", s.layer());
        }
        JFreeChart c = Charts.style(ChartFactory.createBarChart("Zeros and dead channels per layer", null, "% of the output", d,
                PlotOrientation.VERTICAL, true, false, false));
        finish(c, new Color(0x21918c));
        c.getCategoryPlot().getRenderer().setSeriesPaint(1, new Color(0xb2182b));
        ((NumberAxis) c.getCategoryPlot().getRangeAxis()).setRange(0, 100);
        return c;
    }

    private static void finish(JFreeChart c, Color first) {
        c.getTitle().setFont(Text.BODY_BOLD);
        CategoryPlot plot = c.getCategoryPlot();
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        plot.getDomainAxis().setTickLabelFont(Text.SMALL);
        plot.getRenderer().setSeriesPaint(0, first);
    }

    /** Rows of text cells, the first row a header. */
    private static Raster table(String[][] rows) {
        int cols = rows[0].length, lh = Text.height(Text.BODY) + 2;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], Text.width(r[i], r == rows[0] ? Text.BODY_BOLD : Text.BODY));
        int total = 0;
        for (int x : w) total += x + 16;
        Raster t = new Raster(total, rows.length * lh + 4, Raster.WHITE);
        for (int r = 2; r < rows.length; r += 2) t.fillRect(0, r * lh + 2, total, lh, 0xF2F2F2);
        t.fillRect(0, lh + 1, total, 1, Raster.MID_GRAY);
        t.draw(g -> {
            var fm = g.getFontMetrics(Text.BODY);
            for (int r = 0; r < rows.length; r++) {
                g.setFont(r == 0 ? Text.BODY_BOLD : Text.BODY);
                g.setColor(new Color(r == 0 ? Raster.BLACK : Raster.DARK_GRAY));
                int x = 0;
                for (int i = 0; i < cols; i++) {
                    boolean number = i >= 3; // numbers (and their headers) right-aligned
                    int dx = number ? w[i] - g.getFontMetrics().stringWidth(rows[r][i]) : 0;
                    g.drawString(rows[r][i], x + dx, r * lh + 2 + fm.getAscent() + (r > 0 ? 2 : 0));
                    x += w[i] + 16;
                }
            }
        });
        return t;
    }

    private static String pct(double f) {
        return Math.round(100 * f) + "%";
    }
}
