package glassbox.bench;

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

import java.util.concurrent.TimeUnit;

/**
 * Gradient explanations of one CIFAR-10 image on resnet20 ({@link Explain}): saliency (with and without
 * parameter gradients), guided backprop, Grad-CAM (targets: at most 15 ms each), SmoothGrad with 50
 * samples and Integrated Gradients with 50 steps (at most 250 ms), on 1 and 2 threads. Milliseconds per
 * map. {@code @Setup} checks every map is finite.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ExplainBench}, or e.g.
 * {@code ExplainBench -p workload=gradcam -p threads=2}. Side by side with PyTorch: {@link ExplainCompare}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g", "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class ExplainBench {
    @Param({"saliency", "saliency-with-param-grads", "guided-backprop", "gradcam", "smoothgrad-50", "ig-50"})
    public String workload;
    @Param({"1", "2"})
    public int threads;

    Explain e;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        e = new Explain();
        float v = e.run(workload);
        if (!Float.isFinite(v)) throw new IllegalStateException(workload + " gave " + v);
    }

    @Benchmark
    public float explain() {
        return e.run(workload);
    }
}
