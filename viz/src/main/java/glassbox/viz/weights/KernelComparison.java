package glassbox.viz.weights;

import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * First-layer kernels of several architectures trained on the same data, as numbers: per architecture every
 * kernel's {@link KernelStats}, their averages, an orientation histogram, and the same averages for i.i.d.
 * noise kernels of that shape, so "LeNet's 5x5 kernels are smoother and more colour-blind than ResNet's 3x3"
 * is something one can read off rather than squint at. {@link KernelComparisonSheet} draws it.
 *
 * <p>Leaves out any matching of kernels between architectures (the order of kernels is arbitrary).
 *
 * @param layers one entry per architecture, in the order given
 */
public record KernelComparison(List<Layer> layers) {
    /** One architecture's first layer: a label such as "lenet5 conv1" and its weight [out, in, k, k]. */
    public record Entry(String label, Tensor weight) {
    }

    /**
     * One architecture's numbers.
     *
     * @param kernels the weights, as drawn
     * @param stats   per kernel, in kernel order
     * @param noise   the same summary for i.i.d. Gaussian kernels of this shape (an untrained layer)
     */
    public record Layer(String label, ConvKernels kernels, List<KernelStats> stats, Summary summary, Summary noise) {
    }

    /** Averages over one layer's kernels; the histogram counts oriented kernels per {@link #BINS} bin. */
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

    /** Computes the comparison of {@code entries}' kernels. */
    public static KernelComparison of(List<Entry> entries) {
        if (entries.isEmpty()) throw new IllegalArgumentException("nothing to compare");
        List<Layer> ls = new ArrayList<>();
        for (Entry e : entries) ls.add(layer(e.label(), e.weight()));
        return new KernelComparison(List.copyOf(ls));
    }

    /** The numbers of one layer's kernels W [out, in, k, k]. */
    public static Layer layer(String label, Tensor weight) {
        if (weight.rank() != 4 || weight.dim(2) != weight.dim(3)) {
            throw new IllegalArgumentException(label + ": expected conv weights [out, in, k, k], got " + weight.shapeString());
        }
        return new Layer(label, ConvKernels.of(label, ConvKernels.Quantity.WEIGHTS, weight, 0, Double.NaN), stats(weight),
                summarize(weight), noiseBaseline(weight.dim(1), weight.dim(2), NOISE_SAMPLES));
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
            if (s.norm() < 0.01 * maxNorm || s.norm() == 0) dead++;
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
}
