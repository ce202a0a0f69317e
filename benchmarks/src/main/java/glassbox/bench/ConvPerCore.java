package glassbox.bench;

import glassbox.kernels.Conv;
import glassbox.kernels.ConvPlan;
import glassbox.kernels.ConvShape;
import glassbox.kernels.Parallel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * The conv kernels of {@link ConvBench}'s layers (batch 64) on one core, in CPU time of the calling thread
 * (robust to other load on a shared machine, see {@link GemmPerCore}), with images grouped per GEMM
 * (the plan's rule) against one GEMM per image (a {@link ConvPlan.Override} without grouping). The two plans take
 * turns, round after round, so that both see the same machine; printed are the medians of the rounds
 * (ms of CPU per call) and their ratio. Not JMH, which measures wall-clock time.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * glassbox.bench.ConvPerCore [512 [layer ...]]}, e.g. {@code ConvPerCore 512 lenet.conv2} (the 512 is the
 * plan's group limit, {@code ConvPlan.GROUP_COLUMNS}; a leading number is read and must be it, so older command
 * lines still run). This is how the group rule in {@link ConvPlan} was chosen; to try other limits, change the
 * constants and compare the two builds with {@link JarAB}.
 */
public final class ConvPerCore {
    private ConvPerCore() {
    }

    private static final String[] OPS = {"forward", "backwardInput", "backwardWeight"};

    public static void main(String[] args) {
        Parallel.setThreads(1);
        int first = args.length > 0 && args[0].matches("\\d+") ? 1 : 0;
        if (first == 1 && !args[0].equals("512")) throw new IllegalArgumentException("the group limit is 512 (ConvPlan)");
        String[] layers = args.length > first ? Arrays.copyOfRange(args, first, args.length)
                : ConvBench.LAYERS.keySet().stream().sorted().toArray(String[]::new);
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        System.out.printf("grouped (up to 512 columns) vs per image, 1 thread, CPU ms per call, median of rounds%n");
        System.out.printf("%-12s %-15s %10s %10s %8s%n", "layer", "kernel", "grouped", "per-image", "speed-up");
        for (String layer : layers) {
            int[] g = ConvBench.LAYERS.get(layer);
            if (g == null) throw new IllegalArgumentException("unknown layer " + layer + ", known: " + ConvBench.LAYERS.keySet());
            ConvShape s = new ConvShape(ConvBench.BATCH, g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
            Random r = new Random(1);
            float[] x = BenchData.gaussian(r, s.n() * s.cin() * s.h() * s.w()), w = BenchData.gaussian(r, s.cout() * s.cin() * s.k() * s.k());
            float[] b = BenchData.gaussian(r, s.cout()), dy = BenchData.gaussian(r, s.n() * s.cout() * s.hout() * s.wout());
            float[] y = new float[dy.length], dx = new float[x.length], dw = new float[w.length], db = new float[b.length];
            ConvPlan[] plans = {ConvPlan.choose(s, 1, false, 0, ConvPlan.Override.NONE),
                    ConvPlan.choose(s, 1, false, 0, ConvPlan.Override.NONE.withGrouping(false))};
            for (String op : OPS) {
                java.util.function.IntFunction<Runnable> call = mode -> switch (op) {
                    case "forward" -> () -> Conv.forward(plans[mode], x, w, b, y, null);
                    case "backwardInput" -> () -> Conv.backwardInput(plans[mode], dy, w, dx);
                    default -> () -> Conv.backwardWeight(plans[mode], x, dy, dw, db, null);
                };
                int rounds = 15;
                double[][] ms = new double[2][rounds];
                for (int t = -3; t < rounds; t++) { // 3 warm-up rounds (JIT), then timed ones
                    for (int mode = 0; mode < 2; mode++) {
                        Runnable run = call.apply(mode);
                        int reps = 5;
                        long t0 = clock.getCurrentThreadCpuTime();
                        for (int q = 0; q < reps; q++) run.run();
                        if (t >= 0) ms[mode][t] = (clock.getCurrentThreadCpuTime() - t0) / 1e6 / reps;
                    }
                }
                double a = BenchData.median(ms[0]), c = BenchData.median(ms[1]);
                System.out.printf("%-12s %-15s %10.3f %10.3f %8.2f%n", layer, op, a, c, c / a);
            }
        }
    }
}
