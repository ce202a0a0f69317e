package glassbox.bench;

import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Model;
import glassbox.model.Zoo;
import glassbox.optim.SGD;
import glassbox.tensor.Tensor;
import glassbox.train.stats.StatsRecorder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * What recording training statistics costs, in one process: blocks of {@code every} training steps (batch 64,
 * SGD with momentum, as {@link Step}) with the {@link StatsRecorder} calls on one step of the block, against the
 * same blocks without them, taking turns round after round (who goes first alternates), so both see the same
 * machine load. Also times the recorder's own work on the recorded step (summaries of every activation,
 * parameter, gradient and update; the copy of the weights; the record written), which is the whole difference
 * between the two kinds of block. Prints medians of wall-clock and of the calling thread's CPU time (the robust
 * figure on a loaded machine when run with one thread: it does not count time spent waiting for a core) and the
 * run-file bytes per record.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar glassbox.bench.StatsOverhead
 * lenet5 [rounds] [every] [threads]} (or smallvgg).
 */
public final class StatsOverhead {
    private StatsOverhead() {
    }

    public static void main(String[] a) throws Exception {
        String arch = a.length > 0 ? a[0] : "lenet5";
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 10;
        int every = a.length > 2 ? Integer.parseInt(a[2]) : 20;
        if (a.length > 3) glassbox.kernels.Parallel.setThreads(Integer.parseInt(a[3]));
        int batch = 64;
        int[] in = Step.inputShape(arch);
        Model model = Zoo.build(arch, Zoo.options(in, 10), 1);
        model.setRetain(false);
        model.setReuseBuffers(true);
        model.layers().get(0).setComputeInputGradient(false);
        SGD sgd = new SGD(model.params(), 0.01, 0.9, false, 0);
        Random r = new Random(7);
        float[] xd = new float[batch * in[0] * in[1] * in[2]];
        for (int i = 0; i < xd.length; i++) xd[i] = (float) r.nextGaussian();
        Tensor x = new Tensor(xd, batch, in[0], in[1], in[2]);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = r.nextInt(10);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Path file = Files.createTempFile("stats-overhead", ".run.jsonl");
        StatsRecorder rec = new StatsRecorder(file, every, null);
        rec.start(model, Map.of("train.lr", "0.01"), "random", 0, 0);

        double[] plain = new double[rounds], recorded = new double[rounds], recorderOnly = new double[rounds];
        double[] plainCpu = new double[rounds], recordedCpu = new double[rounds];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] step = {0};
        Runnable warm = () -> {
            for (int i = 0; i < 3; i++) block(model, x, labels, loss, sgd, rec, every, false, step, new double[1]);
        };
        warm.run();
        for (int k = 0; k < rounds; k++) {
            boolean recFirst = k % 2 == 1;
            for (int turn = 0; turn < 2; turn++) {
                boolean on = (turn == 0) == recFirst;
                double[] own = new double[1];
                long c0 = mx.getCurrentThreadCpuTime();
                double t = block(model, x, labels, loss, sgd, rec, every, on, step, own);
                double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
                if (on) {
                    recorded[k] = t;
                    recordedCpu[k] = cpu;
                    recorderOnly[k] = own[0];
                } else {
                    plain[k] = t;
                    plainCpu[k] = cpu;
                }
            }
            System.out.printf("round %d: %d steps without %.1f ms (cpu %.1f), with one recorded %.1f ms (cpu %.1f; recorder itself %.1f ms)%n",
                    k + 1, every, plain[k], plainCpu[k], recorded[k], recordedCpu[k], recorderOnly[k]);
        }
        rec.finish(step[0]);
        double p = median(plain), q = median(recorded), o = median(recorderOnly);
        double pc = median(plainCpu), qc = median(recordedCpu);
        System.out.printf("%s, batch %d, a record every %d steps: median block %.1f ms without, %.1f ms with (%+.1f%%); "
                        + "the recorder's own work %.1f ms = %.2f%% of a block%n",
                arch, batch, every, p, q, 100 * (q - p) / p, o, 100 * o / p);
        System.out.printf("calling thread's CPU time: median block %.1f ms without, %.1f ms with (%+.1f%%)%n", pc, qc, 100 * (qc - pc) / pc);
        long bytes = Files.size(file);
        System.out.printf("run file: %d bytes for %d records and a header (about %d bytes per record)%n", bytes, rounds + 3,
                bytes / (rounds + 3 + 1));
        Files.deleteIfExists(file);
    }

    /** {@code every} training steps, the first one recorded if {@code on}; returns wall ms, the recorder's part in own[0]. */
    private static double block(Model model, Tensor x, int[] labels, SoftmaxCrossEntropy loss, SGD sgd, StatsRecorder rec,
                                int every, boolean on, long[] step, double[] own) {
        long t0 = System.nanoTime(), inside = 0;
        for (int i = 0; i < every; i++) {
            boolean record = on && i == 0;
            model.zeroGrad();
            Tensor logits = model.forward(x, true);
            long a = System.nanoTime();
            if (record) rec.activations();
            inside += System.nanoTime() - a;
            float l = loss.forward(logits, labels);
            model.backward(loss.backward());
            a = System.nanoTime();
            if (record) rec.beforeUpdate();
            inside += System.nanoTime() - a;
            sgd.step();
            step[0]++;
            a = System.nanoTime();
            if (on) rec.afterStep(step[0], 1, 0.01, l, 0, labels.length);
            inside += System.nanoTime() - a;
        }
        own[0] = inside / 1e6;
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
