package glassbox.viz.weights;

import glassbox.tensor.Tensor;
import glassbox.viz.render.BitmapFont;
import glassbox.viz.render.Fmt;
import glassbox.viz.render.Grid;
import glassbox.viz.render.Page;
import glassbox.viz.render.Raster;
import glassbox.viz.render.Scaling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * First-layer kernels of several architectures trained on the same data, side by side on one sheet, each
 * kernel with the numbers of {@link KernelStats} under it and, per architecture, an orientation histogram
 * and averages, so "LeNet's 5x5 kernels are smoother and more colour-blind than ResNet's 3x3" is something
 * one can read off rather than squint at.
 *
 * <p>Leaves out any matching of kernels between architectures (the order of kernels is arbitrary).
 */
public final class KernelComparison {
    /** One architecture's first layer: a label such as "lenet5 conv1" and its weight [out, in, k, k]. */
    public record Entry(String label, Tensor weight) {
    }

    /** Averages over one layer's kernels. */
    public record Summary(int kernels, int kernelSize, double meanCoherence, double orientedFraction,
                          double meanFrequency, double meanColourFraction, double meanSmoothness,
                          double deadFraction, int[] orientationHistogram) {
    }

    /** Kernels with coherence above this count as oriented (edge- or stripe-like). */
    public static final double ORIENTED = 0.5;
    /** Noise kernels averaged for the baseline shown in brackets. */
    public static final int NOISE_SAMPLES = 2000;
    /** Orientation histogram bins over [0, 180) degrees. */
    public static final int BINS = 8;

    private final List<Entry> entries;

    public KernelComparison(List<Entry> entries) {
        if (entries.isEmpty()) throw new IllegalArgumentException("nothing to compare");
        for (Entry e : entries) {
            if (e.weight().rank() != 4 || e.weight().dim(2) != e.weight().dim(3)) {
                throw new IllegalArgumentException(e.label() + ": expected conv weights [out, in, k, k], got " + e.weight().shapeString());
            }
        }
        this.entries = List.copyOf(entries);
    }

    /** Statistics of every kernel of W [out, in, k, k]. */
    public static List<KernelStats> stats(Tensor weight) {
        int out = weight.dim(0), in = weight.dim(1), k = weight.dim(2), size = in * k * k;
        List<KernelStats> s = new ArrayList<>();
        for (int o = 0; o < out; o++) s.add(KernelStats.of(weight.data(), o * size, in, k, k));
        return s;
    }

    /** Averages and the orientation histogram (oriented kernels only) of a layer. */
    public static Summary summarize(Tensor weight) {
        List<KernelStats> ss = stats(weight);
        double maxNorm = 0;
        for (KernelStats s : ss) maxNorm = Math.max(maxNorm, s.norm());
        double coh = 0, freq = 0, col = 0, smooth = 0;
        int oriented = 0, dead = 0;
        int[] hist = new int[BINS];
        for (KernelStats s : ss) {
            coh += s.coherence();
            freq += s.meanFrequency();
            col += s.colourFraction();
            smooth += s.smoothness();
            if (s.norm() < 0.01 * maxNorm) dead++;
            if (s.coherence() > ORIENTED) {
                oriented++;
                hist[orientationBin(s.orientation())]++;
            }
        }
        int n = ss.size();
        return new Summary(n, weight.dim(2), coh / n, oriented / (double) n, freq / n, col / n, smooth / n, dead / (double) n, hist);
    }

    /**
     * What the same numbers give for kernels of i.i.d. Gaussian noise of shape [c, k, k] (an untrained layer),
     * averaged over {@code n} kernels from a fixed seed: the yardstick that says whether a learned layer is
     * smoother, more colour-blind or more oriented than chance. Noise scores smoothness about 0.56 whatever
     * k, colour share 2/3 for RGB, and a coherence that falls with k (0.35 for 3x3 RGB, 0.19 for 5x5 RGB).
     */
    public static Summary noiseBaseline(int c, int k, int n) {
        java.util.Random r = new java.util.Random(12345);
        float[] w = new float[n * c * k * k];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        return summarize(Tensor.of(w, n, c, k, k));
    }

    /** Bin of an orientation: bins are centred on 0, 22.5, 45, ... degrees (so 0 and 179 share bin 0). */
    static int orientationBin(double deg) {
        double w = 180.0 / BINS;
        return (int) Math.floor(((deg + w / 2) % 180) / w) % BINS;
    }

    public Raster render() {
        List<Raster> columns = new ArrayList<>();
        for (Entry e : entries) columns.add(column(e));
        Page p = new Page("First-layer kernels across architectures");
        p.text("Under each kernel: or = edge orientation in degrees (0 horizontal, 90 vertical; '-' when coherence < " + ORIENTED + "),");
        p.text("fr = mean spatial frequency (cycles/pixel), co = colour share of the energy, sm = smoothness (1 = flat).");
        p.row(24, columns);
        return p.render();
    }

    private static Raster column(Entry e) {
        Tensor w = e.weight();
        int out = w.dim(0), in = w.dim(1), k = w.dim(2);
        List<KernelStats> ss = stats(w);
        List<Raster> tiles = in == 1 || in == 3 ? KernelSheets.kernelTiles(w, Scaling.PER_TILE, 40) : null;
        if (tiles == null) throw new IllegalArgumentException(e.label() + ": first-layer kernels need 1 or 3 input channels, got " + in);
        List<Grid.Tile> cards = new ArrayList<>();
        for (int o = 0; o < out; o++) cards.add(new Grid.Tile(card(tiles.get(o), ss.get(o)), ""));
        Summary s = summarize(w);
        List<Raster> parts = new ArrayList<>();
        parts.add(Page.textBlock(e.label(), 2, Raster.BLACK));
        parts.add(Page.textBlock("first conv layer: " + out + " kernels " + in + "x" + k + "x" + k, 1, Raster.DARK_GRAY));
        parts.add(new Grid(Math.min(out, 8)).gap(4).render(cards));
        Summary noise = noiseBaseline(in, k, NOISE_SAMPLES);
        parts.add(Page.textBlock("mean of " + out + " kernels (i.i.d. noise of this shape):", 1, Raster.DARK_GRAY));
        parts.add(Page.textBlock("oriented   " + pct(s.orientedFraction()) + " (" + pct(noise.orientedFraction()) + ")", 1, Raster.BLACK));
        parts.add(Page.textBlock("coherence  " + Fmt.fixed(s.meanCoherence(), 2) + " (" + Fmt.fixed(noise.meanCoherence(), 2) + ")", 1, Raster.BLACK));
        parts.add(Page.textBlock("frequency  " + Fmt.fixed(s.meanFrequency(), 2) + " (" + Fmt.fixed(noise.meanFrequency(), 2) + ")", 1, Raster.BLACK));
        parts.add(Page.textBlock("colour     " + pct(s.meanColourFraction()) + " (" + pct(noise.meanColourFraction()) + ")", 1, Raster.BLACK));
        parts.add(Page.textBlock("smoothness " + Fmt.fixed(s.meanSmoothness(), 2) + " (" + Fmt.fixed(noise.meanSmoothness(), 2) + ")", 1, Raster.BLACK));
        parts.add(Page.textBlock("dead       " + pct(s.deadFraction()), 1, Raster.BLACK));
        parts.add(histogram(s.orientationHistogram()));
        return Page.column(4, parts, Raster.WHITE);
    }

    /** A kernel tile with four short lines of numbers under it. */
    private static Raster card(Raster tile, KernelStats s) {
        String[] lines = {
                "or " + (s.coherence() > ORIENTED ? Long.toString(Math.round(s.orientation()) % 180) : "-"),
                "fr " + Fmt.fixed(s.meanFrequency(), 2).replaceFirst("^0", ""),
                "co " + Fmt.fixed(s.colourFraction(), 2).replaceFirst("^0", ""),
                "sm " + Fmt.fixed(s.smoothness(), 2).replaceFirst("^0", "")};
        int w = Math.max(tile.width(), BitmapFont.width("or 135", 1));
        Raster r = new Raster(w, tile.height() + 4 + lines.length * 10, Raster.WHITE);
        r.blit(tile, (w - tile.width()) / 2, 0);
        for (int i = 0; i < lines.length; i++) BitmapFont.draw(r, 0, tile.height() + 4 + i * 10, lines[i], Raster.DARK_GRAY, 1);
        return r;
    }

    /** Bars of oriented kernels per orientation bin, labelled with the bin centres. */
    private static Raster histogram(int[] hist) {
        int barW = 24, maxH = 40, max = 1;
        for (int v : hist) max = Math.max(max, v);
        Raster r = new Raster(BINS * barW + 2, maxH + 32, Raster.WHITE);
        BitmapFont.draw(r, 0, 0, "edge orientations (degrees)", Raster.DARK_GRAY, 1);
        int base = 12 + maxH;
        for (int b = 0; b < BINS; b++) {
            int h = (int) Math.round(maxH * hist[b] / (double) max);
            r.fillRect(b * barW + 3, base - h, barW - 6, h, 0x2a788e);
            if (hist[b] > 0) BitmapFont.drawCentered(r, b * barW + barW / 2, base - h - 9 < 9 ? base - h + 1 : base - h - 9, Integer.toString(hist[b]), hist[b] == max ? Raster.WHITE : Raster.DARK_GRAY, 1);
            BitmapFont.drawCentered(r, b * barW + barW / 2, base + 3, Long.toString(Math.round(b * 180.0 / BINS)), Raster.DARK_GRAY, 1);
        }
        r.fillRect(0, base, BINS * barW, 1, Raster.MID_GRAY);
        return r;
    }

    private static String pct(double f) {
        return Math.round(100 * f) + "%";
    }

    /** Everything shown, for the JSON file: per architecture the summary and every kernel's numbers. */
    public Map<String, Object> numbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Entry e : entries) m.put(e.label(), numbers(e.label(), e.weight()));
        return m;
    }

    /** Summary and per-kernel numbers of one layer's kernels, as written to JSON. */
    public static Map<String, Object> numbers(String label, Tensor weight) {
        Summary s = summarize(weight);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("shape", weight.shape());
        a.put("meanCoherence", s.meanCoherence());
        a.put("orientedFraction", s.orientedFraction());
        a.put("meanFrequency", s.meanFrequency());
        a.put("meanColourFraction", s.meanColourFraction());
        a.put("meanSmoothness", s.meanSmoothness());
        a.put("deadFraction", s.deadFraction());
        a.put("orientationHistogram", s.orientationHistogram());
        List<Object> ks = new ArrayList<>();
        for (KernelStats k : stats(weight)) ks.add(kernelMap(k));
        a.put("kernels", ks);
        Summary noise = noiseBaseline(weight.dim(1), weight.dim(2), NOISE_SAMPLES);
        Map<String, Object> nb = new LinkedHashMap<>();
        nb.put("meanCoherence", noise.meanCoherence());
        nb.put("orientedFraction", noise.orientedFraction());
        nb.put("meanFrequency", noise.meanFrequency());
        nb.put("meanColourFraction", noise.meanColourFraction());
        nb.put("meanSmoothness", noise.meanSmoothness());
        a.put("noiseBaseline", nb);
        return a;
    }

    static Map<String, Object> kernelMap(KernelStats k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("orientation", k.orientation());
        m.put("coherence", k.coherence());
        m.put("peakFrequency", k.peakFrequency());
        m.put("meanFrequency", k.meanFrequency());
        m.put("dcFraction", k.dcFraction());
        m.put("colourFraction", k.colourFraction());
        m.put("smoothness", k.smoothness());
        m.put("norm", k.norm());
        return m;
    }
}
