package glassbox.bench;

import glassbox.kernels.Conv;
import glassbox.kernels.ConvPlan;
import glassbox.kernels.ConvShape;
import glassbox.kernels.Parallel;
import glassbox.kernels.Winograd;
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
 * Winograd F(2x2, 3x3) next to im2col + GEMM, forward, input gradient and weight gradient (against
 * {@code Conv.backwardWeight} with Winograd off: the implicit im2col path or im2col), on the 3x3 / stride 1 /
 * padding 1 layers of smallvgg and resnet20 at batch 64: milliseconds per call over the whole batch, both algorithms in
 * the same fork so that their ratio survives a noisy machine. {@code @Setup} first checks Winograd against the
 * scalar definition on one image. This is what chose {@link Winograd#applies}.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar WinogradBench}
 * (add {@code -p threads=1} or {@code -p layer=vgg.conv2} to narrow it).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@State(Scope.Benchmark)
public class WinogradBench {
    static final int BATCH = 64;

    /** name -> (cin, h, w, cout); all 3x3, stride 1, padding 1. */
    static final Map<String, int[]> LAYERS = Map.of(
            "vgg.conv1", new int[]{3, 32, 32, 32},
            "vgg.conv2", new int[]{32, 32, 32, 32},
            "vgg.conv3", new int[]{32, 16, 16, 64},
            "vgg.conv4", new int[]{64, 16, 16, 64},
            "res.16", new int[]{16, 32, 32, 16},
            "res.32", new int[]{32, 16, 16, 32},
            "res.64", new int[]{64, 8, 8, 64},
            "probe.8", new int[]{8, 32, 32, 8},     // not in a zoo model: where the dispatch threshold lies
            "probe.4-16", new int[]{4, 32, 32, 16});

    @Param({"vgg.conv1", "vgg.conv2", "vgg.conv3", "vgg.conv4", "res.16", "res.32", "res.64"})
    public String layer;
    @Param({"1", "2"})
    public int threads;

    ConvShape s;
    /** The plan with Winograd switched off: im2col (implicit im2col for the weight gradient). */
    ConvPlan im2col;
    float[] x, w, b, y, dy, dx, dw, db;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        int[] g = LAYERS.get(layer);
        s = new ConvShape(BATCH, g[0], g[1], g[2], g[3], 3, 1, 1);
        Random r = new Random(1);
        x = BenchData.gaussian(r, s.n() * s.cin() * s.h() * s.w());
        w = BenchData.gaussian(r, s.cout() * s.cin() * 9);
        b = BenchData.gaussian(r, s.cout());
        dy = BenchData.gaussian(r, s.n() * s.cout() * s.h() * s.w());
        y = new float[dy.length];
        dx = new float[x.length];
        dw = new float[w.length];
        db = new float[b.length];
        im2col = ConvPlan.choose(s, threads, false, 0, ConvPlan.Override.NONE.withWinograd(false));
        checkAgainstScalar();
    }

    /** One image through Winograd and the scalar definition (the leading slices of the batch arrays). */
    private void checkAgainstScalar() {
        ConvShape one = new ConvShape(1, s.cin(), s.h(), s.w(), s.cout(), 3, 1, 1);
        int outLen = s.cout() * s.h() * s.w(), inLen = s.cin() * s.h() * s.w();
        float[] y1 = new float[outLen], y2 = new float[outLen], dx1 = new float[inLen], dx2 = new float[inLen];
        Winograd.forward(one, x, w, b, y1);
        Conv.forwardScalar(one, x, w, b, y2);
        Winograd.backwardInput(one, dy, w, dx1);
        Conv.backwardInputScalar(one, dy, w, dx2);
        BenchData.requireClose(layer + " forward", y2, y1);
        BenchData.requireClose(layer + " backwardInput", dx2, dx1);
        float[] dw1 = new float[w.length], dw2 = new float[w.length], db1 = new float[b.length], db2 = new float[b.length];
        Winograd.backwardWeight(one, x, dy, dw1, db1);
        Conv.backwardWeightScalar(one, x, dy, dw2, db2);
        BenchData.requireClose(layer + " backwardWeight", dw2, dw1);
    }

    @Benchmark
    public float[] forwardIm2col() {
        Conv.forward(im2col, x, w, b, y, null);
        return y;
    }

    @Benchmark
    public float[] forwardWinograd() {
        Winograd.forward(s, x, w, b, y);
        return y;
    }

    @Benchmark
    public float[] backwardInputIm2col() {
        Conv.backwardInput(im2col, dy, w, dx);
        return dx;
    }

    @Benchmark
    public float[] backwardInputWinograd() {
        Winograd.backwardInput(s, dy, w, dx);
        return dx;
    }

    /** Weight gradients accumulate: dw grows over the iterations, which does not change the work. */
    @Benchmark
    public float[] backwardWeightIm2col() {
        Conv.backwardWeight(im2col, x, dy, dw, db, null);
        return dw;
    }

    @Benchmark
    public float[] backwardWeightWinograd() {
        Winograd.backwardWeight(s, x, dy, dw, db);
        return dw;
    }
}
