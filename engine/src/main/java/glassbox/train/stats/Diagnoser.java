package glassbox.train.stats;

import glassbox.train.stats.RunRecord.Diagnosis;
import glassbox.train.stats.RunRecord.Problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a run's stats records as they come and says in words what is going wrong, and since which step.
 *
 * <p>Every rule asks for evidence in {@value #WINDOW} consecutive stats records (the "window"), so one noisy
 * batch raises nothing; the reported step is the first record of that evidence. Each problem is reported at
 * most once per subject (layer). The rules and their thresholds:
 * <table>
 *   <caption>Diagnoses</caption>
 *   <tr><th>problem</th><th>in each record of the window</th><th>and</th></tr>
 *   <tr><td>vanishing gradients</td><td>a weight's gradient norm is below {@value #VANISHING} of the largest gradient
 *       norm of the weights above it (closer to the output)</td><td></td></tr>
 *   <tr><td>exploding gradients</td><td>the global gradient norm is over {@value #EXPLODING}× the smallest seen</td>
 *       <td>still growing; or training diverged (NaN/∞)</td></tr>
 *   <tr><td>dead ReLUs</td><td>at least {@value #DEAD} of a ReLU's units are zero for the whole batch</td><td></td></tr>
 *   <tr><td>saturated units</td><td>at least {@value #SATURATED} of a sigmoid's or tanh's outputs are within 1% of an
 *       asymptote</td><td></td></tr>
 *   <tr><td>learning rate too high</td><td>the median update:parameter ratio of the weights is above
 *       {@value #RATIO_HIGH}</td><td>the loss rose over the window, or its rises add up to more than its net fall; or, at once, the loss more
 *       than doubled right after a record with such a ratio (overshooting)</td></tr>
 *   <tr><td>learning rate too low</td><td>the median ratio is below {@value #RATIO_LOW}, while the scheduled rate is at
 *       least a tenth of its peak (an annealed tail is meant to be slow)</td><td>the loss changed by under
 *       {@value #FLAT} over the window</td></tr>
 *   <tr><td>loss not decreasing</td><td colspan="2">after {@code 2 × WINDOW} records, the mean loss of the last
 *       {@value #WINDOW} is above {@code 1 - }{@value #DECREASE} times that of the first {@value #WINDOW}</td></tr>
 * </table>
 * The update:parameter ratio rule of thumb (about 1e-3) is from Karpathy's CS231n notes ("Babysitting the learning
 * process"); vanishing and exploding gradients from Hochreiter 1991 and Bengio, Simard &amp; Frasconi 1994; saturation
 * of sigmoid and tanh units from Glorot &amp; Bengio 2010. Leaves out over-fitting (it needs a validation curve) and
 * anything about data quality.
 */
public final class Diagnoser {
    /** Consecutive stats records a condition must hold in. */
    public static final int WINDOW = 5;
    /** A weight's gradient norm below this fraction of the largest one above it is vanishing. */
    public static final double VANISHING = 1e-3;
    /** Growth of the global gradient norm over its smallest value that counts as exploding. */
    public static final double EXPLODING = 100;
    /** Share of dead units that counts as a dead ReLU layer. */
    public static final double DEAD = 0.5;
    /** Share of saturated outputs that counts as a saturated layer. */
    public static final double SATURATED = 0.5;
    /** Median update:parameter ratio above which the learning rate is too high (healthy: about 1e-3). */
    public static final double RATIO_HIGH = 1e-2;
    /** Median update:parameter ratio below which the learning rate is too low. */
    public static final double RATIO_LOW = 3e-5;
    /** Relative loss change within a window that counts as flat. */
    public static final double FLAT = 0.05;
    /** Relative decrease of the loss below which it is "not decreasing". */
    public static final double DECREASE = 0.02;

    /** What one stats record says, boiled down to the numbers the rules need. */
    private record Point(long step, double lr, double loss, double medianRatio, double gradNorm) {
    }

    private final RunRecord.Header header;
    private final double peakLr;
    private final int[] weights; // indices of the weights (not biases) in forward order
    private final List<Point> points = new ArrayList<>();
    private final Map<String, Streak> streaks = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    private double smallestGradNorm = Double.POSITIVE_INFINITY;

    public Diagnoser(RunRecord.Header header) {
        this.header = header;
        String lr = header.config().get("train.lr");
        this.peakLr = lr == null ? Double.NaN : Double.parseDouble(lr);
        List<RunRecord.ParamInfo> ps = header.params();
        this.weights = java.util.stream.IntStream.range(0, ps.size()).filter(i -> ps.get(i).weight()).toArray();
    }

    /** Marks {@code d} as already reported (a resumed run does not repeat what its file already says). */
    public void alreadyReported(Diagnosis d) {
        reported.add(key(d.problem(), d.subject()));
    }

    /** Feeds one stats record; returns the problems newly found (usually none). */
    public List<Diagnosis> add(RunRecord.Stats s) {
        List<Diagnosis> out = new ArrayList<>();
        Point p = point(s);
        points.add(p);
        long step = s.step();
        vanishing(s, out);
        exploding(p, out);
        layers(s, out);
        learningRate(p, out);
        lossNotDecreasing(out);
        smallestGradNorm = Math.min(smallestGradNorm, p.gradNorm > 0 ? p.gradNorm : smallestGradNorm);
        return out;
    }

    /**
     * Training stopped at a NaN or infinity at {@code step}: exploding gradients (since the gradient norm first
     * passed 10× its smallest value, if it did), and a learning rate too high if the last ratio was.
     */
    public List<Diagnosis> diverged(long step, String detail) {
        List<Diagnosis> out = new ArrayList<>();
        long since = step;
        for (Point p : points) {
            if (p.gradNorm > 10 * smallestGradNorm) {
                since = p.step;
                break;
            }
        }
        emit(out, Problem.EXPLODING_GRADIENTS, "", since, step, "values became NaN or infinite (" + detail
                + "). Try a lower learning rate or gradient clipping (--clip 1).");
        if (!points.isEmpty() && points.getLast().medianRatio > RATIO_HIGH) {
            Point last = points.getLast();
            emit(out, Problem.LR_TOO_HIGH, "", streakStart("ratio-high", last.step), step, String.format(Locale.ROOT,
                    "the update:parameter ratio was %.1e before training diverged (healthy: about 1e-3). Lower the learning rate (try %s).",
                    last.medianRatio, suggestLr(last, 1e-3)));
        }
        return out;
    }

    private void vanishing(RunRecord.Stats s, List<Diagnosis> out) {
        // Walking from the output down, keep the largest gradient norm seen above.
        double above = 0;
        int aboveIdx = -1, worst = -1;
        double worstFrac = 1, worstAbove = 0;
        int worstAboveIdx = -1;
        for (int k = weights.length - 1; k >= 0; k--) {
            double g = s.params().get(weights[k]).grad().norm();
            if (aboveIdx >= 0 && above > 0) {
                double frac = g / above;
                if (frac < VANISHING) {
                    // the first one found walking down is kept unless a lower layer is even smaller
                    if (worst < 0 || frac < worstFrac) {
                        worst = weights[k];
                        worstFrac = frac;
                        worstAbove = above;
                        worstAboveIdx = aboveIdx;
                    }
                }
            }
            if (g > above) {
                above = g;
                aboveIdx = weights[k];
            }
        }
        if (streak("vanishing", worst >= 0, s.step())) {
            String name = header.params().get(worst).name(), top = header.params().get(worstAboveIdx).name();
            double g = s.params().get(worst).grad().norm();
            emit(out, Problem.VANISHING_GRADIENTS, header.params().get(worst).layer(), streakStart("vanishing", s.step()), s.step(),
                    String.format(Locale.ROOT, "the gradient of %s is %.1e times that of %s above it (norms %.2e and %.2e): "
                                    + "the layers near the input barely learn. Remedies: ReLU instead of sigmoid or tanh, He initialization, "
                                    + "batch norm, residual connections.", name, worstFrac, top, g, worstAbove));
        }
    }

    private void exploding(Point p, List<Diagnosis> out) {
        boolean big = Double.isFinite(smallestGradNorm) && p.gradNorm > EXPLODING * smallestGradNorm;
        if (streak("exploding", big, p.step)) {
            Point first = pointAt(streakStart("exploding", p.step));
            if (p.gradNorm > first.gradNorm) {
                emit(out, Problem.EXPLODING_GRADIENTS, "", first.step, p.step, String.format(Locale.ROOT,
                        "the global gradient norm grew to %.2e, %.0f times its smallest value (%.2e), and is still growing. "
                                + "Remedies: a lower learning rate, gradient clipping (--clip 1), batch norm.",
                        p.gradNorm, p.gradNorm / smallestGradNorm, smallestGradNorm));
            }
        }
    }

    private void layers(RunRecord.Stats s, List<Diagnosis> out) {
        List<RunRecord.LayerInfo> ls = header.layers();
        for (int i = 0; i < ls.size(); i++) {
            RunRecord.LayerInfo l = ls.get(i);
            RunRecord.LayerStats st = s.layers().get(i);
            if (l.kind().equals("ReLU") && streak("dead/" + l.name(), st.dead() >= DEAD, s.step())) {
                emit(out, Problem.DEAD_RELUS, l.name(), streakStart("dead/" + l.name(), s.step()), s.step(), String.format(Locale.ROOT,
                        "%.0f%% of %s's units output zero for every image of the batch: they pass no gradient back and stop "
                                + "learning. Causes: a large negative bias, a learning rate too high. Remedies: a lower learning rate, "
                                + "He initialization, LeakyReLU.", 100 * st.dead(), l.name()));
            }
            if (st.saturated() != null && streak("saturated/" + l.name(), st.saturated() >= SATURATED, s.step())) {
                emit(out, Problem.SATURATED_UNITS, l.name(), streakStart("saturated/" + l.name(), s.step()), s.step(), String.format(Locale.ROOT,
                        "%.0f%% of %s's outputs are within 1%% of an asymptote of its %s, where its derivative is nearly zero. "
                                + "Remedies: normalized inputs, smaller initial weights (Xavier), batch norm, ReLU.",
                        100 * st.saturated(), l.name(), l.kind().toLowerCase(Locale.ROOT)));
            }
        }
    }

    private void learningRate(Point p, List<Diagnosis> out) {
        // Overshooting: a step far above the healthy size, and the loss more than doubled right after it.
        Point prev = points.size() >= 2 ? points.get(points.size() - 2) : null;
        if (prev != null && prev.medianRatio > RATIO_HIGH && p.loss > 2 * prev.loss) {
            emit(out, Problem.LR_TOO_HIGH, "", prev.step, p.step, String.format(Locale.ROOT,
                    "the update:parameter ratio of the weights was %.1e at step %d (healthy: about 1e-3) and the loss jumped from "
                            + "%.4f to %.4g after it: the steps overshoot. Lower the learning rate (try %s).",
                    prev.medianRatio, prev.step, prev.loss, p.loss, suggestLr(prev, 1e-3)));
        }
        boolean high = p.medianRatio > RATIO_HIGH;
        if (streak("ratio-high", high, p.step)) {
            // Rising, or going up by more in total than it came down: not the noise of a loss on its way down.
            List<Point> w = lastWindow();
            Point a = w.getFirst(), b = w.getLast();
            double rises = 0;
            for (int i = 1; i < w.size(); i++) rises += Math.max(0, w.get(i).loss - w.get(i - 1).loss);
            boolean oscillating = rises > a.loss - b.loss;
            if (b.loss >= a.loss || oscillating) {
                emit(out, Problem.LR_TOO_HIGH, "", streakStart("ratio-high", p.step), p.step, String.format(Locale.ROOT,
                        "the update:parameter ratio of the weights is %.1e (healthy: about 1e-3; above %.0e since the step named) "
                                + "and the loss %s (%.4f, then %.4f). Lower the learning rate (try %s).",
                        p.medianRatio, RATIO_HIGH, b.loss >= a.loss ? "is rising" : "goes up more than it comes down", a.loss, b.loss,
                        suggestLr(p, 1e-3)));
            }
        }
        boolean scheduledHigh = Double.isNaN(peakLr) || p.lr >= 0.1 * peakLr;
        boolean low = p.medianRatio < RATIO_LOW && scheduledHigh;
        if (streak("ratio-low", low, p.step)) {
            List<Point> w = lastWindow();
            Point a = w.getFirst(), b = w.getLast();
            if (Math.abs(b.loss - a.loss) <= FLAT * Math.abs(a.loss)) {
                emit(out, Problem.LR_TOO_LOW, "", streakStart("ratio-low", p.step), p.step, String.format(Locale.ROOT,
                        "the update:parameter ratio of the weights is %.1e (healthy: about 1e-3) and the loss is flat (%.4f, then %.4f): "
                                + "the weights hardly move. Raise the learning rate (try %s).", p.medianRatio, a.loss, b.loss, suggestLr(p, 1e-3)));
            }
        }
    }

    private void lossNotDecreasing(List<Diagnosis> out) {
        if (points.size() < 2 * WINDOW) return;
        double first = meanLoss(points.subList(0, WINDOW)), last = meanLoss(lastWindow());
        if (last > (1 - DECREASE) * first) {
            Point now = points.getLast();
            emit(out, Problem.LOSS_NOT_DECREASING, "", points.getFirst().step, now.step, String.format(Locale.ROOT,
                    "the mean loss of the last %d records is %.4f, against %.4f in the first %d: the network is not learning. "
                            + "Look at the other diagnoses, the learning rate and the data.", WINDOW, last, first, WINDOW));
        }
    }

    /**
     * The {@code --lr} that would have brought this record's ratio to {@code target}: the configured (peak) rate scaled
     * by target / ratio, since the ratio scales with the learning rate (exactly for plain SGD, roughly otherwise).
     */
    private String suggestLr(Point p, double target) {
        if (!(p.medianRatio > 0) || !(p.lr > 0)) return "a tenth of it";
        double lr = (Double.isNaN(peakLr) ? p.lr : peakLr) * target / p.medianRatio;
        double mag = Math.pow(10, Math.floor(Math.log10(lr)));
        return String.format(Locale.ROOT, "--lr %.0e", Math.round(lr / mag) * mag);
    }

    private Point point(RunRecord.Stats s) {
        // Weights without gradient (cut off by dead units) are not moved by any learning rate: leave them out.
        double[] ratios = Arrays.stream(weights).filter(i -> s.params().get(i).grad().norm() > 0)
                .mapToObj(i -> s.params().get(i).ratio())
                .filter(r -> r != null && Float.isFinite(r)).mapToDouble(Float::doubleValue).sorted().toArray();
        double median = ratios.length == 0 ? Double.NaN
                : ratios.length % 2 == 1 ? ratios[ratios.length / 2] : 0.5 * (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]);
        double sq = 0;
        for (RunRecord.ParamStats ps : s.params()) sq += (double) ps.grad().norm() * ps.grad().norm();
        return new Point(s.step(), s.lr(), s.meanLoss(), median, Math.sqrt(sq));
    }

    private List<Point> lastWindow() {
        return points.subList(Math.max(0, points.size() - WINDOW), points.size());
    }

    private static double meanLoss(List<Point> ps) {
        double s = 0;
        for (Point p : ps) s += p.loss;
        return s / ps.size();
    }

    private Point pointAt(long step) {
        for (Point p : points) if (p.step == step) return p;
        return points.getLast();
    }

    /** Counts consecutive records where {@code holds}; true once the streak is {@value #WINDOW} long. */
    private boolean streak(String key, boolean holds, long step) {
        Streak s = streaks.computeIfAbsent(key, k -> new Streak());
        if (!holds) {
            s.length = 0;
            return false;
        }
        if (s.length++ == 0) s.start = step;
        return s.length >= WINDOW;
    }

    private long streakStart(String key, long fallback) {
        Streak s = streaks.get(key);
        return s == null || s.length == 0 ? fallback : s.start;
    }

    private void emit(List<Diagnosis> out, Problem p, String subject, long start, long now, String message) {
        if (reported.add(key(p, subject))) out.add(new Diagnosis(p, subject, start, now, message));
    }

    private static String key(Problem p, String subject) {
        return p + "/" + subject;
    }

    private static final class Streak {
        long start;
        int length;
    }
}
