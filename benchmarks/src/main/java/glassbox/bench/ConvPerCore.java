package glassbox.bench;

import glassbox.kernels.Conv;
import glassbox.kernels.ConvShape;
import glassbox.kernels.Parallel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * The conv kernels of {@link ConvBench}'s layers (batch 64) on one core, in CPU time of the calling thread
 * (robust to other load on a shared machine, see {@link GemmPerCore}), with images grouped per GEMM
 * ({@link Conv#groupColumns} as given) against one GEMM per image (groupColumns = 0). The two settings take
 * turns, round after round, so that both see the same machine; printed are the medians of the rounds
 * (ms of CPU per call) and their ratio. Not JMH, which measures wall-clock time.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * glassbox.bench.ConvPerCore [groupColumns [layer ...]]}, e.g. {@code ConvPerCore 512 lenet.conv2}; add
 * {@code -DmaxFloats=N} (before -cp) to try another {@link Conv#groupMaxFloats}. This is how the group rule
 * in {@link Conv} was chosen.
 */
public final class ConvPerCore {
    private ConvPerCore() {
    }

    private static final String[] OPS = {"forward", "backwardInput", "backwardWeight"};

    public static void main(String[] args) {
        Parallel.setThreads(1);
        Conv.groupMaxFloats = Long.getLong("maxFloats", Conv.groupMaxFloats);
        int grouped = args.length > 0 ? Integer.parseInt(args[0]) : Conv.groupColumns;
        String[] layers = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length)
                : ConvBench.LAYERS.keySet().stream().sorted().toArray(String[]::new);
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        System.out.printf("groupColumns %d vs 0 (per image), 1 thread, CPU ms per call, median of rounds%n", grouped);
        System.out.printf("%-12s %-15s %10s %10s %8s%n", "layer", "kernel", "grouped", "per-image", "speed-up");
        for (String layer : layers) {
            int[] g = ConvBench.LAYERS.get(layer);
            if (g == null) throw new IllegalArgumentException("unknown layer " + layer + ", known: " + ConvBench.LAYERS.keySet());
            ConvShape s = new ConvShape(ConvBench.BATCH, g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
            Random r = new Random(1);
            float[] x = BenchData.gaussian(r, s.n() * s.cin() * s.h() * s.w()), w = BenchData.gaussian(r, s.cout() * s.cin() * s.k() * s.k());
            float[] b = BenchData.gaussian(r, s.cout()), dy = BenchData.gaussian(r, s.n() * s.cout() * s.hout() * s.wout());
            float[] y = new float[dy.length], dx = new float[x.length], dw = new float[w.length], db = new float[b.length];
            for (String op : OPS) {
                Runnable call = switch (op) {
                    case "forward" -> () -> Conv.forward(s, x, w, b, y);
                    case "backwardInput" -> () -> Conv.backwardInput(s, dy, w, dx);
                    default -> () -> Conv.backwardWeight(s, x, dy, dw, db);
                };
                int rounds = 15;
                double[][] ms = new double[2][rounds];
                for (int t = -3; t < rounds; t++) { // 3 warm-up rounds (JIT), then timed ones
                    for (int mode = 0; mode < 2; mode++) {
                        Conv.groupColumns = mode == 0 ? grouped : 0;
                        int reps = 5;
                        long t0 = clock.getCurrentThreadCpuTime();
                        for (int q = 0; q < reps; q++) call.run();
                        if (t >= 0) ms[mode][t] = (clock.getCurrentThreadCpuTime() - t0) / 1e6 / reps;
                    }
                }
                double a = BenchData.median(ms[0]), c = BenchData.median(ms[1]);
                System.out.printf("%-12s %-15s %10.3f %10.3f %8.2f%n", layer, op, a, c, c / a);
            }
        }
        Conv.groupColumns = grouped;
    }
}
