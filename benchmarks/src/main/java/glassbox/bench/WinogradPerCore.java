package glassbox.bench;

import glassbox.kernels.Conv;
import glassbox.kernels.ConvPlan;
import glassbox.kernels.ConvShape;
import glassbox.kernels.Parallel;
import glassbox.kernels.Winograd;
import glassbox.kernels.Winograd4;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Winograd against im2col + GEMM on a shared machine: the two run in alternation (im2col, Winograd, im2col, ...)
 * so that both see the same load, and each round's ratio is taken in CPU time (the work done, whatever the
 * neighbours do: the calling thread's on one thread, the process's on two) and in wall-clock time. Prints medians over the rounds. Not JMH: JMH runs
 * one benchmark after the other, and on a loaded machine the load changes in between; {@link WinogradBench}
 * is the JMH version for a quiet machine.
 *
 * <p>A layer named {@code step:smallvgg} or {@code step:resnet20} times whole steps instead (training at batch 64,
 * inference at batch 256, as StepBench) with Winograd switched off ({@link ConvPlan#setOverride}) and on.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar glassbox.bench.WinogradPerCore [layer ...]}
 * ({@code -Drounds=7}, {@code -DmaxThreads=1}; {@code -Dtiles=true}: F(2x2, 3x3) against F(4x4, 3x3), {@link Winograd4}).
 */
public final class WinogradPerCore {
    private WinogradPerCore() {
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final java.lang.management.ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();

    /** -Dtiles=true: Winograd's two tile sizes against each other instead of im2col against Winograd. */
    private static final boolean TILES = Boolean.getBoolean("tiles");
    private static final ConvPlan.Override NO_WINOGRAD = ConvPlan.Override.NONE.withWinograd(false);

    public static void main(String[] args) {
        List<String> layers = args.length > 0 ? List.of(args) : List.of("vgg.conv1", "vgg.conv2", "vgg.conv3", "vgg.conv4", "res.16", "res.32", "res.64");
        int rounds = Integer.getInteger("rounds", 7);
        String first = TILES ? "F2x2 ms" : "im2col ms", second = TILES ? "F4x4 ms" : "wino ms";
        System.out.printf("%-10s %3s %-13s %10s %10s %8s %10s %10s %8s%n", "layer", "thr", "pass",
                first, second, "cpu x", first, second, "wall x");
        System.out.printf("%-10s %3s %-13s %30s %30s%n", "", "", "", "(CPU time per call)", "(wall clock per call)");
        for (int threads = 1; threads <= Integer.getInteger("maxThreads", 2); threads++) {
            Parallel.setThreads(threads);
            for (String layer : layers) {
                if (layer.startsWith("step:")) { // a whole step of a zoo model, Winograd switched off and on
                    String arch = layer.split(":")[1];
                    Step train = new Step(arch, 64, true), infer = new Step(arch, 256, true);
                    compare(layer, rounds, threads, "train b64", () -> { ConvPlan.setOverride(NO_WINOGRAD); train.train(); },
                            () -> { ConvPlan.setOverride(ConvPlan.Override.NONE); train.train(); });
                    compare(layer, rounds, threads, "infer b256", () -> { ConvPlan.setOverride(NO_WINOGRAD); infer.infer(); },
                            () -> { ConvPlan.setOverride(ConvPlan.Override.NONE); infer.infer(); });
                    ConvPlan.setOverride(ConvPlan.Override.NONE);
                    continue;
                }
                int[] g = WinogradBench.LAYERS.get(layer);
                if (g == null) throw new IllegalArgumentException("unknown layer " + layer + ", known: " + WinogradBench.LAYERS.keySet());
                ConvShape s = new ConvShape(WinogradBench.BATCH, g[0], g[1], g[2], g[3], 3, 1, 1);
                Random r = new Random(1);
                float[] x = BenchData.gaussian(r, s.n() * s.cin() * s.h() * s.w()), w = BenchData.gaussian(r, s.cout() * s.cin() * 9);
                float[] b = BenchData.gaussian(r, s.cout()), y = new float[s.n() * s.cout() * s.h() * s.w()], dx = new float[x.length];
                float[] dy = BenchData.gaussian(r, y.length);
                if (TILES) { // F(2x2, 3x3) against F(4x4, 3x3), both on weights transformed once (an attack's frozen copies)
                    float[] u2 = Winograd.transformedWeights(w, s.cout(), s.cin(), false), u4 = Winograd4.transformedWeights(w, s.cout(), s.cin(), false);
                    float[] r2 = Winograd.transformedWeights(w, s.cout(), s.cin(), true), r4 = Winograd4.transformedWeights(w, s.cout(), s.cin(), true);
                    compare(layer, rounds, threads, "forward", () -> Winograd.forwardTransformed(s, x, w, u2, b, y),
                            () -> Winograd4.forwardTransformed(s, x, w, u4, b, y));
                    compare(layer, rounds, threads, "backwardInput", () -> Winograd.backwardInputTransformed(s, dy, w, r2, dx),
                            () -> Winograd4.backwardInputTransformed(s, dy, w, r4, dx));
                    continue;
                }
                ConvPlan im2col = ConvPlan.choose(s, threads, false, 0, NO_WINOGRAD);
                compare(layer, rounds, threads, "forward",
                        () -> Conv.forward(im2col, x, w, b, y, null),
                        () -> Winograd.forward(s, x, w, b, y));
                compare(layer, rounds, threads, "backwardInput",
                        () -> Conv.backwardInput(im2col, dy, w, dx),
                        () -> Winograd.backwardInput(s, dy, w, dx));
            }
        }
    }

    private static void compare(String layer, int rounds, int threads, String pass, Runnable im2col, Runnable wino) {
        // Warm-up, 2 s at least: the JIT compiles a new kernel in steps, and 5 calls left the first layer measured slow.
        long warm = System.nanoTime();
        for (int i = 0; i < 5 || System.nanoTime() - warm < 2e9; i++) {
            im2col.run();
            wino.run();
        }
        long t0 = System.nanoTime();
        im2col.run();
        int reps = (int) Math.max(1, 300e6 / Math.max(1, System.nanoTime() - t0)); // ~300 ms per timing
        List<double[]> a = new ArrayList<>(), b = new ArrayList<>();
        for (int q = 0; q < rounds; q++) {
            if (q % 2 == 0) { a.add(time(im2col, reps)); b.add(time(wino, reps)); }
            else { b.add(time(wino, reps)); a.add(time(im2col, reps)); }
        }
        double[] cpuRatio = new double[rounds], wallRatio = new double[rounds];
        for (int q = 0; q < rounds; q++) {
            cpuRatio[q] = a.get(q)[0] / b.get(q)[0];
            wallRatio[q] = a.get(q)[1] / b.get(q)[1];
        }
        System.out.printf("%-10s %3d %-13s %10.2f %10.2f %8.2f %10.2f %10.2f %8.2f%n", layer, threads, pass,
                median(a, 0), median(b, 0), BenchData.median(cpuRatio), median(a, 1), median(b, 1), BenchData.median(wallRatio));
    }

    /**
     * {cpu ms per call, wall ms per call}. On one thread the kernels run on the caller, whose CPU time is exact;
     * on two, the whole process's CPU time (which the OS counts in coarser ticks) includes the worker.
     */
    private static double[] time(Runnable r, int reps) {
        long c0 = cpuNanos(), t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) r.run();
        return new double[]{(cpuNanos() - c0) / 1e6 / reps, (System.nanoTime() - t0) / 1e6 / reps};
    }

    private static long cpuNanos() {
        return Parallel.threads() == 1 ? THREAD.getCurrentThreadCpuTime() : OS.getProcessCpuTime();
    }

    private static double median(List<double[]> v, int k) {
        double[] x = new double[v.size()];
        for (int i = 0; i < x.length; i++) x[i] = v.get(i)[k];
        return BenchData.median(x);
    }
}
