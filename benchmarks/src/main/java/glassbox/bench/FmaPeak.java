package glassbox.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The ceiling the kernels are measured against: fused multiply-adds per CPU-second of one core, with nothing
 * but FMAs in the loop. Twelve independent accumulators hide the FMA latency (4 cycles, 2 units: 8 in flight
 * would do; 12 leave room). Reported as GFLOP per CPU-second (one FMA lane = 2 FLOP), the unit of
 * {@link GemmPerCore}, so a GEMM's figure divided by this one is its share of the peak.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar glassbox.bench.FmaPeak}
 */
public final class FmaPeak {
    private FmaPeak() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** {@code iters} rounds of 12 vector FMAs; the sum is returned so the JIT cannot drop the loop. */
    static float run(long iters) {
        FloatVector a = FloatVector.broadcast(S, 1.0000001f), b = FloatVector.broadcast(S, 0.9999999f);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iters; i++) {
            c0 = a.fma(b, c0); c1 = a.fma(b, c1); c2 = a.fma(b, c2); c3 = a.fma(b, c3);
            c4 = a.fma(b, c4); c5 = a.fma(b, c5); c6 = a.fma(b, c6); c7 = a.fma(b, c7);
            c8 = a.fma(b, c8); c9 = a.fma(b, c9); c10 = a.fma(b, c10); c11 = a.fma(b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    public static void main(String[] args) {
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        long iters = 100_000_000L;
        double flops = 2.0 * 12 * S.length() * iters, best = 0;
        float sink = 0;
        for (int t = 0; t < 6; t++) { // the first timings run before the loop is compiled: keep the best
            long t0 = clock.getCurrentThreadCpuTime();
            sink += run(iters);
            best = Math.max(best, flops / (clock.getCurrentThreadCpuTime() - t0));
        }
        System.out.printf("FMA peak, one core: %.1f GFLOP per CPU-second (%d float lanes per vector; checksum %.3g)%n",
                best, S.length(), sink);
    }
}
