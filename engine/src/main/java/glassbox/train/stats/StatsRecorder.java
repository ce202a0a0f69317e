package glassbox.train.stats;

import glassbox.layers.Flatten;
import glassbox.layers.Layer;
import glassbox.layers.Sigmoid;
import glassbox.layers.Tanh;
import glassbox.model.Model;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import glassbox.train.stats.RunRecord.Diagnosis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Records training statistics into a run file while a {@link glassbox.train.Trainer} trains: give the trainer one
 * with {@code trainer.record(recorder)}; the trainer calls the methods below at the points of each step they name.
 *
 * <p>Which steps: 1, 2, 4, 8, ... while below {@code every}, then every {@code every}-th step. On those steps the
 * recorder summarizes (see {@link Summary}) every layer's output between forward and backward, every parameter's
 * value and gradient between backward and the optimizer step, and after the step what the optimizer actually
 * changed: it keeps a copy of the weights from before the step and subtracts (so SGD, momentum, Adam, weight decay
 * are all measured, not modelled). Every step it adds the batch loss and accuracy to the running means written
 * with the next record. After every epoch it writes an epoch record. Every stats record goes to the
 * {@link Diagnoser}; what it finds is written to the file and passed to the listener given here, as it happens.
 *
 * <p>Cost: on a recorded step, one pass over every activation and parameter (about as much work as one ReLU per
 * tensor) and a copy of the parameters; nothing on the others. Leaves out per-example statistics and gradients
 * of activations (the parameter gradients carry the same story for the diagnoses).
 */
public final class StatsRecorder {
    private final Path file;
    private final int every;
    private final Consumer<Diagnosis> onDiagnosis;
    private Model model;
    private List<Param> params;
    private List<Layer> layers;
    private float[][] before; // each parameter's value before the step being recorded
    private float[] scratch;
    private RunFile out;
    private Diagnoser diagnoser;
    private final List<Diagnosis> diagnoses = new ArrayList<>();

    // the record being built on a recorded step
    private List<RunRecord.LayerStats> layerStats;
    private List<Summary> values, grads;
    // running means since the last record
    private double lossSum;
    private long seen, correct;
    private double lastLr;

    /**
     * @param file        the run file (created, or continued when the trainer resumes)
     * @param every       a stats record every this many steps (&gt;= 1)
     * @param onDiagnosis told about each problem as it is found (e.g. prints it); may be null
     */
    public StatsRecorder(Path file, int every, Consumer<Diagnosis> onDiagnosis) {
        if (every < 1) throw new IllegalArgumentException("stats interval must be >= 1 step, got " + every);
        this.file = file;
        this.every = every;
        this.onDiagnosis = onDiagnosis != null ? onDiagnosis : d -> { };
    }

    /**
     * The default interval for a run of {@code stepsPerEpoch}: 50 steps, fewer for short epochs (at least 10 records
     * per epoch). At 50 the recording costs about 2% of lenet5's training time on MNIST (a record costs as much CPU
     * time as one lenet5 step; smallvgg's steps are heavier, so less there) and a 15-epoch smallvgg run on CIFAR-10
     * writes a run file of about 4 MB. See docs/training-statistics.md for the measurements.
     */
    public static int defaultEvery(long stepsPerEpoch) {
        return (int) Math.max(1, Math.min(50, stepsPerEpoch / 10));
    }

    public Path file() {
        return file;
    }

    public int every() {
        return every;
    }

    /** Every diagnosis made so far (those from an earlier part of a resumed run included). */
    public List<Diagnosis> diagnoses() {
        return Collections.unmodifiableList(diagnoses);
    }

    /** Whether step {@code step} (1-based) gets a stats record: 1, 2, 4, ... below the interval, then its multiples. */
    public boolean records(long step) {
        return step % every == 0 || (step < every && Long.bitCount(step) == 1);
    }

    /**
     * Trainer: training starts (or resumes after {@code epochsDone} epochs at step {@code step}). Writes the
     * header, or continues the file of the interrupted run.
     */
    public void start(Model model, Map<String, String> config, String dataset, int epochsDone, long step) {
        this.model = model;
        this.params = model.params();
        this.layers = new ArrayList<>();
        for (Layer l : model.allLayers()) if (!(l instanceof Flatten)) layers.add(l);
        this.before = new float[params.size()][];
        int largest = 0;
        for (int i = 0; i < params.size(); i++) {
            before[i] = new float[params.get(i).value().size()];
            largest = Math.max(largest, before[i].length);
        }
        this.scratch = new float[largest];
        RunRecord.Header header = header(model, config, dataset);
        diagnoser = new Diagnoser(header);
        String now = Instant.now().toString();
        if (step > 0 && Files.isRegularFile(file)) {
            Run run = RunReader.read(file);
            if (!run.header().params().stream().map(RunRecord.ParamInfo::name).toList()
                    .equals(header.params().stream().map(RunRecord.ParamInfo::name).toList())) {
                throw new IllegalArgumentException("run file " + file + " belongs to a different network (" + run.header().arch()
                        + "); move it away or choose another with --run");
            }
            for (RunRecord.Stats s : run.stats()) if (s.step() <= step) diagnoser.add(s);
            for (Diagnosis d : run.diagnoses()) {
                if (d.seenAt() <= step) {
                    diagnoser.alreadyReported(d);
                    diagnoses.add(d);
                }
            }
            out = RunFile.resume(file, run.validBytes(), new RunRecord.Resume(epochsDone, step, now));
        } else if (step > 0) {
            out = RunFile.create(file, header);
            out.append(new RunRecord.Resume(epochsDone, step, now));
        } else {
            out = RunFile.create(file, header);
        }
    }

    private RunRecord.Header header(Model model, Map<String, String> config, String dataset) {
        List<RunRecord.ParamInfo> ps = new ArrayList<>();
        for (Param p : params) {
            int dot = p.name().lastIndexOf('.');
            ps.add(new RunRecord.ParamInfo(p.name(), dot < 0 ? p.name() : p.name().substring(0, dot), p.value().shape(), p.decay()));
        }
        // One sample through the network in inference mode, to learn every layer's output shape.
        int[] in = model.inputShape();
        int[] shape = new int[in.length + 1];
        shape[0] = 1;
        System.arraycopy(in, 0, shape, 1, in.length);
        model.forward(Tensor.zeros(shape), false);
        List<RunRecord.LayerInfo> ls = new ArrayList<>();
        for (Layer l : layers) {
            int[] s = l.output().shape();
            ls.add(new RunRecord.LayerInfo(l.name(), l.getClass().getSimpleName(), java.util.Arrays.copyOfRange(s, 1, s.length)));
        }
        return new RunRecord.Header(RunRecord.FORMAT, RunRecord.VERSION, model.arch(), dataset == null ? "" : dataset,
                Map.copyOf(config), every, Histogram.MIN_EXP, Histogram.MAX_EXP, ps, ls, Instant.now().toString());
    }

    /** Trainer, on a recorded step, after forward and before backward: summarizes every layer's output. */
    public void activations() {
        layerStats = new ArrayList<>(layers.size());
        for (Layer l : layers) layerStats.add(layerStats(l, l.output()));
    }

    static RunRecord.LayerStats layerStats(Layer l, Tensor y) {
        Summary s = Summary.of(y.data(), y.size());
        Float saturated = null;
        if (l instanceof Sigmoid || l instanceof Tanh) {
            boolean sig = l instanceof Sigmoid;
            float[] d = y.data();
            int n = 0;
            for (int i = 0, len = y.size(); i < len; i++) {
                float v = d[i];
                if (sig ? v < 0.01f || v > 0.99f : Math.abs(v) > 0.99f) n++;
            }
            saturated = y.size() == 0 ? 0f : (float) n / y.size();
        }
        return new RunRecord.LayerStats(s, deadShare(y), saturated);
    }

    /** Share of units (dimension 1 of [N, C, ...]) that are zero at every sample and position. */
    static float deadShare(Tensor y) {
        if (y.rank() < 2) return 0;
        int n = y.dim(0), c = y.dim(1), inner = y.size() / Math.max(1, n * c);
        float[] d = y.data();
        boolean[] alive = new boolean[c];
        int living = 0;
        for (int i = 0; i < n && living < c; i++) {
            for (int ch = 0; ch < c; ch++) {
                if (alive[ch]) continue;
                int base = (i * c + ch) * inner;
                for (int j = 0; j < inner; j++) {
                    if (d[base + j] != 0f) {
                        alive[ch] = true;
                        living++;
                        break;
                    }
                }
            }
        }
        return c == 0 ? 0 : (float) (c - living) / c;
    }

    /** Trainer, on a recorded step, after backward and before the optimizer step: values, gradients, and a copy of the weights. */
    public void beforeUpdate() {
        values = new ArrayList<>(params.size());
        grads = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            float[] w = p.value().data();
            System.arraycopy(w, 0, before[i], 0, before[i].length);
            values.add(Summary.of(w, before[i].length));
            grads.add(Summary.of(p.grad().data(), before[i].length));
        }
    }

    /**
     * Trainer, after every step (once the weights are updated and checked): adds the batch to the running means;
     * on a recorded step also measures the updates, writes the record and runs the diagnoses.
     */
    public void afterStep(long step, int epoch, double lr, float loss, int batchCorrect, int batchSize) {
        lossSum += (double) loss * batchSize;
        correct += batchCorrect;
        seen += batchSize;
        lastLr = lr;
        if (values == null) return;
        List<RunRecord.ParamStats> ps = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            float[] w = params.get(i).value().data();
            Summary u = Summary.ofDifference(w, before[i], before[i].length, scratch);
            float norm = values.get(i).norm();
            ps.add(new RunRecord.ParamStats(values.get(i), grads.get(i), u, norm > 0 ? u.norm() / norm : null));
        }
        List<RunRecord.LayerStats> ls = layerStats != null ? layerStats : List.of();
        RunRecord.Stats s = new RunRecord.Stats(step, epoch, lr, loss, (float) (lossSum / seen), (float) correct / seen, ps, ls);
        values = grads = null;
        layerStats = null;
        lossSum = 0;
        seen = correct = 0;
        out.append(s);
        if (ls.size() == layers.size()) report(diagnoser.add(s));
    }

    /** Trainer, after every epoch: train and test loss and accuracy, learning rate, time, throughput. */
    public void epoch(int epoch, long step, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                      double seconds, double imagesPerSecond) {
        out.append(new RunRecord.Epoch(epoch, step, trainLoss, trainAccuracy, testLoss, testAccuracy, lastLr, seconds, imagesPerSecond));
    }

    /** Trainer: training stopped at a non-finite value in step {@code step} (1-based). Writes the diagnosis and the end. */
    public void diverged(long step, String detail) {
        report(diagnoser.diverged(step, detail));
        out.append(new RunRecord.End("diverged", step, detail));
        out.close();
    }

    /** Trainer: training finished after step {@code step}. */
    public void finish(long step) {
        out.append(new RunRecord.End("finished", step, ""));
        out.close();
    }

    /** Closes the run file if training stopped some other way (an exception); does nothing after finish or diverged. */
    public void close() {
        if (out != null) out.close();
    }

    private void report(List<Diagnosis> found) {
        for (Diagnosis d : found) {
            out.append(d);
            diagnoses.add(d);
            onDiagnosis.accept(d);
        }
    }
}
