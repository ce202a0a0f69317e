package glassbox.viz.training;

import glassbox.train.stats.Histogram;
import glassbox.train.stats.Run;
import glassbox.train.stats.RunRecord;
import glassbox.train.stats.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A run file as the series the training charts draw: per stats record (x = step) the loss, accuracy and
 * learning rate; per parameter its value, gradient and update norms and the update:parameter ratio; per layer
 * its output's mean, std, dead share and saturated share; and for every parameter (value, gradient, update) and
 * every layer output the fixed-bin histogram over time as a heatmap of shares. Plus the epoch records and the
 * diagnoses. Numbers only: {@link TrainingCharts} draws them, {@code JsonOut} writes them.
 *
 * @param file       the run file
 * @param arch       architecture
 * @param dataset    data set name
 * @param statsEvery the recording interval
 * @param steps      step of each stats record
 * @param lr         learning rate at each record
 * @param meanLoss   mean training loss since the previous record
 * @param accuracy   training accuracy since the previous record
 * @param epochs     the epoch records
 * @param params     one series per parameter tensor
 * @param layers     one series per layer
 * @param diagnoses  the diagnoses, in the order found
 * @param warnings   reader warnings (a cut file)
 */
public record TrainingView(String file, String arch, String dataset, int statsEvery, long[] steps, double[] lr,
                           double[] meanLoss, double[] accuracy, List<RunRecord.Epoch> epochs, List<ParamSeries> params,
                           List<LayerSeries> layers, List<RunRecord.Diagnosis> diagnoses, List<String> warnings) {

    /**
     * @param ratio NaN where the value was all zero
     */
    public record ParamSeries(String name, String layer, boolean weight, double[] valueNorm, double[] gradNorm,
                              double[] updateNorm, double[] ratio, Heatmap value, Heatmap grad, Heatmap update) {
    }

    /**
     * @param saturated null for layers other than sigmoid and tanh
     */
    public record LayerSeries(String name, String kind, double[] mean, double[] std, double[] dead, double[] saturated,
                              Heatmap out) {
    }

    /**
     * Histograms over time: {@code share[r][i]} is the fraction of the tensor's values that fell in
     * {@link Histogram} bin {@code bins[i]} at record {@code r}. Only the bins in use are kept: on each side of
     * zero, from the smallest to the largest magnitude ever seen, and the centre bin if it ever held a value, so
     * the rows are up to three runs of consecutive bins (negative side, zero, positive side), in value order.
     *
     * @param bins  the {@link Histogram} bin of each row
     * @param lower value at the lower edge of each row's bin
     * @param upper value at its upper edge
     */
    public record Heatmap(int[] bins, double[] lower, double[] upper, double[][] share) {
        static Heatmap of(List<Summary> perRecord) {
            boolean[] used = new boolean[Histogram.BINS];
            for (Summary s : perRecord) for (int b = 0; b < Histogram.BINS; b++) used[b] |= s.hist()[b] > 0;
            List<Integer> rows = new ArrayList<>();
            int negLo = -1, negHi = -1, posLo = -1, posHi = -1;
            for (int b = 0; b < Histogram.CENTRE; b++) {
                if (!used[b]) continue;
                if (negLo < 0) negLo = b;
                negHi = b;
            }
            for (int b = Histogram.CENTRE + 1; b < Histogram.BINS; b++) {
                if (!used[b]) continue;
                if (posLo < 0) posLo = b;
                posHi = b;
            }
            if (negLo >= 0) for (int b = negLo; b <= negHi; b++) rows.add(b);
            if (used[Histogram.CENTRE] || (negLo < 0 && posLo < 0)) rows.add(Histogram.CENTRE);
            if (posLo >= 0) for (int b = posLo; b <= posHi; b++) rows.add(b);
            int w = rows.size();
            int[] bins = rows.stream().mapToInt(Integer::intValue).toArray();
            double[][] share = new double[perRecord.size()][w];
            for (int r = 0; r < perRecord.size(); r++) {
                Summary s = perRecord.get(r);
                for (int i = 0; i < w; i++) share[r][i] = s.n() == 0 ? 0 : (double) s.hist()[bins[i]] / s.n();
            }
            double[] lower = new double[w], upper = new double[w];
            for (int i = 0; i < w; i++) {
                double in = Histogram.innerEdge(bins[i]), out = Histogram.outerEdge(bins[i]);
                lower[i] = bins[i] == Histogram.CENTRE ? -out : Math.min(in, out);
                upper[i] = bins[i] == Histogram.CENTRE ? out : Math.max(in, out);
            }
            return new Heatmap(bins, lower, upper, share);
        }
    }

    /** The view of a run read with {@link glassbox.train.stats.RunReader#read}. */
    public static TrainingView of(Run run) {
        List<RunRecord.Stats> st = run.stats();
        int n = st.size();
        long[] steps = new long[n];
        double[] lr = new double[n], loss = new double[n], acc = new double[n];
        for (int i = 0; i < n; i++) {
            steps[i] = st.get(i).step();
            lr[i] = st.get(i).lr();
            loss[i] = st.get(i).meanLoss();
            acc[i] = st.get(i).accuracy();
        }
        List<ParamSeries> params = new ArrayList<>();
        List<RunRecord.ParamInfo> pinfo = run.header().params();
        for (int p = 0; p < pinfo.size(); p++) {
            final int k = p;
            Function<Function<RunRecord.ParamStats, Double>, double[]> series = f -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) a[i] = f.apply(st.get(i).params().get(k));
                return a;
            };
            Function<Function<RunRecord.ParamStats, Summary>, Heatmap> heat = f -> {
                List<Summary> ss = new ArrayList<>(n);
                for (RunRecord.Stats s : st) ss.add(f.apply(s.params().get(k)));
                return Heatmap.of(ss);
            };
            RunRecord.ParamInfo info = pinfo.get(p);
            params.add(new ParamSeries(info.name(), info.layer(), info.weight(),
                    series.apply(ps -> (double) ps.value().norm()), series.apply(ps -> (double) ps.grad().norm()),
                    series.apply(ps -> (double) ps.update().norm()), series.apply(ps -> ps.ratio() == null ? Double.NaN : ps.ratio()),
                    heat.apply(RunRecord.ParamStats::value), heat.apply(RunRecord.ParamStats::grad), heat.apply(RunRecord.ParamStats::update)));
        }
        List<LayerSeries> layers = new ArrayList<>();
        List<RunRecord.LayerInfo> linfo = run.header().layers();
        for (int l = 0; l < linfo.size(); l++) {
            double[] mean = new double[n], std = new double[n], dead = new double[n], sat = new double[n];
            boolean saturable = false;
            List<Summary> outs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                RunRecord.LayerStats ls = st.get(i).layers().get(l);
                mean[i] = ls.out().mean();
                std[i] = ls.out().std();
                dead[i] = ls.dead();
                sat[i] = ls.saturated() == null ? Double.NaN : ls.saturated();
                saturable |= ls.saturated() != null;
                outs.add(ls.out());
            }
            layers.add(new LayerSeries(linfo.get(l).name(), linfo.get(l).kind(), mean, std, dead, saturable ? sat : null, Heatmap.of(outs)));
        }
        return new TrainingView(run.file().toString(), run.header().arch(), run.header().dataset(), run.header().statsEvery(),
                steps, lr, loss, acc, run.epochs(), params, layers, run.diagnoses(), run.warnings());
    }

    /** The weight parameter of layer {@code layer} ("conv1.weight"), or null if it has none. */
    public ParamSeries weightOf(String layer) {
        for (ParamSeries p : params) if (p.weight() && p.layer().equals(layer)) return p;
        return null;
    }
}
