package glassbox.bench;

import glassbox.kernels.Parallel;
import glassbox.kernels.Pool;
import glassbox.kernels.PoolShape;
import glassbox.kernels.Vec;
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

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Pooling and element-wise kernels at the activation sizes of the zoo's training step (batch 64), each fast
 * kernel beside its scalar twin: 2x2/2 max pooling forward (with argmax) and backward, ReLU forward and
 * backward, and a sum. {@code @Setup} checks that fast and scalar agree (bit for bit, except the sum) before
 * anything is timed. Time per call over the whole batch.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PoolVecBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@State(Scope.Benchmark)
public class PoolVecBench {
    /** activation -> (n, c, h, w): the input of each pooling layer (= the output of the ReLU before it). */
    static final Map<String, int[]> ACTS = Map.of(
            "lenet.relu1", new int[]{64, 6, 28, 28},
            "vgg.relu2", new int[]{64, 32, 32, 32},
            "vgg.relu4", new int[]{64, 64, 16, 16});

    @Param({"lenet.relu1", "vgg.relu2", "vgg.relu4"})
    public String act;
    @Param({"2"})
    public int threads;

    PoolShape s;
    float[] x, dy, y, yScalar, dx, pooledGrad;
    int[] argmax;
    int len;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        int[] g = ACTS.get(act);
        s = new PoolShape(g[0], g[1], g[2], g[3], 2, 2);
        len = g[0] * g[1] * g[2] * g[3];
        Random r = new Random(9);
        x = new float[len];
        dy = new float[len];
        for (int i = 0; i < len; i++) { x[i] = (float) r.nextGaussian(); dy[i] = (float) r.nextGaussian(); }
        y = new float[len];
        yScalar = new float[len];
        dx = new float[len];
        int outLen = s.planes() * s.hout() * s.wout();
        pooledGrad = Arrays.copyOf(dy, outLen);
        argmax = new int[outLen];
        // fast == scalar, bit for bit, before timing
        Vec.relu(x, y, len);
        Vec.reluScalar(x, yScalar, len);
        same("relu", y, yScalar);
        Vec.reluBackward(x, dy, y, len);
        Vec.reluBackwardScalar(x, dy, yScalar, len);
        same("reluBackward", y, yScalar);
        int[] argScalar = new int[outLen];
        Pool.maxForward(s, x, y, argmax);
        Pool.maxForwardScalar(s, x, yScalar, argScalar);
        same("maxForward", y, yScalar);
        if (!Arrays.equals(argmax, argScalar)) throw new IllegalStateException(act + " maxForward: argmax differs");
        Pool.maxBackward(s, pooledGrad, argmax, y);
        Pool.maxBackwardScalar(s, pooledGrad, argmax, yScalar);
        same("maxBackward", y, yScalar);
        float a = Vec.sum(x, 0, len), b = Vec.sumScalar(x, 0, len);
        if (Math.abs(a - b) > 1e-3f * len) throw new IllegalStateException(act + " sum: " + a + " vs " + b);
    }

    private void same(String what, float[] fast, float[] scalar) {
        if (!Arrays.equals(fast, scalar)) throw new IllegalStateException(act + " " + what + ": fast and scalar differ");
    }

    @Benchmark public float[] relu() { Vec.relu(x, y, len); return y; }
    @Benchmark public float[] reluScalar() { Vec.reluScalar(x, y, len); return y; }
    @Benchmark public float[] reluBackward() { Vec.reluBackward(x, dy, dx, len); return dx; }
    @Benchmark public float[] reluBackwardScalar() { Vec.reluBackwardScalar(x, dy, dx, len); return dx; }
    @Benchmark public float[] maxPool() { Pool.maxForward(s, x, y, argmax); return y; }
    @Benchmark public float[] maxPoolScalar() { Pool.maxForwardScalar(s, x, y, argmax); return y; }
    @Benchmark public float[] maxPoolBackward() { Pool.maxBackward(s, pooledGrad, argmax, dx); return dx; }
    @Benchmark public float[] maxPoolBackwardScalar() { Pool.maxBackwardScalar(s, pooledGrad, argmax, dx); return dx; }
    @Benchmark public float sum() { return Vec.sum(x, 0, len); }
    @Benchmark public float sumScalar() { return Vec.sumScalar(x, 0, len); }
}
