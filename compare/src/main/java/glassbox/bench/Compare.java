package glassbox.bench;

import glassbox.kernels.Gemm;
import glassbox.kernels.Parallel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
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
import java.util.function.LongSupplier;

/**
 * Side-by-side speed: the whole-network workloads of {@link Step} and SGEMM n = 1024 in Glassbox, then the
 * same in PyTorch ({@code bench_peer_pytorch.py}) and numpy/OpenBLAS ({@code sgemm_numpy.py}) in the same
 * run, printed as one table: workload, Glassbox, peer, ratio.
 *
 * <p>Glassbox is timed in this JVM by a plain harness, not JMH: warm-up for a fixed time, then timed repeats
 * of several calls each; the median rate counts (the peers are timed the same way). PyTorch runs as a
 * server process that measures one workload per request, and the two sides take turns on each workload. JMH ({@code StepBench},
 * {@code GemmBench}, in the benchmarks module) stays the rigorous suite. On a machine shared with other jobs both sides suffer; the
 * load average is printed with the table. Leaves out data loading and GPU peers.
 */
public final class Compare {
    /** How many times Glassbox and PyTorch take turns on each workload. */
    static final int ROUNDS = 2;

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Warm-up seconds, timed repeats, seconds per repeat. */
    public record Timing(double warmupS, int repeats, double repeatS) {
        public static final Timing FULL = new Timing(1.0, 5, 0.4);
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
        return glassbox(workload, retain, t, System::nanoTime);
    }

    /** As above, timed by {@code clock} (nanoseconds): wall time, or {@link #processCpuNanos} CPU time. */
    public double glassbox(String workload, boolean retain, Timing t, LongSupplier clock) {
        String[] p = workload.split("-");
        Parallel.setThreads(Integer.parseInt(p[2].substring(0, p[2].length() - 1)));
        boolean train = p[1].equals("train");
        Step s = new Step(p[0], train ? 64 : 256, retain);
        Runnable call = train ? s::train : s::infer;
        return rate(call, s.batch(), t, clock);
    }

    /**
     * CPU time of this whole process (all threads: compute, GC, JIT) in nanoseconds. On a machine shared with
     * other jobs a rate per CPU-second says what the code costs whatever the others do; it is used for the
     * retention on/off comparison, whose few percent would drown in the load's noise on the wall clock.
     * Read from Linux's per-thread scheduler statistics (nanoseconds); the JDK's process CPU time counts in
     * 10 ms ticks, too coarse for a 0.2 s step. Elsewhere it falls back to that.
     */
    public static long processCpuNanos() {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            long sum = 0;
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String f = Files.readString(t.resolve("schedstat"));
                    sum += Long.parseLong(f.substring(0, f.indexOf(' ')));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    /** GFLOP/s of a square SGEMM (C = A·B, n×n) on the given threads. */
    public double gemm(int n, int threads, Timing t) {
        Parallel.setThreads(threads);
        Random r = new Random(3);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        for (int i = 0; i < a.length; i++) { a[i] = (float) r.nextGaussian(); b[i] = (float) r.nextGaussian(); }
        return rate(() -> Gemm.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false), 2.0 * n * n * n / 1e9, t,
                System::nanoTime);
    }

    /** Median of {@code repeats} rates (units of work per second of {@code clock}), after a timed warm-up. */
    static double rate(Runnable call, double workPerCall, Timing t, LongSupplier clock) {
        long end = System.nanoTime() + (long) (t.warmupS() * 1e9);
        call.run();
        while (System.nanoTime() < end) call.run();
        long t0 = System.nanoTime();
        call.run();
        double perCall = Math.max((System.nanoTime() - t0) / 1e9, 1e-6);
        int k = Math.max(1, (int) (t.repeatS() / perCall));
        double[] rates = new double[t.repeats()];
        for (int i = 0; i < rates.length; i++) {
            long s = clock.getAsLong();
            for (int j = 0; j < k; j++) call.run();
            rates[i] = k * workPerCall / ((clock.getAsLong() - s) / 1e9);
        }
        Arrays.sort(rates);
        return rates[rates.length / 2];
    }

    // ---- peers ------------------------------------------------------------------------------------------

    /**
     * A running {@code bench_peer_pytorch.py --serve}: measures one workload per request, so that the two
     * sides take turns. Null from {@link #startTorch} when it cannot start (the reason is printed).
     */
    final class TorchServer implements AutoCloseable {
        private final Process p;
        private final BufferedReader in;
        private final java.io.Writer toPeer;

        private TorchServer(Process p) {
            this.p = p;
            this.in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            this.toPeer = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** Images/s of a workload, or NaN if the peer failed (it is then closed). */
        double measure(String workload) {
            try {
                toPeer.write(workload + "\n");
                toPeer.flush();
                for (String l; (l = in.readLine()) != null; ) {
                    String[] f = l.trim().split("\\s+");
                    if (f.length == 3 && f[0].equals("RESULT") && f[1].equals(workload)) return Double.parseDouble(f[2]);
                    if (l.startsWith("torch ")) out.println("peer: " + l.trim());
                    else if (l.startsWith("ERROR") || l.contains("Error")) out.println("peer PyTorch: " + l.trim());
                }
                out.println("peer PyTorch: stopped (exit " + p.waitFor() + ")");
            } catch (IOException | InterruptedException | NumberFormatException e) {
                out.println("peer PyTorch: failed (" + e.getMessage() + ")");
            }
            return Double.NaN;
        }

        @Override
        public void close() {
            try {
                toPeer.close();
                if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroy();
            } catch (IOException | InterruptedException e) {
                p.destroy();
            }
        }
    }

    TorchServer startTorch() {
        Path script = scripts.resolve("bench_peer_pytorch.py");
        if (!Files.isExecutable(Path.of(python))) {
            out.println("peer PyTorch: not available (" + python + " not found)");
            return null;
        }
        if (!Files.isRegularFile(script)) {
            out.println("peer PyTorch: not available (script " + script + " not found)");
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--serve"));
        if (quick) cmd.add("--quick");
        try {
            return new TorchServer(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        } catch (IOException e) {
            out.println("peer PyTorch: not available (" + e.getMessage() + ")");
            return null;
        }
    }

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

    /**
     * Runs everything and prints the table; returns its rows. Glassbox and PyTorch take turns on each
     * workload ({@link #ROUNDS} times, medians), so both sides see the same load; the retention comparison
     * is per CPU-second on one thread; SGEMM runs Glassbox then numpy.
     */
    public List<Row> run(boolean peers) {
        out.printf("Glassbox in-process harness: warm-up %.1f s, median of %d repeats of ~%.1f s; JDK %s, %d cores, load %s%n",
                timing.warmupS(), timing.repeats(), timing.repeatS(), Runtime.version(),
                Runtime.getRuntime().availableProcessors(), load());
        List<String> names = workloads();
        // JIT warm-up of every kind of step first, so the first workload timed is not the one that pays for it
        for (String w : List.of("lenet5-train-2t", "lenet5-infer-2t", "smallvgg-train-2t", "smallvgg-infer-2t")) {
            glassbox(w, true, new Timing(timing.warmupS(), 1, 0.05));
        }
        // Glassbox and PyTorch take turns on each workload, ROUNDS times; each side's median counts
        Map<String, Double> gb = new LinkedHashMap<>(), torch = new LinkedHashMap<>();
        TorchServer peer = peers ? startTorch() : null;
        for (String w : names) {
            double[] g = new double[ROUNDS], t = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                g[r] = glassbox(w, true, timing);
                t[r] = peer == null ? Double.NaN : peer.measure(w);
                if (peer != null && Double.isNaN(t[r])) peer = null;
            }
            gb.put(w, median(g));
            if (!Double.isNaN(median(t))) torch.put(w, median(t));
            out.printf("  %-20s Glassbox %10.1f img/s   PyTorch %10.1f img/s%n", w, gb.get(w), median(t));
        }
        if (peer != null) peer.close();
        // cost of openness: retention off and on back to back (twice each, alternating, averaged), on 1 thread
        // and per CPU-second of the process (GC included), so the load of other jobs cancels out
        Map<String, Double> lean = new LinkedHashMap<>(), open = new LinkedHashMap<>();
        for (String arch : List.of("lenet5", "smallvgg")) {
            String w = arch + "-train-1t";
            double[] off = new double[2], on = new double[2];
            for (int i = 0; i < 2; i++) {
                off[i] = glassbox(w, false, timing, Compare::processCpuNanos);
                on[i] = glassbox(w, true, timing, Compare::processCpuNanos);
            }
            lean.put(w, (off[0] + off[1]) / 2);
            open.put(w, (on[0] + on[1]) / 2);
            out.printf("  glassbox %-20s %10.1f img per CPU-s retention off, %.1f on%n", w, lean.get(w), open.get(w));
        }
        double gemm = gemm(1024, 2, timing);
        double numpy = peers ? numpyGemm(1024, 2) : Double.NaN;
        out.printf("  %-20s Glassbox %10.1f GFLOP/s numpy %10.1f GFLOP/s%n", "sgemm-1024-2t", gemm, numpy);

        if (!peers) out.println("peers: not run (add --compare)");

        List<Row> rows = new ArrayList<>();
        for (String w : names) rows.add(new Row(w, "img/s", gb.get(w), torch.getOrDefault(w, Double.NaN), "PyTorch"));
        for (String w : lean.keySet()) {
            rows.add(new Row(w + " retain on vs off", "img/CPU-s", open.get(w), lean.get(w), "Glassbox, retain off"));
        }
        rows.add(new Row("sgemm n=1024, 2 threads", "GFLOP/s", gemm, numpy, "numpy/OpenBLAS"));
        print(rows);
        out.println("load average after the run: " + load());
        return rows;
    }

    private void print(List<Row> rows) {
        out.println();
        out.printf("%-36s %9s %12s %12s %8s  %s%n", "workload", "unit", "Glassbox", "peer", "ratio", "peer is");
        for (Row r : rows) {
            boolean has = !Double.isNaN(r.peer());
            out.printf("%-36s %9s %12.1f %12s %8s  %s%n", r.workload(), r.unit(), r.glassbox(),
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
