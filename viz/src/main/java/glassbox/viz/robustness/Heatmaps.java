package glassbox.viz.robustness;

import glassbox.viz.render.Charts;
import glassbox.viz.render.Colormap;
import glassbox.viz.render.Fonts;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

import java.awt.Color;
import java.awt.Paint;
import java.util.List;
import java.util.Locale;

/**
 * A labelled matrix as a JFreeChart heatmap: one coloured cell per entry, row and column names on the axes,
 * each cell's number written in it, and a colour bar with the real values. Used for class x severity
 * robustness tables and confusion matrices. Leaves out clustering or reordering of rows.
 */
public final class Heatmaps {
    private Heatmaps() {
    }

    /**
     * @param title     what is shown
     * @param values    [rows][cols]; NaN cells are drawn grey
     * @param text      the number to print in each cell [rows][cols] (null: none)
     * @param rows      row names (top to bottom)
     * @param cols      column names (left to right)
     * @param rowAxis   what the rows are
     * @param colAxis   what the columns are
     * @param min       value at the low end of the colour map
     * @param max       value at the high end
     * @param scaleName caption of the colour bar
     */
    public static JFreeChart chart(String title, double[][] values, String[][] text, List<String> rows, List<String> cols,
                                   String rowAxis, String colAxis, double min, double max, String scaleName) {
        int r = rows.size(), c = cols.size();
        double[] xs = new double[r * c], ys = new double[r * c], zs = new double[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                int k = i * c + j;
                xs[k] = j;
                ys[k] = r - 1 - i; // first row on top
                zs[k] = values[i][j];
            }
        }
        DefaultXYZDataset ds = new DefaultXYZDataset();
        ds.addSeries("values", new double[][]{xs, ys, zs});
        String[] revRows = new String[r];
        for (int i = 0; i < r; i++) revRows[i] = rows.get(r - 1 - i);
        SymbolAxis xAxis = new SymbolAxis(colAxis, cols.toArray(String[]::new));
        SymbolAxis yAxis = new SymbolAxis(rowAxis, revRows);
        xAxis.setGridBandsVisible(false);
        yAxis.setGridBandsVisible(false);
        xAxis.setLowerMargin(0);
        xAxis.setUpperMargin(0);
        if (c > 6) xAxis.setVerticalTickLabels(cols.stream().mapToInt(String::length).max().orElse(0) > 3);
        XYBlockRenderer renderer = new XYBlockRenderer();
        Scale scale = new Scale(min, max);
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(ds, xAxis, yAxis, renderer);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        xAxis.setRange(-0.5, c - 0.5);
        yAxis.setRange(-0.5, r - 0.5);
        JFreeChart chart = new JFreeChart(title, Fonts.bold(14), plot, false);
        NumberAxis barAxis = new NumberAxis(scaleName);
        barAxis.setRange(min, max == min ? min + 1 : max);
        PaintScaleLegend legend = new PaintScaleLegend(scale, barAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setAxisLocation(AxisLocation.TOP_OR_RIGHT);
        legend.setMargin(4, 8, 4, 4);
        legend.setStripWidth(14);
        chart.addSubtitle(legend);
        Charts.style(chart);
        barAxis.setLabelFont(Fonts.sans(11));
        legend.setBackgroundPaint(Color.WHITE);
        // after the theme, which would otherwise repaint the annotations in its own font and colour
        if (text != null) {
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    if (text[i][j] == null || text[i][j].isEmpty()) continue;
                    XYTextAnnotation a = new XYTextAnnotation(text[i][j], j, r - 1 - i);
                    a.setFont(Fonts.sans(c > 12 ? 8 : 11));
                    double t = scale.t(values[i][j]);
                    a.setPaint(Double.isNaN(t) || t > 0.55 ? Color.BLACK : Color.WHITE);
                    plot.addAnnotation(a);
                }
            }
        }
        return chart;
    }

    /** Viridis from min to max; NaN light grey. */
    static final class Scale implements PaintScale {
        private final double lo, hi;

        Scale(double lo, double hi) {
            this.lo = lo;
            this.hi = hi == lo ? lo + 1 : hi;
        }

        double t(double v) {
            return (v - lo) / (hi - lo);
        }

        @Override
        public double getLowerBound() {
            return lo;
        }

        @Override
        public double getUpperBound() {
            return hi;
        }

        @Override
        public Paint getPaint(double v) {
            if (Double.isNaN(v)) return new Color(0xDDDDDD);
            return new Color(Colormap.VIRIDIS.rgb(t(v)));
        }
    }

    /** A number with {@code decimals} places, Locale.ROOT; empty for NaN. */
    public static String num(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
