package glassbox.viz.render;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartTheme;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * Charts (curves, bars, histograms, scatter plots, heatmaps with axes) come from JFreeChart; this class
 * gives them one look and writes them as PNG.
 *
 * <p>Why JFreeChart: pure Java, renders headless straight to a {@link BufferedImage}, mature (20+ years,
 * still maintained, LGPL), and covers every chart type the views need, log axes and shaded bands included.
 * Build a chart with {@link ChartFactory} or the plot classes, then {@link #style} it (or create it after
 * {@link #install()}), and {@link #writePng} it. Leaves out interactivity: the web explorer draws its own
 * charts in the browser from the same records.
 */
public final class Charts {
    /** A qualitative palette that stays distinguishable for 10 classes (Tableau 10). */
    public static final Color[] CATEGORICAL = {
            new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
            new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};

    private static final ChartTheme THEME = theme();

    private Charts() {
    }

    /** Makes charts created from now on by {@link ChartFactory} use the Glassbox theme. */
    public static void install() {
        ChartFactory.setChartTheme(THEME);
    }

    /** Applies the Glassbox theme (bundled fonts, white background, light grid, palette) to {@code chart}. */
    public static JFreeChart style(JFreeChart chart) {
        THEME.apply(chart);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        return chart;
    }

    /** The chart drawn at {@code width x height} pixels. */
    public static BufferedImage toImage(JFreeChart chart, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Draws the chart at {@code width x height} and writes it as a PNG file (see {@link Png#write}). */
    public static void writePng(JFreeChart chart, int width, int height, Path file) {
        Png.write(toImage(chart, width, height), file);
    }

    /** The chart as a {@link Raster}, to combine it with true images on one sheet. */
    public static Raster toRaster(JFreeChart chart, int width, int height) {
        return Raster.of(toImage(chart, width, height));
    }

    private static ChartTheme theme() {
        StandardChartTheme t = new StandardChartTheme("Glassbox");
        t.setExtraLargeFont(Fonts.bold(16));
        t.setLargeFont(Fonts.bold(13));
        t.setRegularFont(Fonts.sans(12));
        t.setSmallFont(Fonts.sans(10));
        t.setChartBackgroundPaint(Color.WHITE);
        t.setPlotBackgroundPaint(Color.WHITE);
        t.setLegendBackgroundPaint(Color.WHITE);
        t.setDomainGridlinePaint(new Color(0xDDDDDD));
        t.setRangeGridlinePaint(new Color(0xDDDDDD));
        t.setPlotOutlinePaint(new Color(0x888888));
        t.setAxisLabelPaint(Color.BLACK);
        t.setTickLabelPaint(new Color(0x333333));
        t.setBarPainter(new StandardBarPainter());
        t.setXYBarPainter(new StandardXYBarPainter());
        t.setShadowVisible(false);
        Paint[] series = CATEGORICAL.clone();
        t.setDrawingSupplier(new org.jfree.chart.plot.DefaultDrawingSupplier(series,
                org.jfree.chart.plot.DefaultDrawingSupplier.DEFAULT_FILL_PAINT_SEQUENCE,
                org.jfree.chart.plot.DefaultDrawingSupplier.DEFAULT_OUTLINE_PAINT_SEQUENCE,
                new java.awt.Stroke[]{new BasicStroke(2f)},
                org.jfree.chart.plot.DefaultDrawingSupplier.DEFAULT_OUTLINE_STROKE_SEQUENCE,
                org.jfree.chart.plot.DefaultDrawingSupplier.DEFAULT_SHAPE_SEQUENCE));
        return t;
    }
}
