package glassbox.viz.training;

import glassbox.train.stats.Diagnoser;
import glassbox.train.stats.Histogram;
import glassbox.train.stats.RunRecord;
import glassbox.viz.render.Charts;
import glassbox.viz.render.Colormap;
import glassbox.viz.render.Fonts;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link TrainingView} with JFreeChart:
 * <ul>
 *   <li>{@code curves.png}: training loss and accuracy per record, test loss and accuracy per epoch, learning rate (log);</li>
 *   <li>{@code grad-norms.png}: the gradient norm of every layer's weights in one log-scale chart (vanishing
 *       gradients show as a fan opening downward towards the input layers);</li>
 *   <li>{@code ratios.png}: the update:parameter ratio of every layer's weights, log scale, the healthy band
 *       (1e-4 to 1e-2 around the rule-of-thumb 1e-3) shaded and the diagnosis thresholds drawn;</li>
 *   <li>{@code dead.png}: share of dead units per ReLU layer (and saturated outputs per sigmoid/tanh layer);</li>
 *   <li>{@code histograms-<layer>.png}: per layer, the histograms over time as heatmaps (x = step, y = value bin,
 *       colour = share of the values in the bin, log scale) of its weights, their gradients and updates, and its outputs.</li>
 * </ul>
 * Every chart marks each diagnosis with a red dashed line at the step where it started. Leaves out the biases'
 * heatmaps (their numbers are in the JSON) and interactivity.
 */
public final class TrainingCharts {
    private static final int WIDTH = 1000;
    private static final Color MARK = new Color(0xC0392B);
    /** Heatmap colour range: shares from 1e-6 (and below) to 1, in log10. */
    private static final double LOG_MIN = -6;

    private TrainingCharts() {
    }

    /** Writes every chart into {@code dir}; returns the files written. */
    public static List<Path> render(TrainingView v, Path dir) {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        List<Path> files = new ArrayList<>();
        write(curves(v), dir.resolve("curves.png"), files, 760);
        write(gradNorms(v), dir.resolve("grad-norms.png"), files, 520);
        write(ratios(v), dir.resolve("ratios.png"), files, 520);
        write(dead(v), dir.resolve("dead.png"), files, 420);
        for (TrainingView.LayerSeries l : v.layers()) {
            JFreeChart c = histograms(v, l);
            int panels = ((CombinedDomainXYPlot) c.getXYPlot()).getSubplots().size();
            write(c, dir.resolve("histograms-" + l.name() + ".png"), files, 130 + 190 * panels);
        }
        return files;
    }

    private static void write(JFreeChart c, Path file, List<Path> files, int height) {
        Charts.writePng(c, WIDTH, height, file);
        files.add(file);
    }

    private static String title(TrainingView v, String what) {
        return what + " (" + v.arch() + (v.dataset().isEmpty() ? "" : " on " + v.dataset()) + ")";
    }

    /** Loss, accuracy and learning rate over steps, stacked on one step axis. */
    static JFreeChart curves(TrainingView v) {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(stepAxis(v));
        XYSeries trainLoss = series("train loss (mean since the last record)", v.steps(), v.meanLoss(), false);
        XYSeries trainAcc = series("train accuracy (since the last record)", v.steps(), v.accuracy(), false);
        XYSeries testLoss = new XYSeries("test loss (end of epoch)"), testAcc = new XYSeries("test accuracy (end of epoch)");
        XYSeries epochLoss = new XYSeries("train loss (epoch mean)");
        for (RunRecord.Epoch e : v.epochs()) {
            if (Double.isFinite(e.testLoss())) testLoss.add(e.step(), e.testLoss());
            testAcc.add(e.step(), e.testAccuracy());
            epochLoss.add(e.step(), e.trainLoss());
        }
        NumberAxis lossAxis = new NumberAxis("loss");
        lossAxis.setAutoRangeIncludesZero(true);
        plot.add(linePlot(lossAxis, true, trainLoss, epochLoss, testLoss), 2);
        NumberAxis accAxis = new NumberAxis("accuracy");
        accAxis.setRange(0, 1.02);
        accAxis.setNumberFormatOverride(java.text.NumberFormat.getPercentInstance(Locale.ROOT));
        plot.add(linePlot(accAxis, true, trainAcc, testAcc), 2);
        plot.add(linePlot(logAxis("learning rate (log)"), false, series("learning rate", v.steps(), v.lr(), true)), 1);
        markDiagnoses(plot, v.diagnoses(), null);
        return chart(title(v, "Loss, accuracy and learning rate"), "train values per stats record, test values per epoch", plot, true);
    }

    /** Gradient norm of every layer's weights, log scale. */
    static JFreeChart gradNorms(TrainingView v) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (TrainingView.ParamSeries p : v.params()) if (p.weight()) data.addSeries(series(p.name(), v.steps(), p.gradNorm(), true));
        XYPlot plot = new XYPlot(data, stepAxis(v), logAxis("gradient norm ‖dL/dW‖ (log)"), lines(false));
        markDiagnoses(plot, v.diagnoses(), null);
        return chart(title(v, "Gradient norm of each layer's weights"),
                "log scale; lines fanning out downward towards the input layers = vanishing gradients, all rising = exploding", plot, true);
    }

    /** Update:parameter ratio of every layer's weights, log scale, healthy band shaded. */
    static JFreeChart ratios(TrainingView v) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (TrainingView.ParamSeries p : v.params()) if (p.weight()) data.addSeries(series(p.name(), v.steps(), p.ratio(), true));
        XYPlot plot = new XYPlot(data, stepAxis(v), logAxis("‖update‖ / ‖weights‖ (log)"), lines(false));
        IntervalMarker band = new IntervalMarker(1e-4, Diagnoser.RATIO_HIGH, new Color(0x59A14F), new BasicStroke(0), null, null, 0.15f);
        plot.addRangeMarker(band, Layer.BACKGROUND);
        ValueMarker rule = threshold(1e-3, "healthy band, rule of thumb about 1e-3");
        rule.setPaint(new Color(0x59A14F));
        rule.setLabelPaint(new Color(0x1B5E20));
        plot.addRangeMarker(rule);
        plot.addRangeMarker(threshold(Diagnoser.RATIO_HIGH, "too high above " + sci(Diagnoser.RATIO_HIGH)));
        plot.addRangeMarker(threshold(Diagnoser.RATIO_LOW, "too low below " + sci(Diagnoser.RATIO_LOW)));
        double lo = Double.MAX_VALUE, hi = 0;
        for (TrainingView.ParamSeries p : v.params()) {
            if (!p.weight()) continue;
            for (double r : p.ratio()) {
                if (r > 0 && Double.isFinite(r)) {
                    lo = Math.min(lo, r);
                    hi = Math.max(hi, r);
                }
            }
        }
        if (hi > 0) plot.getRangeAxis().setRange(Math.min(lo, Diagnoser.RATIO_LOW) / 3, Math.max(hi, Diagnoser.RATIO_HIGH) * 3);
        markDiagnoses(plot, v.diagnoses(), null);
        return chart(title(v, "Update:parameter ratio of each layer's weights"),
                "the step the optimizer actually took, relative to the weights: ‖W after − W before‖ / ‖W before‖", plot, true);
    }

    /** Dead-unit share per ReLU layer; saturated share per sigmoid or tanh layer. */
    static JFreeChart dead(TrainingView v) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (TrainingView.LayerSeries l : v.layers()) {
            if (l.kind().equals("ReLU")) data.addSeries(series(l.name() + " dead units", v.steps(), l.dead(), false));
            if (l.saturated() != null) data.addSeries(series(l.name() + " saturated outputs", v.steps(), l.saturated(), false));
        }
        NumberAxis share = new NumberAxis("share of the layer");
        share.setRange(0, 1.02);
        share.setNumberFormatOverride(java.text.NumberFormat.getPercentInstance(Locale.ROOT));
        XYPlot plot = new XYPlot(data, stepAxis(v), share, lines(false));
        plot.addRangeMarker(threshold(Diagnoser.DEAD, "diagnosed at " + Math.round(100 * Diagnoser.DEAD) + "%"));
        markDiagnoses(plot, v.diagnoses(), null);
        String what = data.getSeriesCount() == 0 ? "no ReLU, sigmoid or tanh layers in this network"
                : "dead unit = a channel or feature that is zero for every image of the batch; saturated = within 1% of 0/1 (sigmoid) or ±1 (tanh)";
        return chart(title(v, "Dead and saturated units per layer"), what, plot, data.getSeriesCount() > 0);
    }

    /** One layer's histograms over time: weights, gradients, updates (if it has weights) and outputs. */
    static JFreeChart histograms(TrainingView v, TrainingView.LayerSeries l) {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(stepAxis(v));
        plot.setGap(14);
        TrainingView.ParamSeries w = v.weightOf(l.name());
        if (w != null) {
            plot.add(heatmap(v, w.value(), "weights"));
            plot.add(heatmap(v, w.grad(), "gradients"));
            plot.add(heatmap(v, w.update(), "updates"));
        }
        plot.add(heatmap(v, l.out(), "outputs"));
        markDiagnoses(plot, v.diagnoses(), l.name());
        JFreeChart c = chart(title(v, l.name() + " (" + l.kind() + "): histograms over time"),
                "x = step, y = value (one bin per power of two on each side of 0), colour = share of the values in the bin", plot, false);
        NumberAxis scaleAxis = new NumberAxis("share of the tensor's values in the bin");
        scaleAxis.setRange(LOG_MIN, 0);
        scaleAxis.setTickUnit(new NumberTickUnit(1));
        scaleAxis.setNumberFormatOverride(new Format(x -> x <= LOG_MIN + 1e-9 ? "≤1e-6" : x >= -1e-9 ? "1 (all)" : "1e" + Math.round(x)));
        scaleAxis.setLabelFont(Fonts.sans(12));
        scaleAxis.setTickLabelFont(Fonts.sans(11));
        PaintScaleLegend legend = new PaintScaleLegend(new ShareScale(), scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(40, 8, 60, 8));
        legend.setStripWidth(16);
        legend.setSubdivisionCount(120);
        c.addSubtitle(legend);
        return c;
    }

    private static XYPlot heatmap(TrainingView v, TrainingView.Heatmap h, String what) {
        int rows = h.share().length, w = h.bins().length;
        double[][] xyz = new double[3][rows * w];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < w; i++) {
                int k = r * w + i;
                double s = h.share()[r][i];
                xyz[0][k] = v.steps()[r];
                xyz[1][k] = i;
                xyz[2][k] = s > 0 ? Math.max(LOG_MIN, Math.log10(s)) : Double.NaN;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(what, xyz);
        XYBlockRenderer r = new XYBlockRenderer();
        // Each record's column reaches to the next record: later columns are drawn over earlier ones.
        r.setBlockWidth(Math.max(1, v.statsEvery()));
        r.setBlockHeight(1);
        r.setBlockAnchor(RectangleAnchor.LEFT);
        r.setPaintScale(new ShareScale());
        NumberAxis axis = new NumberAxis(what);
        axis.setRange(-0.5, w - 0.5);
        axis.setTickUnit(new NumberTickUnit(Math.max(1, (int) Math.ceil(w / 7.0))));
        int[] bins = h.bins();
        axis.setNumberFormatOverride(new Format(y -> {
            int i = (int) Math.round(y);
            return i < 0 || i >= bins.length ? "" : binLabel(bins[i]);
        }));
        axis.setLabelFont(Fonts.bold(12));
        axis.setTickLabelFont(Fonts.sans(10));
        XYPlot p = new XYPlot(data, null, axis, r);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinesVisible(false);
        p.setRangeGridlinesVisible(false);
        // Where unused bins were left out (between the sides of zero), a dotted grey line marks the break.
        for (int i = 1; i < w; i++) {
            if (bins[i] != bins[i - 1] + 1) {
                ValueMarker gap = new ValueMarker(i - 0.5, new Color(0x999999), new BasicStroke(1f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 1, new float[]{2, 3}, 0));
                p.addRangeMarker(gap);
            }
        }
        return p;
    }

    /** Label of histogram bin {@code b}: the edge of its magnitude range nearest zero, e.g. "+9.8e-04" (bin [2^-10, 2^-9)). */
    static String binLabel(int bin) {
        if (bin < 0 || bin >= Histogram.BINS) return "";
        if (bin == Histogram.CENTRE) return "0";
        double e = Histogram.innerEdge(bin);
        return String.format(Locale.ROOT, "%+.1e", e);
    }

    private static void markDiagnoses(XYPlot plot, List<RunRecord.Diagnosis> ds, String layer) {
        List<XYPlot> plots = plot instanceof CombinedDomainXYPlot c ? c.getSubplots() : List.of(plot);
        boolean first = true;
        for (XYPlot p : plots) {
            for (RunRecord.Diagnosis d : ds) {
                if (layer != null && !d.subject().isEmpty() && !d.subject().equals(layer)) continue;
                ValueMarker m = new ValueMarker(d.step(), MARK, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[]{6, 4}, 0));
                if (first) {
                    m.setLabel(d.problem().words() + (d.subject().isEmpty() ? "" : " (" + d.subject() + ")"));
                    m.setLabelFont(Fonts.bold(11));
                    m.setLabelPaint(MARK);
                    m.setLabelBackgroundColor(new Color(255, 255, 255, 200));
                    m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
                    m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
                    m.setLabelOffset(new RectangleInsets(4 + 15 * (ds.indexOf(d) % 6), 4, 4, 4)); // staggered: nearby starts stay readable
                }
                p.addDomainMarker(m, Layer.FOREGROUND);
            }
            first = false;
        }
    }

    private static ValueMarker threshold(double y, String label) {
        ValueMarker m = new ValueMarker(y, new Color(0x666666), new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[]{3, 3}, 0));
        m.setLabel(label);
        m.setLabelFont(Fonts.sans(11));
        m.setLabelPaint(new Color(0x444444));
        m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        m.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        return m;
    }

    private static NumberAxis stepAxis(TrainingView v) {
        NumberAxis x = new NumberAxis("step");
        long last = v.steps().length == 0 ? 1 : v.steps()[v.steps().length - 1];
        for (RunRecord.Epoch e : v.epochs()) last = Math.max(last, e.step());
        x.setRange(0, last + Math.max(1, v.statsEvery()) * 0.5);
        x.setNumberFormatOverride(java.text.NumberFormat.getIntegerInstance(Locale.ROOT));
        return x;
    }

    private static ValueAxis logAxis(String label) {
        LogAxis a = new LogAxis(label);
        a.setBase(10);
        a.setSmallestValue(1e-30);
        a.setNumberFormatOverride(new Format(x -> String.format(Locale.ROOT, "%.0e", x)));
        return a;
    }

    /** An XY series skipping non-finite values (and, for log axes, values that are not positive). */
    private static XYSeries series(String name, long[] x, double[] y, boolean positiveOnly) {
        XYSeries s = new XYSeries(name, false, true);
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(y[i]) || positiveOnly && y[i] <= 0) continue;
            s.add(x[i], y[i]);
        }
        return s;
    }

    private static XYPlot linePlot(ValueAxis y, boolean shapes, XYSeries... series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) data.addSeries(s);
        XYLineAndShapeRenderer r = lines(shapes);
        XYPlot p = new XYPlot(data, null, y, r);
        return p;
    }

    private static XYLineAndShapeRenderer lines(boolean shapes) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, shapes);
        r.setDefaultShapesFilled(true);
        r.setAutoPopulateSeriesStroke(false);
        r.setDefaultStroke(new BasicStroke(1.6f));
        r.setAutoPopulateSeriesPaint(false);
        r.setDrawSeriesLineAsPath(true);
        for (int i = 0; i < 40; i++) r.setSeriesPaint(i, Charts.CATEGORICAL[i % Charts.CATEGORICAL.length]);
        return r;
    }

    private static JFreeChart chart(String title, String subtitle, XYPlot plot, boolean legend) {
        JFreeChart c = new JFreeChart(title, Fonts.bold(15), plot, legend);
        Charts.style(c);
        c.getTitle().setFont(Fonts.bold(15));
        org.jfree.chart.title.TextTitle sub = new org.jfree.chart.title.TextTitle(subtitle, Fonts.sans(12));
        sub.setPaint(new Color(0x444444));
        c.addSubtitle(0, sub);
        return c;
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.0e", v);
    }

    /** Colour of a heatmap cell from log10(share): viridis from 1e-6 to 1; empty bins (NaN) white. */
    private static final class ShareScale implements PaintScale {
        @Override
        public double getLowerBound() {
            return LOG_MIN;
        }

        @Override
        public double getUpperBound() {
            return 0;
        }

        @Override
        public Paint getPaint(double value) {
            if (Double.isNaN(value)) return Color.WHITE;
            return new Color(Colormap.VIRIDIS.rgb((value - LOG_MIN) / -LOG_MIN));
        }
    }

    /** A NumberFormat from a function (tick labels). */
    private static final class Format extends NumberFormat {
        private final java.util.function.DoubleFunction<String> f;

        Format(java.util.function.DoubleFunction<String> f) {
            this.f = f;
        }

        @Override
        public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
            return toAppendTo.append(f.apply(number));
        }

        @Override
        public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
            return toAppendTo.append(f.apply(number));
        }

        @Override
        public Number parse(String source, ParsePosition parsePosition) {
            throw new UnsupportedOperationException();
        }
    }
}
