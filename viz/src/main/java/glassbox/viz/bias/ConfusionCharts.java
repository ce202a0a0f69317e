package glassbox.viz.bias;

import glassbox.data.Dataset;
import glassbox.viz.render.Charts;
import glassbox.viz.render.Raster;
import glassbox.viz.robustness.Heatmaps;
import glassbox.viz.robustness.Pixels;
import glassbox.viz.robustness.Sheet;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.data.category.DefaultCategoryDataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pictures of a {@link Confusion}: the matrix as a heatmap (colour = fraction of the true class, text =
 * count), per-class precision and recall as bars, the most confused pairs with example images, and the
 * hardest examples with true and predicted labels.
 */
public final class ConfusionCharts {
    private ConfusionCharts() {
    }

    /** Colour: row-normalized fraction (0..1); text: the count. */
    public static JFreeChart matrix(String title, Confusion c) {
        int k = c.classNames().size();
        String[][] text = new String[k][k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) text[i][j] = Integer.toString(c.counts()[i][j]);
        return Heatmaps.chart(title, c.rowNormalized(), text, c.classNames(), c.classNames(), "true class", "predicted class",
                0, 1, "fraction of the true class (row-normalized); numbers are counts");
    }

    /** Precision and recall per class, in percent. */
    public static JFreeChart perClass(String title, Confusion c) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (int k = 0; k < c.classNames().size(); k++) {
            ds.addValue(100 * c.precision()[k], "precision", c.classNames().get(k));
            ds.addValue(100 * c.recall()[k], "recall (per-class accuracy)", c.classNames().get(k));
        }
        JFreeChart ch = ChartFactory.createBarChart(title, "class", "%", ds);
        Charts.style(ch);
        double lo = 100;
        for (int k = 0; k < c.classNames().size(); k++) lo = Math.min(lo, Math.min(nz(c.precision()[k]), nz(c.recall()[k])));
        ch.getCategoryPlot().getRangeAxis().setRange(Math.max(0, Math.floor(lo / 10) * 10 - 10), 100.5);
        if (c.classNames().stream().mapToInt(String::length).max().orElse(0) > 5) {
            ch.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        return ch;
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : 100 * v;
    }

    /** One row per confused pair: its examples, each labelled. */
    public static Raster pairs(String title, Confusion c, Dataset data, int perPair) {
        List<Sheet.Tile> tiles = new ArrayList<>();
        List<String> names = c.classNames();
        for (Confusion.Pair p : c.pairs()) {
            for (int e = 0; e < perPair; e++) {
                if (e < p.examples().length) {
                    int idx = p.examples()[e];
                    tiles.add(new Sheet.Tile(picture(data, idx), List.of("#" + idx, names.get(p.trueClass()) + " -> " + names.get(p.predicted()),
                            e == 0 ? String.format(Locale.ROOT, "%d images (%.1f%%)", p.count(), 100 * p.fractionOfTrue()) : "")));
                } else {
                    tiles.add(new Sheet.Tile(new Raster(data.width(), data.height(), Raster.WHITE), List.of()));
                }
            }
        }
        return Sheet.render(title, List.of(), tiles, perPair, 72);
    }

    /** The hardest examples, highest loss first. */
    public static Raster hardest(String title, Confusion c, Dataset data, int columns) {
        List<Sheet.Tile> tiles = new ArrayList<>();
        List<String> names = c.classNames();
        for (Confusion.Hard h : c.hardest()) {
            tiles.add(new Sheet.Tile(picture(data, h.index()), List.of("#" + h.index() + " loss " + String.format(Locale.ROOT, "%.2f", h.loss()),
                    "true " + names.get(h.label()) + String.format(Locale.ROOT, " %.1f%%", 100 * h.probTrue()),
                    "pred " + names.get(h.predicted()) + String.format(Locale.ROOT, " %.1f%%", 100 * h.probPredicted()))));
        }
        return Sheet.render(title, List.of(), tiles, columns, 72);
    }

    static Raster picture(Dataset d, int i) {
        return Sheet.image(Pixels.of(d, new int[]{i}), d.channels(), d.height(), d.width());
    }
}
