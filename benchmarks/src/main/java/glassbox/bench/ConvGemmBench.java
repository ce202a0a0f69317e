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

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * SGEMM at the shapes the zoo's convolutions hand to {@link Gemm} for one image (im2col, see Conv):
 * forward {@code W[cout, ckk] · col[ckk, hw]}, input gradient {@code Wᵀ[ckk, cout] · dy[cout, hw]} and weight
 * gradient {@code dy[cout, hw] · colᵀ[hw, ckk]}. These are small and skinny, far from the square sizes BLAS
 * tables quote, which is why the conv layers reach less than square GEMM. {@code @Setup} checks the fast
 * kernel against {@link Gemm#gemmScalar}. Time per call (one image); GFLOP/s = 2 m n k / time.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ConvGemmBench} (1 thread: that is how Conv calls
 * them, one image per thread).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@State(Scope.Benchmark)
public class ConvGemmBench {
    /** layer -> (cout, ckk = cin*k*k, hw = hout*wout). */
    static final Map<String, int[]> LAYERS = Map.of(
            "lenet.conv1", new int[]{6, 25, 784},
            "lenet.conv2", new int[]{16, 150, 100},
            "vgg.conv1", new int[]{32, 27, 1024},
            "vgg.conv2", new int[]{32, 288, 1024},
            "vgg.conv3", new int[]{64, 288, 256},
            "vgg.conv4", new int[]{64, 576, 256});

    @Param({"lenet.conv1", "lenet.conv2", "vgg.conv1", "vgg.conv2", "vgg.conv3", "vgg.conv4"})
    public String layer;
    /** fwd: W·col, dinput: Wᵀ·dy, dweight: dy·colᵀ. */
    @Param({"fwd", "dinput", "dweight"})
    public String pass;
    @Param({"1"})
    public int threads;

    boolean ta, tb;
    int m, n, k, lda, ldb;
    float[] a, b, c;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        int[] g = LAYERS.get(layer);
        int cout = g[0], ckk = g[1], hw = g[2];
        switch (pass) {
            case "fwd" -> { m = cout; n = hw; k = ckk; lda = ckk; ldb = hw; }
            case "dinput" -> { ta = true; m = ckk; n = hw; k = cout; lda = ckk; ldb = hw; }
            case "dweight" -> { tb = true; m = cout; n = ckk; k = hw; lda = hw; ldb = hw; }
            default -> throw new IllegalArgumentException(pass);
        }
        Random r = new Random(5);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        float[] ref = new float[m * n];
        Gemm.gemmScalar(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, ref, 0, n, false);
        Gemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
        for (int i = 0; i < ref.length; i++) GemmBench.check(ref[i], c[i], k, i);
    }

    @Benchmark
    public float[] gemm() {
        Gemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
        return c;
    }
}
