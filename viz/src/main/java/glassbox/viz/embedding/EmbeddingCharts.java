package glassbox.viz.embedding;

import glassbox.data.Dataset;
import glassbox.viz.render.Charts;
import glassbox.viz.render.Fonts;
import glassbox.viz.render.Raster;
import glassbox.viz.robustness.Pixels;
import glassbox.viz.robustness.Sheet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYImageAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.geom.Ellipse2D;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Scatter plots of an {@link Embedding}: one colour per class with a legend, the separation numbers under
 * the title, optionally image thumbnails at a seeded sample of points; and a sheet of several maps side by
 * side (pixels vs learned features, layer by layer).
 */
public final class EmbeddingCharts {
    private EmbeddingCharts() {
    }

    /**
     * @param data       the images, for thumbnails (null: none)
     * @param thumbnails how many thumbnails to draw
     */
    public static JFreeChart scatter(Embedding e, Dataset data, int thumbnails, long seed) {
        return scatter(e, 0, 1, data, thumbnails, seed);
    }

    /** PCA components {@code a} and {@code b} (0-based) against each other; t-SNE uses its two axes. */
    public static JFreeChart scatter(Embedding e, int a, int b, Dataset data, int thumbnails, long seed) {
        boolean pca = e.method().equals("pca");
        int comps = pca ? e.pca3().length / Math.max(1, e.points()) : 2;
        float[] pts = pca && comps == 3 ? e.pca3() : e.map();
        int stride = pca && comps == 3 ? 3 : 2;
        XYSeriesCollection ds = new XYSeriesCollection();
        XYSeries[] series = new XYSeries[e.classNames().size()];
        for (int c = 0; c < series.length; c++) series[c] = new XYSeries(e.classNames().get(c), false, true);
        for (int i = 0; i < e.points(); i++) series[e.labels()[i]].add(pts[i * stride + a], pts[i * stride + b]);
        for (XYSeries s : series) ds.addSeries(s);
        String xl = pca ? String.format(Locale.ROOT, "PC%d (%.1f%% of variance)", a + 1, 100 * e.explained()[a]) : "t-SNE 1";
        String yl = pca ? String.format(Locale.ROOT, "PC%d (%.1f%% of variance)", b + 1, 100 * e.explained()[b]) : "t-SNE 2";
        NumberAxis x = new NumberAxis(xl), y = new NumberAxis(yl);
        x.setAutoRangeIncludesZero(false);
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        double size = e.points() > 5000 ? 2.5 : e.points() > 1000 ? 3.5 : 5;
        for (int c = 0; c < series.length; c++) {
            r.setSeriesShape(c, new Ellipse2D.Double(-size / 2, -size / 2, size, size));
            r.setSeriesPaint(c, Charts.CATEGORICAL[c % Charts.CATEGORICAL.length]);
            r.setLegendShape(c, new Ellipse2D.Double(-5, -5, 10, 10));
        }
        XYPlot plot = new XYPlot(ds, x, y, r);
        String what = e.layer().equals(Features.PIXELS) ? "raw pixels" : "layer " + e.layer();
        String title = (pca ? "PCA" : "t-SNE") + " of " + what + " (" + e.dims() + "-d, " + e.points() + " images)";
        JFreeChart chart = new JFreeChart(title, Fonts.bold(14), plot, true);
        Charts.style(chart);
        chart.addSubtitle(new TextTitle(numbers(e), Fonts.sans(11)));
        if (data != null && thumbnails > 0) {
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int t = 0; t < Math.min(thumbnails, e.points()); t++) {
                int i = rnd.nextInt(e.points());
                Raster img = Sheet.image(Pixels.of(data, new int[]{i}), data.channels(), data.height(), data.width());
                plot.addAnnotation(new XYImageAnnotation(pts[i * stride + a], pts[i * stride + b], img.toImage(), RectangleAnchor.CENTER));
            }
        }
        return chart;
    }

    /** "5-NN accuracy 0.97 (features 0.98), silhouette 0.41 (features 0.12)". */
    public static String numbers(Embedding e) {
        Separation f = e.inFeatures(), m = e.inMap();
        return String.format(Locale.ROOT, "%d-NN accuracy: map %.3f, features %.3f    silhouette: map %.3f, features %.3f", m.k(),
                m.knnAccuracy(), f.knnAccuracy(), m.silhouette(), f.silhouette())
                + (Double.isNaN(e.kl()) ? "" : String.format(Locale.ROOT, "    KL %.3f", e.kl()));
    }

    /** Several maps side by side (e.g. pixels, then each layer), each {@code w x h}. */
    public static Raster sideBySide(List<JFreeChart> charts, int w, int h) {
        Raster out = new Raster(w * charts.size(), h, Raster.WHITE);
        for (int i = 0; i < charts.size(); i++) out.blit(Charts.toRaster(charts.get(i), w, h), i * w, 0);
        return out;
    }
}
