package glassbox.bench;

import glassbox.kernels.Gemm;
import glassbox.kernels.Parallel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * GEMM speed of one core, measured in CPU time rather than wall-clock time: GFLOP per CPU-second of the
 * calling thread. On a shared machine a wall-clock benchmark measures the neighbours too; CPU time only
 * counts the moments this thread ran, so it shows what the kernel does per core whatever the load.
 * Peer: {@code benchmarks/scripts/sgemm_numpy.py --cpu-time} with OPENBLAS_NUM_THREADS=1. Not JMH: JMH measures
 * wall-clock time, which is what {@link GemmBench} reports.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar glassbox.bench.GemmPerCore 256 1024}
 */
public final class GemmPerCore {
    private GemmPerCore() {
    }

    public static void main(String[] args) {
        Parallel.setThreads(1);
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        String[] sizes = args.length > 0 ? args : new String[]{"128", "256", "512", "1024", "2048"};
        System.out.printf("%6s %22s%n", "n", "GFLOP per CPU-second");
        for (String arg : sizes) {
            int n = Integer.parseInt(arg);
            Random r = new Random(n);
            float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
            for (int i = 0; i < n * n; i++) {
                a[i] = (float) r.nextGaussian();
                b[i] = (float) r.nextGaussian();
            }
            double flops = 2.0 * n * n * n;
            int reps = (int) Math.max(2, Math.min(5000, 2e9 / flops)); // ~2 GFLOP per timing
            double best = 0;
            for (int t = 0; t < 8; t++) { // the first timings include JIT compilation: keep the best
                long t0 = clock.getCurrentThreadCpuTime();
                for (int q = 0; q < reps; q++) Gemm.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
                best = Math.max(best, flops * reps / (clock.getCurrentThreadCpuTime() - t0));
            }
            System.out.printf("%6d %22.1f%n", n, best);
        }
    }
}
