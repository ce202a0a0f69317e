package glassbox.bench;

import glassbox.kernels.Parallel;
import glassbox.tensor.Tensor;
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
 * Whole steps: a training step (forward + backward + SGD update, batch 64) and inference (batch 256) of
 * lenet5 (1x28x28) and smallvgg (3x32x32), on 1 and 2 threads, with activation/gradient retention on
 * (Glassbox's default, everything inspectable) and off: the difference is the cost of openness.
 * Milliseconds per call; images/s = batch / time. {@code @Setup} checks that a step gives a finite loss.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar StepBench} (about 4 minutes), or e.g.
 * {@code StepBench.train -p arch=lenet5 -p threads=1}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g", "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class StepBench {
    @Param({"lenet5", "smallvgg"})
    public String arch;
    @Param({"1", "2"})
    public int threads;
    @Param({"true", "false"})
    public boolean retain;

    Step train, infer;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        train = new Step(arch, 64, retain);
        infer = new Step(arch, 256, retain);
        float l = train.train();
        if (!Float.isFinite(l)) throw new IllegalStateException(arch + ": training step gave loss " + l);
    }

    @Benchmark
    public float train() {
        return train.train();
    }

    @Benchmark
    public Tensor infer() {
        return infer.infer();
    }
}
