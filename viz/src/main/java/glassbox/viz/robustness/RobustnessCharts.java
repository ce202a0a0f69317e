package glassbox.viz.robustness;

import glassbox.viz.render.Charts;
import glassbox.viz.render.Fonts;
import glassbox.viz.render.Raster;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pictures of the robustness views: accuracy curves (several models or corruptions on one chart, clean
 * accuracy marked), the class x level heatmap, the attack gallery (clean / amplified perturbation /
 * adversarial with predictions and confidences), the corruption examples, and the fooling image.
 */
public final class RobustnessCharts {
    private RobustnessCharts() {
    }

    /** Accuracy against level, one line per curve (legend: model and what was applied); clean accuracy dashed. */
    public static JFreeChart curves(String title, List<Curve> curves) {
        XYSeriesCollection ds = new XYSeriesCollection();
        boolean sameModel = curves.stream().map(Curve::model).distinct().count() == 1;
        boolean sameName = curves.stream().map(Curve::name).distinct().count() == 1;
        for (Curve c : curves) {
            String key = sameName ? c.model() : sameModel ? c.name() : c.model() + ", " + c.name();
            XYSeries s = new XYSeries(key + " (clean " + pct(c.cleanAccuracy()) + ")", false, true);
            for (int i = 0; i < c.levels().length; i++) s.add(c.levels()[i], 100 * c.accuracy()[i]);
            ds.addSeries(s);
        }
        String x = curves.stream().map(Curve::parameter).distinct().count() == 1 ? curves.getFirst().parameter() : "severity parameter";
        JFreeChart chart = ChartFactory.createXYLineChart(title, x, "accuracy (%)", ds, PlotOrientation.VERTICAL, true, false, false);
        Charts.style(chart);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < curves.size(); i++) {
            r.setSeriesPaint(i, Charts.CATEGORICAL[i % Charts.CATEGORICAL.length]);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 106);
        boolean oneClean = curves.stream().map(Curve::cleanAccuracy).distinct().count() == 1;
        for (Curve c : oneClean ? curves.subList(0, 1) : curves) {
            ValueMarker m = new ValueMarker(100 * c.cleanAccuracy(), new Color(0x888888),
                    new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[]{5f, 4f}, 0f));
            if (oneClean) m.setLabel("clean " + pct(c.cleanAccuracy())); // several: the legend gives each one
            m.setLabelFont(Fonts.sans(10));
            m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(m);
        }
        return chart;
    }

    /**
     * Accuracy over severity 0..5, one line per corruption: the x axis is the severity, each corruption's
     * parameter values are in the legend (e.g. "noise [0, 0.05, .., 0.5]").
     */
    public static JFreeChart severityCurves(String title, List<Curve> curves) {
        List<Curve> bySeverity = new ArrayList<>();
        for (Curve c : curves) {
            float[] sev = new float[c.levels().length];
            for (int i = 0; i < sev.length; i++) sev[i] = i;
            StringBuilder lv = new StringBuilder();
            for (float v : c.levels()) lv.append(lv.isEmpty() ? "" : ", ").append(levelLabel(v));
            bySeverity.add(new Curve(c.model(), c.name() + " [" + lv + "]", "severity (0 = clean)", sev, c.accuracy(), c.classAccuracy(),
                    c.classNames(), c.images(), c.cleanAccuracy()));
        }
        JFreeChart ch = curves(title, bySeverity);
        ch.getXYPlot().getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return ch;
    }

    /** A level or radius as people write it: "8/255" for small multiples of 1/255, else up to 4 decimals ("0.05"). */
    public static String levelLabel(float v) {
        float k = v * 255;
        if (v > 0 && k <= 32.5f && Math.abs(k - Math.round(k)) < 1e-3) return Math.round(k) + "/255";
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** Which classes break first: accuracy per true class (rows) and level (columns). */
    public static JFreeChart classHeatmap(Curve c) {
        int l = c.levels().length, k = c.classNames().size();
        double[][] v = new double[k][l];
        String[][] t = new String[k][l];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < l; j++) {
                v[i][j] = 100 * c.classAccuracy()[j][i];
                t[i][j] = Heatmaps.num(v[i][j], 0);
            }
        }
        List<String> cols = new ArrayList<>();
        for (float f : c.levels()) cols.add(level(f));
        return Heatmaps.chart(c.model() + ": accuracy per class under " + c.name(), v, t, c.classNames(), cols,
                "true class", c.parameter(), 0, 100, "accuracy (%)");
    }

    /**
     * Rows of clean | perturbation x scale | adversarial. The perturbation is shown as grey + scale·δ, with
     * the scale chosen so the largest |δ| reaches black or white, and stated in the header.
     */
    public static Raster gallery(String title, List<AttackCurves.Example> ex, List<String> classNames, int[] shape) {
        if (ex.isEmpty()) throw new IllegalArgumentException("no gallery examples: the model got none of the images right");
        float maxD = 0;
        for (AttackCurves.Example e : ex) maxD = Math.max(maxD, e.linf());
        float scale = maxD > 0 ? 0.5f / maxD : 1;
        int c = shape[0], h = shape[1], w = shape[2];
        List<Sheet.Tile> tiles = new ArrayList<>();
        for (AttackCurves.Example e : ex) {
            float[] d = new float[e.clean().length];
            for (int i = 0; i < d.length; i++) d[i] = e.adversarial()[i] - e.clean()[i];
            tiles.add(new Sheet.Tile(Sheet.image(e.clean(), c, h, w), List.of("#" + e.index() + " true " + classNames.get(e.label()),
                    "pred " + classNames.get(e.cleanPredicted()) + " " + pct(e.cleanConfidence()))));
            tiles.add(new Sheet.Tile(Sheet.perturbation(d, c, h, w, scale), List.of(String.format(Locale.ROOT, "max |d| %.4f", e.linf()),
                    String.format(Locale.ROOT, "||d||2 %.3f", e.l2()))));
            boolean fooled = e.advPredicted() != e.label();
            tiles.add(new Sheet.Tile(Sheet.image(e.adversarial(), c, h, w), List.of(
                    "pred " + classNames.get(e.advPredicted()) + " " + pct(e.advConfidence()), fooled ? "fooled" : "still right")));
        }
        List<String> headers = List.of("clean", String.format(Locale.ROOT, "perturbation x%.1f (grey = 0)", scale), "adversarial");
        return Sheet.render(title, headers, tiles, 3, 96);
    }

    /** One row per corruption, one column per severity, each tile with the model's prediction. */
    public static Raster corruptionExamples(String title, List<CorruptionCurves.Result> runs, List<String> classNames, int label, int[] shape) {
        List<Sheet.Tile> tiles = new ArrayList<>();
        for (CorruptionCurves.Result r : runs) {
            float[] lv = r.curve().levels();
            for (int l = 0; l < lv.length; l++) {
                tiles.add(new Sheet.Tile(Sheet.image(r.examples()[l], shape[0], shape[1], shape[2]),
                        List.of(r.corruption() + " " + level(lv[l]), "pred " + classNames.get(r.examplePredicted()[l])
                                + (r.examplePredicted()[l] == label ? "" : " (wrong)"))));
            }
        }
        List<String> headers = List.of("severity 0 (clean)", "1", "2", "3", "4", "5");
        return Sheet.render(title, headers, tiles, 6, 72);
    }

    /** Original | perturbation x scale | fooled image, with the top probabilities and the target's rise per step. */
    public static Raster fooling(Fooling f) {
        int c = f.shape()[0], h = f.shape()[1], w = f.shape()[2];
        float[] d = new float[f.original().length];
        for (int i = 0; i < d.length; i++) d[i] = f.fooled()[i] - f.original()[i];
        float scale = f.linf() > 0 ? 0.5f / f.linf() : 1;
        List<String> names = f.classNames();
        int before = argmax(f.cleanProbs()), after = argmax(f.foolProbs());
        List<Sheet.Tile> tiles = List.of(
                new Sheet.Tile(Sheet.image(f.original(), c, h, w), List.of((f.label() >= 0 ? "true " + names.get(f.label()) : "label unknown"),
                        "pred " + names.get(before) + " " + pct(f.cleanProbs()[before]),
                        "p(" + names.get(f.target()) + ") " + pct(f.cleanProbs()[f.target()]))),
                new Sheet.Tile(Sheet.perturbation(d, c, h, w, scale), List.of(String.format(Locale.ROOT, "max |d| %.4f (eps %.4f)", f.linf(), f.epsilon()),
                        String.format(Locale.ROOT, "||d||2 %.3f", f.l2()), f.steps() + " PGD steps")),
                new Sheet.Tile(Sheet.image(f.fooled(), c, h, w), List.of("pred " + names.get(after) + " " + pct(f.foolProbs()[after]),
                        "p(" + names.get(f.target()) + ") " + pct(f.foolProbs()[f.target()]), f.reached() ? "target reached" : "target NOT reached")));
        String title = "Fooling " + (f.index() >= 0 ? "test image #" + f.index() : "the image") + " into '" + names.get(f.target()) + "'";
        Raster sheet = Sheet.render(title, List.of("original", String.format(Locale.ROOT, "perturbation x%.1f (grey = 0)", scale), "result"), tiles, 3, 160);
        Raster chart = Charts.toRaster(probabilities(f), sheet.width(), 260);
        Raster out = new Raster(sheet.width(), sheet.height() + chart.height(), Raster.WHITE);
        out.blit(sheet, 0, 0);
        out.blit(chart, 0, sheet.height());
        return out;
    }

    /** Bars: probabilities of every class before and after. */
    static JFreeChart probabilities(Fooling f) {
        org.jfree.data.category.DefaultCategoryDataset ds = new org.jfree.data.category.DefaultCategoryDataset();
        for (int k = 0; k < f.classNames().size(); k++) {
            ds.addValue(f.cleanProbs()[k], "original", f.classNames().get(k));
            ds.addValue(f.foolProbs()[k], "result", f.classNames().get(k));
        }
        JFreeChart ch = ChartFactory.createBarChart("softmax probabilities before and after", "class", "probability", ds);
        Charts.style(ch);
        ch.getCategoryPlot().getRangeAxis().setRange(0, 1.02);
        return ch;
    }

    static int argmax(float[] p) {
        int b = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[b]) b = i;
        return b;
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /** A level as short text: 8/255-style fractions are printed with 4 decimals, others minimal. */
    static String level(float f) {
        if (f == Math.rint(f)) return String.valueOf((int) f);
        String s = String.format(Locale.ROOT, "%.4f", f);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
