package glassbox.bench;

import glassbox.kernels.Parallel;
import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.model.Zoo;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;
import glassbox.viz.robustness.Attack;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One PGD step on resnet20 per batch, Glassbox beside PyTorch in one run: the unit of the PGD-10 comparison
 * (ten steps plus two forward passes per image). Each round times, for each thread count in turn, Glassbox in
 * this JVM and then {@code benchmarks/scripts/pgd_step_peer_pytorch.py} (one PyTorch process kept alive for the
 * whole run, same weights), so both sides see the same machine. A Glassbox step is one iteration of {@link Attack#run}: normalize, forward, cross-entropy, input gradient only
 * ({@code Model.setParamGradients(false)}), signed step, projection.
 *
 * <p>With more than one thread, Glassbox is timed three ways: the batch's step with every layer split between
 * the threads ("step"); the data-parallel step {@link Attack#run} now takes, two slices of the batch per thread claimed
 * one at a time, each in {@code Parallel.serial} mode on its own copy of the model ("dp step"); and a whole PGD-10 through
 * {@link Attack#run} itself on the batch (random start, 10 steps and the final forward pass; the clean forward
 * pass that a robustness curve adds is not in it), once per round ("attack.run"). The first two run the model as
 * loaded; {@link Attack#run} runs copies with batch norm folded into the convolutions, so its figure also shows
 * what the folding saves.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * glassbox.bench.PgdCompare [--model FILE.gbx] [--batch 256] [--rounds 5] [--reps 7] [--threads 1,2] [--no-peer]}.
 * Without {@code --model} it uses the zoo's resnet20 with random weights (the peer needs a file).
 */
public final class PgdCompare {
    private static final java.lang.management.ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();

    private PgdCompare() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        String modelPath = opt(a, "--model", null);
        int batch = Integer.parseInt(opt(a, "--batch", "256"));
        int rounds = Integer.parseInt(opt(a, "--rounds", "5"));
        int reps = Integer.parseInt(opt(a, "--reps", "7"));
        int[] threads = Arrays.stream(opt(a, "--threads", "1,2").split(",")).mapToInt(Integer::parseInt).toArray();
        boolean peer = modelPath != null && !a.contains("--no-peer");
        Model model;
        Normalization norm;
        if (modelPath != null) {
            ModelFile f = ModelIO.load(Path.of(modelPath));
            model = f.toModel();
            norm = new Normalization(f.mean(), f.std());
        } else {
            model = Zoo.build("resnet20", Zoo.options(new int[]{3, 32, 32}, 10), 1);
            norm = new Normalization(new float[]{0.49f, 0.48f, 0.45f}, new float[]{0.25f, 0.24f, 0.26f});
        }
        Step step = new Step(model, norm, batch);
        int maxThreads = Arrays.stream(threads).max().orElse(1);
        Step[] slices = new Step[2 * maxThreads]; // the data-parallel step: two slices per thread, each on its own model copy
        for (int s = 0; s < slices.length; s++) slices[s] = new Step(s == 0 ? model : model.copy(), norm, batch / slices.length);
        Attack pgd = Attack.pgd(Attack.Norm.LINF, 8f / 255, 10, 1);
        Process py = null;
        PrintWriter toPy = null;
        BufferedReader fromPy = null;
        if (peer) {
            py = new ProcessBuilder("/usr/bin/python3", "benchmarks/scripts/pgd_step_peer_pytorch.py", modelPath, Integer.toString(batch))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            toPy = new PrintWriter(new OutputStreamWriter(py.getOutputStream(), StandardCharsets.UTF_8), true);
            fromPy = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
        }
        List<double[]> ours = new ArrayList<>(), theirs = new ArrayList<>(), dp = new ArrayList<>(), whole = new ArrayList<>();
        for (int t : threads) {
            ours.add(new double[rounds * 2]);
            theirs.add(new double[rounds * 2]);
            dp.add(new double[rounds * 2]);
            whole.add(new double[rounds]);
        }
        for (int r = 0; r < rounds; r++) {
            for (int ti = 0; ti < threads.length; ti++) {
                int t = threads[ti];
                Parallel.setThreads(t);
                long end = System.nanoTime() + (r == 0 ? 3_000_000_000L : 300_000_000L);
                while (System.nanoTime() < end) step.step();
                double[] ms = new double[reps], fw = new double[reps], cpu = new double[reps];
                for (int i = 0; i < reps; i++) {
                    long c0 = THREAD.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                    step.step();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    cpu[i] = (THREAD.getCurrentThreadCpuTime() - c0) / 1e6;
                    t0 = System.nanoTime();
                    step.forward();
                    fw[i] = (System.nanoTime() - t0) / 1e6;
                }
                ours.get(ti)[2 * r] = median(ms);
                ours.get(ti)[2 * r + 1] = median(fw);
                String dpLine = "";
                if (t > 1) {
                    double[] dms = new double[reps], dfw = new double[reps];
                    for (int i = -1; i < reps; i++) { // one untimed warm-up of the slices
                        long t0 = System.nanoTime();
                        dataParallel(slices, false);
                        if (i >= 0) dms[i] = (System.nanoTime() - t0) / 1e6;
                        t0 = System.nanoTime();
                        dataParallel(slices, true);
                        if (i >= 0) dfw[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    dp.get(ti)[2 * r] = median(dms);
                    dp.get(ti)[2 * r + 1] = median(dfw);
                    dpLine = String.format(Locale.ROOT, "  dp step %8.1f ms  dp forward %7.1f ms", median(dms), median(dfw));
                }
                long a0 = System.nanoTime();
                pgd.run(model, norm, step.clean, step.labels, false, true, null);
                whole.get(ti)[r] = (System.nanoTime() - a0) / 1e6;
                dpLine += String.format(Locale.ROOT, "  attack.run PGD-10 %8.1f ms", whole.get(ti)[r]);
                model.setReuseBuffers(true); // Attack.run restores the settings it found; Step wants these
                model.setParamGradients(false);
                String line = "", ourCpu = t == 1 ? String.format(Locale.ROOT, " [CPU %.1f]", median(cpu)) : "";
                if (peer) {
                    toPy.println(t + " " + reps);
                    String[] f = fromPy.readLine().trim().split("\\s+");
                    theirs.get(ti)[2 * r] = Double.parseDouble(f[2]);
                    theirs.get(ti)[2 * r + 1] = Double.parseDouble(f[3]);
                    line = String.format(Locale.ROOT, "   pytorch step %8.1f ms%s  forward %7.1f ms", theirs.get(ti)[2 * r],
                            t == 1 ? " [CPU " + f[4] + "]" : "", theirs.get(ti)[2 * r + 1]);
                }
                System.out.printf(Locale.ROOT, "round %d, %d thread(s): glassbox step %8.1f ms%s  forward %7.1f ms%s%s   load %s%n",
                        r + 1, t, ours.get(ti)[2 * r], ourCpu, ours.get(ti)[2 * r + 1], dpLine, line, load());
            }
        }
        if (peer) {
            toPy.close();
            py.waitFor();
        }
        System.out.printf(Locale.ROOT, "%nresnet20, batch %d, medians of %d rounds (each the median of %d steps); PGD-10 = 10 steps + 2 forwards per batch%n",
                batch, rounds, reps);
        System.out.printf(Locale.ROOT, "%-8s %12s %12s %18s %12s %12s %18s %8s%n", "threads", "gb step ms", "gb fwd ms", "gb PGD-10 s/1000",
                "pt step ms", "pt fwd ms", "pt PGD-10 s/1000", "pt/gb");
        for (int ti = 0; ti < threads.length; ti++) {
            double gs = median(every(ours.get(ti), 0)), gf = median(every(ours.get(ti), 1));
            double ps = median(every(theirs.get(ti), 0)), pf = median(every(theirs.get(ti), 1));
            double g10 = (10 * gs + 2 * gf) / batch, p10 = (10 * ps + 2 * pf) / batch; // ms per image = s per 1,000 images
            System.out.printf(Locale.ROOT, "%-8d %12.1f %12.1f %18.2f %12s %12s %18s %8s%n", threads[ti], gs, gf, g10,
                    peer ? String.format(Locale.ROOT, "%.1f", ps) : "-", peer ? String.format(Locale.ROOT, "%.1f", pf) : "-",
                    peer ? String.format(Locale.ROOT, "%.2f", p10) : "-", peer ? String.format(Locale.ROOT, "%.2fx", p10 / g10) : "-");
        }
        System.out.printf(Locale.ROOT, "%ndata parallel (two slices per thread, claimed, serial mode, a model copy each) and PGD-10 through Attack.run%n");
        System.out.printf(Locale.ROOT, "%-8s %12s %12s %18s %22s %12s %12s%n", "threads", "dp step ms", "dp fwd ms", "dp PGD-10 s/1000",
                "Attack.run PGD-10 s/1000", "pt/dp", "pt/run");
        for (int ti = 0; ti < threads.length; ti++) {
            double ds = median(every(dp.get(ti), 0)), df = median(every(dp.get(ti), 1)), w = median(whole.get(ti)) / batch;
            double ps = median(every(theirs.get(ti), 0)), pf = median(every(theirs.get(ti), 1));
            double d10 = (10 * ds + 2 * df) / batch, p10 = (10 * ps + 2 * pf) / batch;
            boolean hasDp = threads[ti] > 1;
            System.out.printf(Locale.ROOT, "%-8d %12s %12s %18s %22.2f %12s %12s%n", threads[ti],
                    hasDp ? String.format(Locale.ROOT, "%.1f", ds) : "-", hasDp ? String.format(Locale.ROOT, "%.1f", df) : "-",
                    hasDp ? String.format(Locale.ROOT, "%.2f", d10) : "-", w,
                    peer && hasDp ? String.format(Locale.ROOT, "%.2fx", p10 / d10) : "-",
                    peer ? String.format(Locale.ROOT, "%.2fx", p10 / w) : "-");
        }
    }

    /** One step (or forward pass) of every slice, slices claimed one at a time by the threads, each in serial mode, as {@link Attack#run} runs them. */
    static void dataParallel(Step[] slices, boolean forwardOnly) {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Parallel.forRange(slices.length, (chunk, from, to) -> Parallel.serial(() -> {
            for (int s; (s = next.getAndIncrement()) < slices.length; ) {
                if (forwardOnly) slices[s].forward();
                else slices[s].step();
            }
        }));
    }

    /** The batch under attack and the work of one step, written out as {@link Attack#run} does it. */
    static final class Step {
        static final float EPS = 8f / 255, ALPHA = 2.5f * EPS / 10;
        final Model model;
        final float[] mean, std;
        final float[] clean, p, xs;
        final int[] labels;
        final Tensor x;
        final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

        Step(Model model, Normalization norm, int batch) {
            this.model = model;
            mean = norm.mean();
            std = norm.std();
            model.setReuseBuffers(true);
            model.setParamGradients(false);
            int per = 3 * 32 * 32;
            SplittableRandom r = new SplittableRandom(1);
            clean = new float[batch * per];
            for (int i = 0; i < clean.length; i++) clean[i] = (float) r.nextDouble();
            labels = new int[batch];
            for (int i = 0; i < batch; i++) labels[i] = r.nextInt(10);
            p = clean.clone();
            xs = new float[clean.length];
            x = Tensor.of(xs, batch, 3, 32, 32);
        }

        float step() {
            int plane = 32 * 32;
            for (int i = 0; i < p.length; i++) xs[i] = (p[i] - mean[(i / plane) % 3]) / std[(i / plane) % 3];
            loss.forward(model.forward(x, false), labels);
            float[] g = model.backward(loss.backward()).data();
            for (int i = 0; i < p.length; i++) {
                float v = p[i] + ALPHA * Math.signum(g[i] / std[(i / plane) % 3]);
                p[i] = Math.min(Math.min(1f, clean[i] + EPS), Math.max(Math.max(0f, clean[i] - EPS), v));
            }
            return p[0];
        }

        float forward() {
            return model.forward(x, false).data()[0];
        }
    }

    private static double[] every(double[] v, int off) {
        double[] r = new double[v.length / 2];
        for (int i = 0; i < r.length; i++) r[i] = v[2 * i + off];
        return r;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String load() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String opt(List<String> a, String name, String def) {
        int i = a.indexOf(name);
        return i >= 0 ? a.get(i + 1) : def;
    }
}
