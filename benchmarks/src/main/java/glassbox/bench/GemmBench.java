package glassbox.bench;

import glassbox.kernels.Gemm;
import glassbox.kernels.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Square single-precision GEMM, C[n,n] = A[n,n] · B[n,n]: the scalar reference against the Vector API kernel at
 * small sizes (both in {@link Small}), and the Vector API kernel alone at 128..2048 ({@link Large}; the
 * triple loop would take seconds per call there). Each state's {@code @Setup} checks that the fast kernel
 * agrees with the reference before anything is timed. Time per call; GFLOP/s = 2 n^3 / time
 * ({@code benchmarks/scripts/gemm_report.sh} prints them next to numpy's).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar GemmBench} (add {@code -p threads=1} for one core).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class GemmBench {

    /** Operands of one square product, filled with N(0,1) values. */
    static class Operands {
        float[] a, b, c;

        void fill(int n) {
            Random r = new Random(n);
            a = new float[n * n];
            b = new float[n * n];
            c = new float[n * n];
            for (int i = 0; i < n * n; i++) {
                a[i] = (float) r.nextGaussian();
                b[i] = (float) r.nextGaussian();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Small extends Operands {
        @Param({"8", "16", "32", "64", "128"})
        public int n;
        @Param({"2"})
        public int threads;

        @Setup(Level.Trial)
        public void setup() {
            Parallel.setThreads(threads);
            fill(n);
            float[] ref = new float[n * n], fast = new float[n * n];
            Gemm.gemmScalar(false, false, n, n, n, a, 0, n, b, 0, n, ref, 0, n, false);
            Gemm.gemm(false, false, n, n, n, a, 0, n, b, 0, n, fast, 0, n, false);
            for (int i = 0; i < n * n; i++) check(ref[i], fast[i], n, i);
        }
    }

    @State(Scope.Benchmark)
    public static class Large extends Operands {
        @Param({"128", "256", "512", "1024", "2048"})
        public int n;
        @Param({"2"})
        public int threads;

        @Setup(Level.Trial)
        public void setup() {
            Parallel.setThreads(threads);
            fill(n);
            Gemm.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
            Random r = new Random(1);
            for (int t = 0; t < 200; t++) { // spot-check entries against the definition (a dot product)
                int i = r.nextInt(n), j = r.nextInt(n);
                float ref = 0f;
                for (int p = 0; p < n; p++) ref += a[i * n + p] * b[p * n + j];
                check(ref, c[i * n + j], n, i * n + j);
            }
        }
    }

    /** Tolerance: sums of n products of N(0,1) values have magnitude ~sqrt(n); rounding grows ~n eps. */
    static void check(float ref, float fast, int n, int at) {
        if (!(Math.abs(ref - fast) <= 1e-5 * n * Math.sqrt(n) + 1e-6)) {
            throw new IllegalStateException("GEMM n=" + n + ": fast and scalar disagree at " + at + ": " + ref + " vs " + fast);
        }
    }

    @Benchmark
    public float[] scalar(Small s) {
        Gemm.gemmScalar(false, false, s.n, s.n, s.n, s.a, 0, s.n, s.b, 0, s.n, s.c, 0, s.n, false);
        return s.c;
    }

    @Benchmark
    public float[] simd(Small s) {
        Gemm.gemm(false, false, s.n, s.n, s.n, s.a, 0, s.n, s.b, 0, s.n, s.c, 0, s.n, false);
        return s.c;
    }

    @Benchmark
    public float[] simdLarge(Large s) {
        Gemm.gemm(false, false, s.n, s.n, s.n, s.a, 0, s.n, s.b, 0, s.n, s.c, 0, s.n, false);
        return s.c;
    }
}
