package glassbox.cli;

import glassbox.bench.Compare;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox bench [--compare] [--quick] [--memory]}: how fast Glassbox trains and infers, next to
 * PyTorch and numpy/OpenBLAS measured in the same run on the same machine (see {@link Compare}), then how fast
 * one image is explained on resnet20 (see {@link glassbox.bench.ExplainCompare}).
 * Leaves out the kernel-level suite: that is JMH, {@code java -jar benchmarks/target/benchmarks.jar}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How fast Glassbox trains and infers, optionally beside PyTorch and numpy (--compare).",
                "Times whole training steps and inference (lenet5, smallvgg), SGEMM, and the cost of retaining",
                "activations and gradients, then explanation maps of one image on resnet20 (saliency, guided backprop,",
                "Grad-CAM, SmoothGrad, Integrated Gradients); with --compare, the same workloads in PyTorch and numpy side by side."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--compare", description = "Also run the peers (PyTorch, numpy/OpenBLAS) and print ratios.")
    boolean compare;

    @Option(names = "--quick", description = "Short timings, 2 threads only: a smoke run of well under a minute.")
    boolean quick;

    @Option(names = "--memory", description = "Peak resident memory of smallvgg training (batch 64, 2 threads): "
            + "Glassbox and PyTorch each in a fresh process.")
    boolean memory;

    @Option(names = "--only", paramLabel = "WORKLOAD", description = "Run one workload longer (e.g. smallvgg-train-2t) "
            + "and print its rate and this process's peak RSS.")
    String only;

    @Option(names = "--no-retain", description = "With --only: drop activations and gradients after backward.")
    boolean noRetain;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch and numpy. Default: ${DEFAULT-VALUE}.")
    String python;

    @Option(names = "--scripts", description = "Folder of the peer scripts. Default: benchmarks/scripts of this checkout.")
    Path scripts;

    @Override
    public Integer call() throws Exception {
        Path dir = scripts != null ? scripts : defaultScripts();
        Compare c = new Compare(quick, dir, python, System.out);
        if (only != null) {
            c.only(only, !noRetain);
            return 0;
        }
        if (memory) {
            memory(dir);
            return 0;
        }
        c.run(compare);
        // the explorer calls these on every click: one CIFAR-10 image on resnet20, beside PyTorch with --compare
        glassbox.bench.ExplainCompare.table(2, quick, dir, python, compare, System.out);
        return 0;
    }

    /** benchmarks/scripts next to the jar's checkout (cli/target/glassbox.jar), else under the working directory. */
    private static Path defaultScripts() {
        try {
            Path jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("benchmarks/scripts"))) return p.resolve("benchmarks/scripts");
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of("benchmarks/scripts");
    }

    /** Heap cap of the second Glassbox run of --memory: room for smallvgg's live set (~150 MB) and little more. */
    static final String SMALL_HEAP = "-Xmx320m";

    /**
     * Runs smallvgg training in fresh JVMs (this JVM's flags, then the same with {@link #SMALL_HEAP}) and in a
     * fresh Python; prints each one's peak. A JVM grows its heap toward -Xmx when garbage is cheap to keep,
     * so the first figure measures the launcher's heap setting more than the engine.
     */
    private void memory(Path dir) throws IOException, InterruptedException {
        String w = "smallvgg-train-2t";
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> small = new ArrayList<>(flags.stream().filter(f -> !f.startsWith("-Xmx")).toList());
        small.add(SMALL_HEAP);
        long gb = peak(jvm(flags, w), "Glassbox (" + String.join(" ", flags) + ")");
        long gbSmall = peak(jvm(small, w), "Glassbox (" + SMALL_HEAP + ")");
        long pt = Files.isExecutable(Path.of(python))
                ? peak(List.of(python, dir.resolve("bench_peer_pytorch.py").toString(), "--only", w), "PyTorch") : -1;
        System.out.printf("peak resident memory (VmHWM), %s, batch 64: Glassbox %s (launcher flags), %s (%s); PyTorch %s%n",
                w, mib(gb), mib(gbSmall), SMALL_HEAP, mib(pt));
    }

    private static List<String> jvm(List<String> flags, String workload) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench", "--only", workload));
        return cmd;
    }

    private static String mib(long kb) {
        return kb < 0 ? "not measured" : String.format("%.0f MiB", kb / 1024.0);
    }

    private static long peak(List<String> cmd, String who) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long kb = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                if (l.startsWith("PEAK_RSS_KB ")) kb = Long.parseLong(l.substring(12).trim());
                if (l.startsWith("RESULT ")) System.out.println(who + ": " + l.substring(7) + " img/s");
            }
        }
        if (p.waitFor() != 0) System.out.println(who + ": exited with " + p.exitValue());
        return kb;
    }
}
