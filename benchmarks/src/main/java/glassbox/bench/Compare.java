package glassbox.bench;

import glassbox.kernels.Gemm;
import glassbox.kernels.Parallel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Side-by-side speed: the whole-network workloads of {@link Step} and SGEMM n = 1024 in Glassbox, then the
 * same in PyTorch ({@code bench_peer_pytorch.py}) and numpy/OpenBLAS ({@code sgemm_numpy.py}) in the same
 * run, printed as one table: workload, Glassbox, peer, ratio.
 *
 * <p>Glassbox is timed in this JVM by a plain harness, not JMH: warm-up for a fixed time, then timed repeats
 * of several calls each; the median rate counts (the peers are timed the same way). JMH ({@link StepBench},
 * {@link GemmBench}) stays the rigorous suite. On a machine shared with other jobs both sides suffer; the
 * load average is printed with the table. Leaves out data loading and GPU peers.
 */
public final class Compare {
    /** Warm-up seconds, timed repeats, seconds per repeat. */
    public record Timing(double warmupS, int repeats, double repeatS) {
        public static final Timing FULL = new Timing(1.5, 5, 0.6);
        public static final Timing QUICK = new Timing(0.5, 3, 0.3);
        public static final Timing LONG = new Timing(3.0, 5, 2.0);
    }

    /** One line of the table; peer is NaN when the peer did not run. */
    public record Row(String workload, String unit, double glassbox, double peer, String peerName) {
    }

    private final Timing timing;
    private final boolean quick;
    private final Path scripts;
    private final String python;
    private final PrintStream out;

    public Compare(boolean quick, Path scripts, String python, PrintStream out) {
        this.quick = quick;
        this.timing = quick ? Timing.QUICK : Timing.FULL;
        this.scripts = scripts;
        this.python = python;
        this.out = out;
    }

    /** The workload names, in table order: per thread count lenet5 and smallvgg, training and inference. */
    public List<String> workloads() {
        List<String> w = new ArrayList<>();
        for (int t : quick ? new int[]{2} : new int[]{1, 2})
            for (String arch : List.of("lenet5", "smallvgg"))
                for (String mode : List.of("train", "infer")) w.add(arch + "-" + mode + "-" + t + "t");
        return w;
    }

    // ---- Glassbox side ----------------------------------------------------------------------------------

    /** Images/s of a workload named {@code arch-train|infer-Nt}, optionally without retention (train only). */
    public double glassbox(String workload, boolean retain, Timing t) {
        String[] p = workload.split("-");
        Parallel.setThreads(Integer.parseInt(p[2].substring(0, p[2].length() - 1)));
        boolean train = p[1].equals("train");
        Step s = new Step(p[0], train ? 64 : 256, retain);
        Runnable call = train ? s::train : s::infer;
        return rate(call, s.batch(), t);
    }

    /** GFLOP/s of a square SGEMM (C = A·B, n×n) on the given threads. */
    public double gemm(int n, int threads, Timing t) {
        Parallel.setThreads(threads);
        Random r = new Random(3);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        for (int i = 0; i < a.length; i++) { a[i] = (float) r.nextGaussian(); b[i] = (float) r.nextGaussian(); }
        return rate(() -> Gemm.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false), 2.0 * n * n * n / 1e9, t);
    }

    /** Median of {@code repeats} rates (units of work per second), after a timed warm-up. */
    static double rate(Runnable call, double workPerCall, Timing t) {
        long end = System.nanoTime() + (long) (t.warmupS() * 1e9);
        call.run();
        while (System.nanoTime() < end) call.run();
        long t0 = System.nanoTime();
        call.run();
        double perCall = Math.max((System.nanoTime() - t0) / 1e9, 1e-6);
        int k = Math.max(1, (int) (t.repeatS() / perCall));
        double[] rates = new double[t.repeats()];
        for (int i = 0; i < rates.length; i++) {
            long s = System.nanoTime();
            for (int j = 0; j < k; j++) call.run();
            rates[i] = k * workPerCall / ((System.nanoTime() - s) / 1e9);
        }
        Arrays.sort(rates);
        return rates[rates.length / 2];
    }

    // ---- peers ------------------------------------------------------------------------------------------

    /** Images/s per workload from PyTorch, or an empty map (with the reason printed) if it cannot run. */
    public Map<String, Double> pytorch(List<String> names) {
        List<String> cmd = new ArrayList<>(List.of(python, scripts.resolve("bench_peer_pytorch.py").toString()));
        if (quick) cmd.add("--quick");
        cmd.addAll(names);
        Map<String, Double> r = new LinkedHashMap<>();
        for (String line : run(cmd, Map.of(), "PyTorch")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals("RESULT")) r.put(f[1], Double.parseDouble(f[2]));
            else if (line.startsWith("torch ")) out.println("peer: " + line.trim());
        }
        return r;
    }

    /** Median GFLOP/s of numpy's n×n float32 matmul on {@code threads} OpenBLAS threads, or NaN. */
    public double numpyGemm(int n, int threads) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        env.put("-OPENBLAS_CORETYPE", "");
        env.put("-OPENBLAS_L2_SIZE", "");
        for (String line : run(List.of(python, scripts.resolve("sgemm_numpy.py").toString(), Integer.toString(n)), env, "numpy")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals(Integer.toString(n))) return Double.parseDouble(f[2]);
            if (line.startsWith("numpy ")) out.println("peer: " + line.trim());
        }
        return Double.NaN;
    }

    /** Runs a peer script and returns its output lines; on any failure prints why and returns nothing. */
    private List<String> run(List<String> cmd, Map<String, String> env, String what) {
        if (!Files.isExecutable(Path.of(cmd.get(0)))) {
            out.println("peer " + what + ": not available (" + cmd.get(0) + " not found)");
            return List.of();
        }
        if (!Files.isRegularFile(Path.of(cmd.get(1)))) {
            out.println("peer " + what + ": not available (script " + cmd.get(1) + " not found)");
            return List.of();
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            env.forEach((k, v) -> {
                if (k.startsWith("-")) pb.environment().remove(k.substring(1));
                else pb.environment().put(k, v);
            });
            Process p = pb.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            }
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                String last = lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1);
                out.println("peer " + what + ": not available (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + last + ")");
                return List.of();
            }
            return lines;
        } catch (IOException e) {
            out.println("peer " + what + ": not available (" + e.getMessage() + ")");
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    // ---- the table --------------------------------------------------------------------------------------

    /** Runs everything (Glassbox first, then the peers) and prints the table; returns its rows. */
    public List<Row> run(boolean peers) {
        out.printf("Glassbox in-process harness: warm-up %.1f s, median of %d repeats of ~%.1f s; JDK %s, %d cores, load %s%n",
                timing.warmupS(), timing.repeats(), timing.repeatS(), Runtime.version(),
                Runtime.getRuntime().availableProcessors(), load());
        List<String> names = workloads();
        // JIT warm-up of every kind of step first, so the first workload timed is not the one that pays for it
        for (String w : List.of("lenet5-train-2t", "lenet5-infer-2t", "smallvgg-train-2t", "smallvgg-infer-2t")) {
            glassbox(w, true, new Timing(timing.warmupS(), 1, 0.05));
        }
        Map<String, Double> gb = new LinkedHashMap<>();
        for (String w : names) {
            gb.put(w, glassbox(w, true, timing));
            out.printf("  glassbox %-20s %10.1f img/s%n", w, gb.get(w));
        }
        // cost of openness: retention off and on measured back to back (twice each, alternating), medians
        Map<String, Double> lean = new LinkedHashMap<>(), open = new LinkedHashMap<>();
        for (String arch : List.of("lenet5", "smallvgg")) {
            String w = arch + "-train-2t";
            double[] off = new double[2], on = new double[2];
            for (int i = 0; i < 2; i++) {
                off[i] = glassbox(w, false, timing);
                on[i] = glassbox(w, true, timing);
            }
            lean.put(w, (off[0] + off[1]) / 2);
            open.put(w, (on[0] + on[1]) / 2);
            out.printf("  glassbox %-20s %10.1f img/s retention off, %.1f on%n", w, lean.get(w), open.get(w));
        }
        double gemm = gemm(1024, 2, timing);
        out.printf("  glassbox %-20s %10.1f GFLOP/s%n", "sgemm-1024-2t", gemm);

        Map<String, Double> torch = peers ? pytorch(names) : Map.of();
        double numpy = peers ? numpyGemm(1024, 2) : Double.NaN;
        if (!peers) out.println("peers: skipped (--no-peers)");

        List<Row> rows = new ArrayList<>();
        for (String w : names) rows.add(new Row(w, "img/s", gb.get(w), torch.getOrDefault(w, Double.NaN), "PyTorch"));
        for (String w : lean.keySet()) {
            rows.add(new Row(w + " retain on vs off", "img/s", open.get(w), lean.get(w), "Glassbox, retain off"));
        }
        rows.add(new Row("sgemm n=1024, 2 threads", "GFLOP/s", gemm, numpy, "numpy/OpenBLAS"));
        print(rows);
        out.println("load average after the run: " + load());
        return rows;
    }

    private void print(List<Row> rows) {
        out.println();
        out.printf("%-34s %8s %12s %12s %8s  %s%n", "workload", "unit", "Glassbox", "peer", "ratio", "peer is");
        for (Row r : rows) {
            boolean has = !Double.isNaN(r.peer());
            out.printf("%-34s %8s %12.1f %12s %8s  %s%n", r.workload(), r.unit(), r.glassbox(),
                    has ? String.format("%.1f", r.peer()) : "-", has ? String.format("%.2fx", r.glassbox() / r.peer()) : "-",
                    has ? r.peerName() : r.peerName() + " not run");
        }
        out.println("ratio = Glassbox / peer (higher is better for Glassbox; for 'retain on vs off': open speed / lean speed, 1 - ratio = cost of openness).");
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Peak resident memory of this process in KiB (VmHWM), or -1 where /proc is missing. */
    public static long peakRssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /** Runs one workload for longer (Timing.LONG) and prints its rate and this process's peak RSS. */
    public void only(String workload, boolean retain) {
        double r = glassbox(workload, retain, Timing.LONG);
        out.printf("RESULT %s %.1f%nPEAK_RSS_KB %d%n", workload, r, peakRssKb());
    }
}
