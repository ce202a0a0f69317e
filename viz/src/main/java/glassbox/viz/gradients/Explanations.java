package glassbox.viz.gradients;

import glassbox.viz.render.Charts;
import glassbox.viz.render.ColorBar;
import glassbox.viz.render.Colormap;
import glassbox.viz.render.Fmt;
import glassbox.viz.render.Fonts;
import glassbox.viz.render.Images;
import glassbox.viz.render.Raster;
import glassbox.viz.render.ValueRange;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the records of this package. Maps are never silently normalized: each is drawn over its own
 * real range, printed in the title and on its colour bar; signed maps use a zero-centred diverging map
 * ({@code [-m, m]}, m = max |value|, blue negative, red positive), non-negative maps viridis over
 * {@code [0, max]}. Overlays blend the map's colour into the input with an opacity proportional to
 * |value| / m. True images stay pixel images (nearest-neighbour upscaling); curves are JFreeChart charts.
 */
public final class Explanations {
    static final Font TITLE = Fonts.bold(13), TEXT = Fonts.sans(11), SMALL = Fonts.sans(10);
    static final int PAD = 6;

    private Explanations() {
    }

    /** The colour map and range a map is drawn with (see the class comment). */
    public static ValueRange range(Attribution a) {
        if (a.signed()) {
            float m = Math.max(Math.abs(a.min()), Math.abs(a.max()));
            return m == 0 ? new ValueRange(-1, 1) : new ValueRange(-m, m);
        }
        float lo = Math.min(0, a.min()), hi = a.max();
        return hi > lo ? new ValueRange(lo, hi) : new ValueRange(lo, lo + 1);
    }

    public static Colormap colormap(Attribution a) {
        return a.signed() ? Colormap.DIVERGING : Colormap.VIRIDIS;
    }

    /** "[min, max]" of a map, e.g. "[-0.0312, 0.0451]". */
    public static String rangeText(Attribution a) {
        return "[" + Fmt.num(a.min()) + ", " + Fmt.num(a.max()) + "]";
    }

    /** The map alone, upscaled by {@code scale}. */
    public static Raster map(Attribution a, int scale) {
        return Images.map(a.map(), 0, a.height(), a.width(), colormap(a), range(a)).upscale(scale);
    }

    /** The map as a heat overlay on {@code picture} (same H x W), upscaled by {@code scale}. */
    public static Raster overlay(Attribution a, Raster picture, int scale) {
        ValueRange r = range(a);
        Colormap cm = colormap(a);
        float m = Math.max(Math.abs(r.min()), Math.abs(r.max()));
        Raster out = new Raster(a.width(), a.height(), 0);
        for (int y = 0; y < a.height(); y++) {
            for (int x = 0; x < a.width(); x++) {
                float v = a.map()[y * a.width() + x];
                double alpha = 0.75 * Math.min(1, Math.abs(v) / m);
                int base = picture.get(x * picture.width() / a.width(), y * picture.height() / a.height());
                int heat = cm.rgb(r.t(v));
                out.set(x, y, blend(dim(base), heat, alpha));
            }
        }
        return out.upscale(scale);
    }

    /** The picture dimmed towards grey so colours on it read as the map's. */
    private static int dim(int rgb) {
        return blend(rgb, 0x808080, 0.35);
    }

    private static int blend(int a, int b, double t) {
        int r = (int) Math.round((a >> 16 & 255) * (1 - t) + (b >> 16 & 255) * t);
        int g = (int) Math.round((a >> 8 & 255) * (1 - t) + (b >> 8 & 255) * t);
        int bl = (int) Math.round((a & 255) * (1 - t) + (b & 255) * t);
        return Raster.rgb(r, g, bl);
    }

    /** A horizontal colour bar for {@code a}'s map, {@code width} wide, with the real end values (and 0). */
    public static Raster colorBar(Attribution a, int width, String caption) {
        return colorBar(colormap(a), range(a), width, caption);
    }

    static Raster colorBar(Colormap cm, ValueRange r, int width, String caption) {
        return ColorBar.render(cm, r, width, caption);
    }

    /**
     * The three views of one explanation side by side: the input, the raw map with its colour bar, and
     * the overlay; a title says method, target, score and range, a second line the predicted/true label.
     *
     * @param picture the input as people see it [H x W pixels]
     * @param label   e.g. "test image 7 · true 7 (seven) · predicted 7 (p = 0.99)"; may be empty
     * @param note    an extra line (e.g. IG's completeness gap), or null
     */
    public static Raster sideBySide(Attribution a, Raster picture, String label, String note) {
        int scale = Images.upscaleFactor(a.height(), a.width(), 196);
        int tw = a.width() * scale, th = a.height() * scale;
        List<String> lines = new ArrayList<>();
        lines.add(a.method() + " of " + a.target() + ", score " + Fmt.num(a.score()));
        lines.add("map range " + rangeText(a) + (a.signed() ? " (signed: blue < 0 < red)" : ""));
        if (label != null && !label.isEmpty()) lines.add(label);
        if (note != null) lines.add(note);
        int lh = Raster.lineHeight(TEXT) + 2, head = PAD + Raster.lineHeight(TITLE) + 2 + (lines.size() - 1) * lh + PAD;
        Raster bar = colorBar(a, tw, a.method() + (a.signed() ? ", zero-centred" : ""));
        int capH = Raster.lineHeight(TEXT) + 2;
        int w = Math.max(3 * tw + 4 * PAD, maxWidth(lines) + 2 * PAD);
        Raster out = new Raster(w, head + capH + th + PAD + bar.height() + PAD, Raster.WHITE);
        int y = PAD;
        out.drawText(lines.getFirst(), PAD, y, TITLE, Raster.BLACK);
        y += Raster.lineHeight(TITLE) + 2;
        for (int i = 1; i < lines.size(); i++, y += lh) out.drawText(lines.get(i), PAD, y, TEXT, Raster.DARK_GRAY);
        y = head;
        String[] caps = {"input", "map (raw values)", "overlay on the input"};
        Raster[] tiles = {picture.upscale(scale), map(a, scale), overlay(a, picture, scale)};
        for (int i = 0; i < 3; i++) {
            int x = PAD + i * (tw + PAD);
            out.drawText(caps[i], x, y, TEXT, Raster.DARK_GRAY);
            out.blit(tiles[i], x, y + capH);
        }
        if (a.min() == 0 && a.max() == 0) markZero(out, PAD + tw + PAD, y + capH, tw, th);
        out.blit(bar, PAD + tw + PAD, y + capH + th + PAD);
        return out;
    }

    /** One row of a comparison sheet: the input, its label, and one explanation per column. */
    public record Row(Raster picture, String label, List<Attribution> maps) {
    }

    /**
     * Rows = images, columns = methods (the picture a lecturer puts on a slide): each cell is the map on
     * its own colour scale, with its range under it; the row label gives the predicted and true class.
     */
    public static Raster comparisonSheet(List<Row> rows, String title) {
        Row first = rows.getFirst();
        int h = first.maps().getFirst().height(), w = first.maps().getFirst().width();
        int scale = Images.upscaleFactor(h, w, 112), cw = w * scale, ch = h * scale;
        int cols = first.maps().size() + 1;
        int lh = Raster.lineHeight(SMALL) + 1;
        int cellH = lh + ch + 2 * lh + PAD, head = PAD + Raster.lineHeight(TITLE) + PAD + 2 * lh;
        String legend1 = "each map on its own scale, range printed under it; signed maps: blue < 0 < red (white = 0);";
        String legend2 = "non-negative maps: viridis from 0 (dark) to the printed maximum (yellow)";
        // as wide as the widest of cells, title, legend and row labels, so that no text is cut on a narrow sheet
        int width = Math.max(PAD + cols * (cw + PAD), Raster.textWidth(title, TITLE) + 2 * PAD);
        width = Math.max(width, Raster.textWidth(legend1, SMALL) + 2 * PAD);
        for (Row row : rows) width = Math.max(width, Raster.textWidth(row.label(), SMALL) + 2 * PAD);
        int legend = 2 * lh + PAD;
        Raster out = new Raster(width, head + rows.size() * cellH + legend, Raster.WHITE);
        out.drawText(title, PAD, PAD, TITLE, Raster.BLACK);
        for (int c = 0; c < cols; c++) {
            String name = c == 0 ? "input" : first.maps().get(c - 1).method();
            int x = PAD + c * (cw + PAD);
            if (Raster.textWidth(name, TEXT) > cw && name.contains("-")) { // two lines: "integrated" / "gradients"
                int cut = name.lastIndexOf('-');
                out.drawText(fit(name.substring(0, cut), cw, TEXT), x, head - 2 * lh, TEXT, Raster.BLACK);
                name = name.substring(cut + 1);
            }
            out.drawText(fit(name, cw, TEXT), x, head - lh, TEXT, Raster.BLACK);
        }
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int y = head + r * cellH;
            out.drawText(fit(row.label(), width - 2 * PAD, SMALL), PAD, y, SMALL, Raster.DARK_GRAY);
            out.blit(row.picture().upscale(scale), PAD, y + lh);
            for (int c = 0; c < row.maps().size(); c++) {
                Attribution a = row.maps().get(c);
                int x = PAD + (c + 1) * (cw + PAD);
                out.blit(map(a, scale), x, y + lh);
                if (a.min() == 0 && a.max() == 0) markZero(out, x, y + lh, cw, ch);
                out.drawText(fit(rangeText(a), cw, SMALL), x, y + lh + ch + 1, SMALL, Raster.DARK_GRAY);
            }
        }
        int y = head + rows.size() * cellH;
        out.drawText(legend1, PAD, y, SMALL, Raster.DARK_GRAY);
        out.drawText(legend2, PAD, y + lh, SMALL, Raster.DARK_GRAY);
        return out;
    }

    /** Marks an all-zero map (e.g. Grad-CAM whose weighted sum is negative everywhere, cut by its ReLU). */
    static void markZero(Raster out, int x, int y, int w, int h) {
        String t = "all zero";
        int tw = Raster.textWidth(t, TEXT);
        out.fillRect(x + (w - tw) / 2 - 3, y + h / 2 - 9, tw + 6, 18, Raster.WHITE);
        out.drawText(t, x + (w - tw) / 2, y + h / 2 - 7, TEXT, 0xB2182B);
    }

    /** A model-input image [C, H, W] as a picture, through the normalization's inverse. */
    public static Raster picture(float[] image, int c, int h, int w, InputRange range) {
        Raster r = new Raster(w, h, 0);
        int hw = h * w;
        for (int i = 0; i < hw; i++) {
            int red = range.toPixel(image[i], 0);
            r.pixels()[i] = c >= 3 ? Raster.rgb(red, range.toPixel(image[hw + i], 1), range.toPixel(image[2 * hw + i], 2)) : Raster.gray(red);
        }
        return r;
    }

    /** One image per class (or channel), each titled with its target and final score/probability. */
    public static Raster classModelSheet(List<ClassModel.Result> results, InputRange range, String title) {
        ClassModel.Result f = results.getFirst();
        int scale = Images.upscaleFactor(f.height(), f.width(), 112), cw = f.width() * scale, ch = f.height() * scale;
        int cols = Math.min(5, results.size()), rows = (results.size() + cols - 1) / cols;
        int lh = Raster.lineHeight(SMALL) + 1, cellH = ch + 2 * lh + PAD;
        int head = PAD + Raster.lineHeight(TITLE) + PAD + lh;
        ClassModel.Settings s = f.settings();
        String settings = s.steps() + " steps, lr " + Fmt.num(s.lr()) + ", L2 decay " + Fmt.num(s.l2Decay()) + ", jitter " + s.jitter()
                + ", blur " + Fmt.num(s.blurSigma()) + " px every " + s.blurEvery() + ", clip norm/contribution below "
                + Fmt.num(s.clipNormPercentile()) + "/" + Fmt.num(s.clipContributionPercentile()) + " %";
        int width = Math.max(PAD + cols * (cw + PAD), Raster.textWidth(title, TITLE) + 2 * PAD);
        width = Math.max(width, Raster.textWidth(settings, SMALL) + 2 * PAD); // the settings line is never cut
        Raster out = new Raster(width, head + rows * cellH, Raster.WHITE);
        out.drawText(title, PAD, PAD, TITLE, Raster.BLACK);
        out.drawText(settings, PAD, head - lh - 2, SMALL, Raster.DARK_GRAY);
        // one title style for the whole sheet: the short one if any long one does not fit its cell
        boolean shortTitles = results.stream().anyMatch(r -> Raster.textWidth(r.target(), SMALL) > cw);
        for (int i = 0; i < results.size(); i++) {
            ClassModel.Result r = results.get(i);
            int x = PAD + (i % cols) * (cw + PAD), y = head + (i / cols) * cellH;
            out.drawText(fit(shortTitles ? shortTarget(r.target()) : r.target(), cw, SMALL), x, y, SMALL, Raster.BLACK);
            out.blit(picture(r.image(), r.channels(), r.height(), r.width(), range).upscale(scale), x, y + lh);
            String score = "score " + Fmt.num(r.finalScore()) + (Double.isNaN(r.probability()) ? "" : ", p " + Fmt.fixed(r.probability(), 2));
            out.drawText(fit(score, cw, SMALL), x, y + lh + ch + 1, SMALL, Raster.DARK_GRAY);
        }
        return out;
    }

    /** The image at the recorded steps, and the score curve under it (JFreeChart). */
    public static Raster classModelSteps(ClassModel.Result r, InputRange range) {
        int scale = Images.upscaleFactor(r.height(), r.width(), 112), cw = r.width() * scale, ch = r.height() * scale;
        int n = r.snapshots().size() + 1, lh = Raster.lineHeight(SMALL) + 1;
        XYSeries series = new XYSeries("score");
        for (int i = 0; i < r.scores().length; i++) series.add(i + 1, r.scores()[i]);
        JFreeChart chart = Charts.style(ChartFactory.createXYLineChart("Score during gradient ascent", "step", "score (before the step)",
                new XYSeriesCollection(series), PlotOrientation.VERTICAL, false, false, false));
        int width = Math.max(PAD + n * (cw + PAD), 520);
        Raster plot = Charts.toRaster(chart, width - 2 * PAD, 260);
        int head = PAD + Raster.lineHeight(TITLE) + PAD;
        Raster out = new Raster(width, head + lh + ch + PAD + plot.height() + PAD, Raster.WHITE);
        out.drawText("Class model of " + r.target() + ": final score " + Fmt.num(r.finalScore())
                + (Double.isNaN(r.probability()) ? "" : ", p " + Fmt.fixed(r.probability(), 3)), PAD, PAD, TITLE, Raster.BLACK);
        int i = 0;
        for (ClassModel.Snapshot s : r.snapshots()) {
            int x = PAD + i++ * (cw + PAD);
            out.drawText("step " + s.step(), x, head, SMALL, Raster.DARK_GRAY);
            out.blit(picture(s.image(), r.channels(), r.height(), r.width(), range).upscale(scale), x, head + lh);
        }
        int x = PAD + i * (cw + PAD);
        out.drawText("final", x, head, SMALL, Raster.DARK_GRAY);
        out.blit(picture(r.image(), r.channels(), r.height(), r.width(), range).upscale(scale), x, head + lh);
        out.blit(plot, PAD, head + lh + ch + PAD);
        return out;
    }

    /** The original and its reconstruction from each layer, with the feature and pixel errors. */
    public static Raster inversionSheet(FeatureInversion.Result r, InputRange range, String title) {
        int scale = Images.upscaleFactor(r.height(), r.width(), 112), cw = r.width() * scale, ch = r.height() * scale;
        int n = r.layers().size() + 1, cols = Math.min(n, 6), rows = (n + cols - 1) / cols;
        int lh = Raster.lineHeight(SMALL) + 1, cellH = lh + ch + 2 * lh + PAD, head = PAD + Raster.lineHeight(TITLE) + 2 + lh + PAD;
        int width = Math.max(PAD + cols * (cw + PAD), Raster.textWidth(title, TITLE) + 2 * PAD);
        Raster out = new Raster(width, head + rows * cellH, Raster.WHITE);
        out.drawText(title, PAD, PAD, TITLE, Raster.BLACK);
        FeatureInversion.Settings s = r.settings();
        out.drawText(fit("min ||phi(x) - phi(x0)||² / ||phi(x0)||² + " + Fmt.num(s.tvWeight()) + " TV(x), " + s.steps() + " Adam steps, lr "
                + Fmt.num(s.lr()), width - 2 * PAD, SMALL), PAD, PAD + Raster.lineHeight(TITLE) + 2, SMALL, Raster.DARK_GRAY);
        for (int i = 0; i < n; i++) {
            int x = PAD + (i % cols) * (cw + PAD), y = head + (i / cols) * cellH;
            if (i == 0) {
                out.drawText("original", x, y, SMALL, Raster.BLACK);
                out.blit(picture(r.original(), r.channels(), r.height(), r.width(), range).upscale(scale), x, y + lh);
                continue;
            }
            FeatureInversion.Reconstruction l = r.layers().get(i - 1);
            out.drawText(fit("from " + l.layer(), cw, SMALL), x, y, SMALL, Raster.BLACK);
            out.blit(picture(l.image(), r.channels(), r.height(), r.width(), range).upscale(scale), x, y + lh);
            out.drawText(fit("feature err " + Fmt.fixed(l.featureError(), 3), cw, SMALL), x, y + lh + ch + 1, SMALL, Raster.DARK_GRAY);
            out.drawText(fit("pixel err " + Fmt.fixed(l.pixelError(), 3), cw, SMALL), x, y + 2 * lh + ch + 1, SMALL, Raster.DARK_GRAY);
        }
        return out;
    }

    /** Spearman (top) and SSIM (bottom) against the trained model's maps as layers are randomized, one line per method. */
    public static JFreeChart sanityChart(SanityCheck.Result r, boolean ssim) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        double[][] v = ssim ? r.ssim() : r.spearman();
        for (int m = 0; m < r.methods().size(); m++) {
            String name = r.methods().get(m) + (r.flagged()[m] ? " (FLAGGED)" : "");
            for (int s = 0; s < r.randomized().size(); s++) d.addValue(v[m][s], name, r.randomized().get(s));
        }
        String title = ssim ? "SSIM with the trained model's map" : "Spearman rank correlation of |map| with the trained model's";
        JFreeChart chart = Charts.style(ChartFactory.createLineChart(
                "Sanity check (cascading randomization, " + r.images() + " images): " + title,
                "layers randomized, from the top down (cumulative)", ssim ? "mean SSIM" : "mean Spearman correlation", d,
                PlotOrientation.VERTICAL, true, false, false));
        CategoryPlot p = chart.getCategoryPlot();
        p.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        p.getRangeAxis().setRange(ssim ? -0.2 : -0.5, 1.05);
        if (!ssim) {
            ValueMarker mk = new ValueMarker(r.threshold(), Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[]{4f, 4f}, 0f));
            mk.setLabel("flag threshold " + r.threshold());
            mk.setLabelFont(SMALL);
            mk.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
            mk.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
            p.addRangeMarker(mk);
        }
        for (int m = 0; m < r.methods().size(); m++) {
            p.getRenderer().setSeriesPaint(m, Charts.CATEGORICAL[m % Charts.CATEGORICAL.length]);
            p.getRenderer().setSeriesStroke(m, new BasicStroke(r.flagged()[m] ? 3f : 1.8f));
        }
        return chart;
    }

    /** The first image's maps: rows = methods, columns = randomization steps, each map on its own scale. */
    public static Raster sanityMaps(SanityCheck.Result r) {
        int stepsShown = r.randomized().size();
        int scale = Images.upscaleFactor(r.height(), r.width(), 64), cw = r.width() * scale, ch = r.height() * scale;
        int lh = Raster.lineHeight(SMALL) + 1, left = 0;
        for (String m : r.methods()) left = Math.max(left, Raster.textWidth(m + " (flagged)", SMALL) + PAD);
        int head = PAD + Raster.lineHeight(TITLE) + PAD + 3 * lh;
        Raster out = new Raster(Math.max(PAD + left + stepsShown * (cw + 2), 480), head + r.methods().size() * (ch + PAD) + PAD, Raster.WHITE);
        out.drawText("Maps of image 0 as layers are randomized (each on its own scale)", PAD, PAD, TITLE, Raster.BLACK);
        for (int s = 0; s < stepsShown; s++) {
            String lab = r.randomized().get(s);
            int x = PAD + left + s * (cw + 2);
            out.drawText(fit(lab, cw + 40, SMALL), x, head - 3 * lh + (s % 3) * lh, SMALL, Raster.DARK_GRAY);
        }
        for (int m = 0; m < r.methods().size(); m++) {
            int y = head + m * (ch + PAD);
            out.drawText(r.methods().get(m) + (r.flagged()[m] ? " (flagged)" : ""), PAD, y + ch / 2 - lh / 2, SMALL, r.flagged()[m] ? 0xB2182B : Raster.BLACK);
            for (int s = 0; s < stepsShown; s++) {
                float[] map = r.maps()[m][s];
                boolean signed = false;
                for (float v : map) signed |= v < 0;
                ValueRange vr = signed ? ValueRange.symmetric(map) : ValueRange.of(map);
                out.blit(Images.map(map, 0, r.height(), r.width(), signed ? Colormap.DIVERGING : Colormap.VIRIDIS, vr).upscale(scale),
                        PAD + left + s * (cw + 2), y);
            }
        }
        return out;
    }

    /** {@code text} shortened with "..." to fit {@code width} pixels in {@code font}. */
    /** "class 1 (automobile)" as "1 automobile", for narrow cells: the name is what a student reads. */
    static String shortTarget(String target) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("class (\\d+) \\((.+)\\)").matcher(target);
        return m.matches() ? m.group(1) + " " + m.group(2) : target;
    }

    static String fit(String text, int width, Font font) {
        if (Raster.textWidth(text, font) <= width) return text;
        String s = text;
        while (s.length() > 1 && Raster.textWidth(s + "...", font) > width) s = s.substring(0, s.length() - 1);
        return s + "...";
    }

    private static int maxWidth(List<String> lines) {
        int w = Raster.textWidth(lines.getFirst(), TITLE);
        for (String l : lines) w = Math.max(w, Raster.textWidth(l, TEXT));
        return w;
    }
}
