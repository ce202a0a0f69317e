package glassbox.bench;

import glassbox.kernels.Conv;
import glassbox.kernels.ConvPlan;
import glassbox.kernels.ConvShape;
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
 * The three convolution kernels (forward, input gradient, weight gradient) on the conv layers of LeNet-5,
 * smallvgg and resnet20 (res.*: 3x3 convs of its three stages, the stride-2 3x3 and 1x1 shortcut convs that
 * open stages 2 and 3) at batch 64, with images grouped per GEMM or not ({@code grouped}): milliseconds per
 * call over the whole batch. {@code @Setup} first checks the fast
 * kernels against their scalar twins on one image. GFLOP/s = 2 * {@link ConvShape#macs()} / time.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ConvBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@State(Scope.Benchmark)
public class ConvBench {
    static final int BATCH = 64;

    /** name -> (cin, h, w, cout, k, stride, pad). */
    static final Map<String, int[]> LAYERS = Map.ofEntries(
            Map.entry("lenet.conv1", new int[]{1, 28, 28, 6, 5, 1, 2}),
            Map.entry("lenet.conv2", new int[]{6, 14, 14, 16, 5, 1, 0}),
            Map.entry("vgg.conv1", new int[]{3, 32, 32, 32, 3, 1, 1}),
            Map.entry("vgg.conv2", new int[]{32, 32, 32, 32, 3, 1, 1}),
            Map.entry("vgg.conv3", new int[]{32, 16, 16, 64, 3, 1, 1}),
            Map.entry("vgg.conv4", new int[]{64, 16, 16, 64, 3, 1, 1}),
            Map.entry("res.conv16", new int[]{16, 32, 32, 16, 3, 1, 1}),
            Map.entry("res.conv32", new int[]{32, 16, 16, 32, 3, 1, 1}),
            Map.entry("res.conv64", new int[]{64, 8, 8, 64, 3, 1, 1}),
            Map.entry("res.down32", new int[]{16, 32, 32, 32, 3, 2, 1}),
            Map.entry("res.short32", new int[]{16, 32, 32, 32, 1, 2, 0}),
            Map.entry("res.down64", new int[]{32, 16, 16, 64, 3, 2, 1}),
            Map.entry("res.short64", new int[]{32, 16, 16, 64, 1, 2, 0}));

    @Param({"lenet.conv1", "lenet.conv2", "vgg.conv1", "vgg.conv2", "vgg.conv3", "vgg.conv4",
            "res.conv16", "res.conv32", "res.conv64", "res.down32", "res.short32", "res.down64", "res.short64"})
    public String layer;
    @Param({"2"})
    public int threads;
    /** One GEMM per group of images (512, the plan's group limit) or per image (0: {@code ConvPlan.Override} without grouping). */
    @Param({"512", "0"})
    public int groupColumns;

    ConvShape s;
    float[] x, w, b, y, dy, dx, dw, db;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        if (groupColumns != 0 && groupColumns != 512) throw new IllegalArgumentException("groupColumns is 512 or 0");
        ConvPlan.setOverride(ConvPlan.Override.NONE.withGrouping(groupColumns != 0));
        int[] g = LAYERS.get(layer);
        s = new ConvShape(BATCH, g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
        Random r = new Random(1);
        x = BenchData.gaussian(r, s.n() * s.cin() * s.h() * s.w());
        w = BenchData.gaussian(r, s.cout() * s.cin() * s.k() * s.k());
        b = BenchData.gaussian(r, s.cout());
        dy = BenchData.gaussian(r, s.n() * s.cout() * s.hout() * s.wout());
        y = new float[dy.length];
        dx = new float[x.length];
        dw = new float[w.length];
        db = new float[b.length];
        checkAgainstScalar();
    }

    /**
     * Three images (so that a group of several images is checked too) through fast and scalar kernels: the
     * leading slices of the batch arrays are those images.
     */
    private void checkAgainstScalar() {
        ConvShape one = new ConvShape(3, s.cin(), s.h(), s.w(), s.cout(), s.k(), s.stride(), s.pad());
        int outLen = 3 * s.cout() * s.hout() * s.wout(), inLen = 3 * s.cin() * s.h() * s.w();
        float[] y1 = new float[outLen], y2 = new float[outLen], dx1 = new float[inLen], dx2 = new float[inLen];
        float[] dw1 = new float[w.length], dw2 = new float[w.length], db1 = new float[b.length], db2 = new float[b.length];
        Conv.forward(one, x, w, b, y1);
        Conv.forwardScalar(one, x, w, b, y2);
        Conv.backwardInput(one, dy, w, dx1);
        Conv.backwardInputScalar(one, dy, w, dx2);
        Conv.backwardWeight(one, x, dy, dw1, db1);
        Conv.backwardWeightScalar(one, x, dy, dw2, db2);
        BenchData.requireClose(layer + " forward", y2, y1);
        BenchData.requireClose(layer + " backwardInput", dx2, dx1);
        BenchData.requireClose(layer + " backwardWeight dW", dw2, dw1);
        BenchData.requireClose(layer + " backwardWeight db", db2, db1);
    }

    @Benchmark
    public float[] forward() {
        Conv.forward(s, x, w, b, y);
        return y;
    }

    /** The seven-loop definition, for the speed-up (slow: run it on the LeNet layers, -p layer=lenet.conv1). */
    @Benchmark
    public float[] forwardScalar() {
        Conv.forwardScalar(s, x, w, b, y);
        return y;
    }

    @Benchmark
    public float[] backwardInput() {
        Conv.backwardInput(s, dy, w, dx);
        return dx;
    }

    @Benchmark
    public float[] backwardWeight() {
        Conv.backwardWeight(s, x, dy, dw, db); // accumulates: values grow, the work per call does not change
        return dw;
    }
}
