package glassbox.bench;

import glassbox.kernels.Parallel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Explanation speed side by side with PyTorch: the {@link Explain} workloads timed in this JVM (warm-up,
 * then the median of timed single calls), then {@code benchmarks/scripts/explain_peer_pytorch.py} on the
 * same number of threads (autograd; SmoothGrad and IG both batched and as 50 batch-1 passes), printed as
 * one table with the targets. The load average is printed with it: on a shared machine both sides suffer.
 *
 * <p>Run: {@code ./glassbox bench [--compare]} (its explanation table, 2 threads), or alone with
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * glassbox.bench.ExplainCompare [--threads T] [--quick]}.
 */
public final class ExplainCompare {
    static final Map<String, Double> TARGET_MS = Map.of("saliency", 15.0, "guided-backprop", 15.0, "gradcam", 15.0,
            "smoothgrad-50", 250.0, "ig-50", 250.0);

    private static final java.lang.management.ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();

    private ExplainCompare() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        int threads = a.contains("--threads") ? Integer.parseInt(a.get(a.indexOf("--threads") + 1)) : 2;
        table(threads, a.contains("--quick"), Path.of("benchmarks/scripts"), "/usr/bin/python3", true, System.out);
    }

    /**
     * Times every workload on {@code threads} threads and prints the table to {@code out}; with {@code peers},
     * runs {@code explain_peer_pytorch.py} from {@code scripts} with {@code python} beside it (a missing peer
     * leaves its columns empty). Progress lines go to standard error.
     */
    public static void table(int threads, boolean quick, Path scripts, String python, boolean peers, PrintStream out)
            throws IOException, InterruptedException {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        Explain e = new Explain();
        Map<String, Double> ours = new HashMap<>();
        for (String w : Explain.WORKLOADS) {
            long end = System.nanoTime() + (quick ? 500_000_000L : 2_000_000_000L);
            while (System.nanoTime() < end) e.run(w);
            int reps = quick ? 7 : 21;
            double[] ms = new double[reps], cpu = new double[reps];
            for (int i = 0; i < reps; i++) {
                long c = THREAD.getCurrentThreadCpuTime(), t = System.nanoTime();
                e.run(w);
                ms[i] = (System.nanoTime() - t) / 1e6;
                cpu[i] = (THREAD.getCurrentThreadCpuTime() - c) / 1e6;
            }
            Arrays.sort(ms);
            Arrays.sort(cpu);
            ours.put(w, ms[reps / 2]);
            if (threads == 1) ours.put(w + "-cpu", cpu[reps / 2]);
            System.err.printf(Locale.ROOT, "glassbox %-26s %9.2f ms%s%n", w, ms[reps / 2],
                    threads == 1 ? String.format(Locale.ROOT, " (CPU %.2f ms)", cpu[reps / 2]) : "");
        }
        Parallel.setThreads(before);
        Map<String, Double> peer = peers ? pytorch(threads, quick, scripts, python) : Map.of();
        out.printf(Locale.ROOT, "%nexplanations: resnet20, one 3x32x32 image, %d thread(s), median ms per map; load average %.1f%n", threads,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.printf(Locale.ROOT, "%-26s %18s %20s %14s %8s%n", "workload", "Glassbox", "PyTorch batch", "PyTorch 1x50", "target");
        if (threads == 1) {
            out.println("(1 thread: CPU time of the calling thread, less sensitive to a loaded machine, in brackets)");
        }
        for (String w : Explain.WORKLOADS) {
            String key = w.startsWith("smoothgrad") || w.startsWith("ig") ? w + "-batched" : w;
            Double p = peer.get(key), s = peer.get(w + "-serial");
            Double t = TARGET_MS.get(w);
            String gb = String.format(Locale.ROOT, "%.2f", ours.get(w)), pt = p == null ? "-" : String.format(Locale.ROOT, "%.2f", p);
            if (threads == 1) {
                gb += String.format(Locale.ROOT, " [%.2f]", ours.get(w + "-cpu"));
                Double pc = peer.get(key + "-cpu");
                if (pc != null) pt += String.format(Locale.ROOT, " [%.2f]", pc);
            }
            out.printf(Locale.ROOT, "%-26s %18s %20s %14s %8s%n", w, gb, pt, s == null ? "-" : String.format(Locale.ROOT, "%.2f", s),
                    t == null ? "" : (ours.get(w) <= t ? "<= " : "> ") + t.intValue());
        }
    }

    /** RESULT lines of the peer script, by workload; empty if PyTorch is not installed. */
    static Map<String, Double> pytorch(int threads, boolean quick, Path scripts, String python) throws IOException, InterruptedException {
        Map<String, Double> r = new HashMap<>();
        Path script = scripts.resolve("explain_peer_pytorch.py");
        if (!Files.exists(script) || !Files.isExecutable(Path.of(python))) return r;
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--threads", Integer.toString(threads)));
        if (quick) cmd.add("--quick");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && f[0].equals("RESULT")) r.put(f[1], Double.parseDouble(f[2]));
            }
        }
        p.waitFor();
        return r;
    }
}
