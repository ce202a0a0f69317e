package glassbox.train;

import glassbox.kernels.Parallel;
import glassbox.layers.Conv2d;
import glassbox.layers.Layer;
import glassbox.layers.Linear;
import glassbox.layers.NonFiniteException;
import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Architecture;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.optim.Adam;
import glassbox.optim.AdamW;
import glassbox.optim.GradClip;
import glassbox.optim.LrSchedule;
import glassbox.optim.Optimizer;
import glassbox.optim.SGD;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import glassbox.train.stats.StatsRecorder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Mini-batch training with softmax cross-entropy: deterministic, resumable, and stopped at the first
 * NaN or infinity.
 *
 * <p>One step: set the scheduled learning rate; zero gradients; forward; loss; backward; check the loss
 * and every gradient are finite; clip (optional); optimizer step; check every parameter is finite. The
 * next batch is prepared (shuffled, augmented, normalized) on a background thread while this one
 * computes. After each epoch the test set is evaluated and a checkpoint is written atomically.
 *
 * <p>Determinism: initial weights, sample order, crops, flips and dropout masks are all functions of
 * (seed, epoch, batch or step) and the kernels split work into fixed chunks per thread count
 * ({@link Parallel}), so the same seed and thread count give the same bits, and a run resumed from the
 * checkpoint of epoch {@code e} ends with the same weights as one that never stopped.
 *
 * <p>Divergence: the per-step checks are a plain scan of the loss, gradients and parameters. When one
 * fails, the step is re-run on the same batch with every layer's finite checks on, which names the
 * first layer whose output or gradient went non-finite. The last checkpoint is left untouched.
 *
 * <p>Statistics: with a {@link StatsRecorder} ({@link #record}), chosen steps also summarize every layer's
 * output, every parameter's value, gradient and actual update into a run file, and diagnose what goes wrong.
 *
 * <p>Stopping: {@link #stop()} (from any thread) ends training at the next step boundary with a checkpoint
 * of that step ({@code checkpoint.batch} says how many batches of the epoch were done) and a
 * {@link StoppedException}. Batches are functions of (seed, epoch, batch), so resuming such a checkpoint
 * continues with the next batch and ends with the same weights as a run that never stopped; only the
 * train loss and accuracy reported for that epoch cover the batches after the stop alone.
 *
 * <p>Leaves out: validation splits and early stopping, mixed precision, gradient accumulation.
 */
public final class Trainer {
    private final Model model;
    private final Map<String, String> buildOptions;
    private final ImageData train, test;
    private final Normalization norm;
    private final TrainConfig cfg;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final Map<String, String> extraMeta = new LinkedHashMap<>();
    private float lastLoss;
    private int startEpoch;
    private long step;
    private double lastTestAccuracy = Double.NaN;
    private boolean checkpointWritten;
    private StatsRecorder stats; // null: no statistics
    private int skipBatches; // batches of epoch startEpoch already done by the run resumed (a stopped run's checkpoint)
    private volatile boolean stopRequested;

    /**
     * @param model        an initialized model (e.g. from the {@link glassbox.model.Zoo})
     * @param buildOptions the zoo options it was built with (stored in files so they can rebuild it)
     */
    public Trainer(Model model, Map<String, String> buildOptions, ImageData train, ImageData test,
                   Normalization norm, TrainConfig cfg) {
        this.model = model;
        this.buildOptions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(buildOptions)); // sorted, not Map.copyOf's per-JVM order
        this.train = train;
        this.test = test;
        this.norm = norm;
        this.cfg = cfg;
        this.optimizer = optimizer(cfg, model.params());
        long perEpoch = (train.size() + cfg.batch() - 1) / cfg.batch();
        this.schedule = LrSchedule.named(cfg.schedule(), cfg.lr(), perEpoch * cfg.epochs(), Math.round(cfg.warmupEpochs() * perEpoch));
        int k = model.outputShape(1)[1];
        if (k != train.classNames().size()) {
            throw new IllegalArgumentException(model.arch() + " has " + k + " outputs but the data has " + train.classNames().size() + " classes");
        }
    }

    /** Builds the optimizer named in the config over {@code params}. */
    public static Optimizer optimizer(TrainConfig cfg, List<Param> params) {
        return switch (cfg.optimizer()) {
            case "sgd" -> new SGD(params, cfg.lr(), cfg.momentum(), false, cfg.weightDecay());
            case "nesterov" -> new SGD(params, cfg.lr(), cfg.momentum(), true, cfg.weightDecay());
            case "adam" -> new Adam(params, cfg.lr(), cfg.weightDecay());
            case "adamw" -> new AdamW(params, cfg.lr(), cfg.weightDecay());
            default -> throw new IllegalArgumentException("unknown optimizer '" + cfg.optimizer() + "'; choose sgd, nesterov, adam or adamw");
        };
    }

    /** Metadata added to every file written (dataset name, etc.). */
    public Trainer meta(String key, String value) {
        extraMeta.put(key, value);
        return this;
    }

    /**
     * Continues from a checkpoint: weights, buffers, optimizer state, step and epoch. The checkpoint must
     * come from a run with the same settings (the error names the first one that differs), except that the
     * run may be extended: with more epochs than the checkpoint's run, the learning-rate schedule is planned
     * over the new length and training continues at the checkpoint's step of that plan
     * ({@link #learningRate}). A run cannot be shortened below the epochs the checkpoint already holds.
     */
    public void resume(ModelFile ckpt) {
        int done = Integer.parseInt(ckpt.require("checkpoint.epoch"));
        if (done > cfg.epochs()) {
            throw new IllegalArgumentException("checkpoint already holds " + done + " epochs but this run has epochs = "
                    + cfg.epochs() + "; ask for " + done + " or more epochs");
        }
        Map<String, String> want = cfg.asMeta();
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (e.getKey().equals("train.epochs")) continue; // extending a run is allowed (checked above)
            String had = ckpt.meta().get(e.getKey());
            if (!e.getValue().equals(had)) {
                throw new IllegalArgumentException("checkpoint was made with " + e.getKey().substring(6) + " = " + had
                        + " but this run has " + e.getValue() + "; resume with the same settings");
            }
        }
        if (!ckpt.arch().equals(model.arch())) {
            throw new IllegalArgumentException("checkpoint holds a " + ckpt.arch() + ", not a " + model.arch());
        }
        ckpt.loadInto(model);
        optimizer.loadState(ckpt.optimizerState());
        startEpoch = done;
        step = Long.parseLong(ckpt.require("checkpoint.step"));
        skipBatches = Integer.parseInt(ckpt.meta().getOrDefault("checkpoint.batch", "0"));
        if (skipBatches != 0 && (skipBatches < 0 || skipBatches >= stepsPerEpoch() || step != done * stepsPerEpoch() + skipBatches)) {
            throw new IllegalArgumentException("checkpoint was stopped after batch " + skipBatches + " of epoch " + (done + 1)
                    + " at step " + step + ", which does not fit epochs of " + stepsPerEpoch() + " batches; resume with the same data");
        }
        optimizer.setSteps(step);
        String acc = ckpt.meta().get("test_accuracy");
        if (acc != null) lastTestAccuracy = Double.parseDouble(acc);
        checkpointWritten = true;
    }

    /** The learning rate this run's schedule gives step {@code step} (0-based). */
    public double learningRate(long step) {
        return schedule.at(step);
    }

    /** Optimizer steps taken so far (the checkpoint's after {@link #resume}). */
    public long step() {
        return step;
    }

    /** Records training statistics with {@code recorder} during {@link #fit} (null: none). */
    public Trainer record(StatsRecorder recorder) {
        this.stats = recorder;
        return this;
    }

    /** Optimizer steps in one epoch. */
    public long stepsPerEpoch() {
        return (train.size() + cfg.batch() - 1) / cfg.batch();
    }

    public int startEpoch() {
        return startEpoch;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Asks training to stop at the next step boundary (callable from any thread, e.g. a server shutting down):
     * {@link #fit} then writes a checkpoint of that step and throws {@link StoppedException}.
     */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Trains the remaining epochs; returns the final evaluation on the test set.
     *
     * @throws StoppedException   after {@link #stop()}, once the checkpoint of the step is written
     * @throws DivergenceException at the first non-finite loss, gradient or parameter
     */
    public Evaluation fit(TrainListener listener) {
        if (startEpoch > 0) listener.onResume(startEpoch, step);
        if (stats != null) stats.start(model, cfg.asMeta(), extraMeta.get("dataset"), startEpoch, step);
        model.setRetain(false);
        boolean reuse = model.reusesBuffers();
        model.setReuseBuffers(true); // no per-step allocation: the heap stays small, the collector idle
        // Training never needs dL/d(images): the first layer may skip computing it (Conv2d and Linear honour it).
        Layer first = model.layers().getFirst();
        boolean firstInputGradient = first.computesInputGradient();
        if (first instanceof Conv2d || first instanceof Linear) first.setComputeInputGradient(false);
        ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "glassbox-batches");
            t.setDaemon(true);
            return t;
        });
        try {
            Evaluation last = null;
            try {
                for (int epoch = startEpoch; epoch < cfg.epochs(); epoch++) {
                    last = epoch(epoch, loader, listener);
                }
            } catch (DivergenceException e) {
                if (stats != null) stats.diverged(e.step() + 1, e.getMessage());
                throw e;
            }
            if (stats != null) stats.finish(step);
            return last != null ? last : Evaluation.of(model, test, norm, 256);
        } finally {
            if (stats != null) stats.close();
            loader.shutdownNow();
            model.setRetain(true);
            model.setReuseBuffers(reuse);
            first.setComputeInputGradient(firstInputGradient);
        }
    }

    private Evaluation epoch(int epoch, ExecutorService loader, TrainListener listener) {
        int pad = cfg.augment() ? 4 : 0;
        Batches batches = new Batches(train, norm, cfg.batch(), cfg.seed(), epoch, true, pad, cfg.augment());
        int nb = batches.count();
        long t0 = System.nanoTime();
        double lossSum = 0;
        long seen = 0, correct = 0;
        int first = epoch == startEpoch ? skipBatches : 0; // a stopped run resumes after its last batch
        Future<Batches.Batch> next = loader.submit(() -> batches.get(first));
        for (int b = first; b < nb; b++) {
            if (stopRequested) throw stopped(epoch, b);
            Batches.Batch bt = await(next);
            if (b + 1 < nb) {
                final int nextIndex = b + 1;
                next = loader.submit(() -> batches.get(nextIndex)); // prepared while this batch computes
            }
            double lr = schedule.at(step);
            optimizer.setLr(lr);
            boolean recorded = stats != null && stats.records(step + 1);
            Tensor logits = forwardBackward(bt, recorded);
            float l = lastLoss;
            checkFinite(l, bt, epoch, b, nb);
            if (recorded) stats.beforeUpdate(); // weights and gradients, before clipping and the step
            if (cfg.clipNorm() > 0) GradClip.clip(model.params(), cfg.clipNorm());
            optimizer.step();
            checkParams(epoch, b, nb);
            int[] pred = Evaluation.argmax(logits);
            int batchCorrect = 0;
            for (int i = 0; i < bt.n(); i++) if (pred[i] == bt.y()[i]) batchCorrect++;
            correct += batchCorrect;
            lossSum += (double) l * bt.n();
            seen += bt.n();
            step++;
            if (stats != null) stats.afterStep(step, epoch + 1, lr, l, batchCorrect, bt.n());
            double secs = (System.nanoTime() - t0) / 1e9;
            listener.onStep(new TrainListener.Step(epoch + 1, cfg.epochs(), b + 1, nb, step, lossSum / seen,
                    (double) correct / seen, seen / Math.max(secs, 1e-9), secs, lr));
        }
        double trainSecs = (System.nanoTime() - t0) / 1e9;
        Evaluation ev = Evaluation.of(model, test, norm, 256);
        lastTestAccuracy = ev.accuracy();
        writeCheckpoint(epoch + 1);
        if (stats != null) {
            stats.epoch(epoch + 1, step, lossSum / seen, (double) correct / seen, ev.loss(), ev.accuracy(), trainSecs, seen / trainSecs);
        }
        listener.onEpoch(new TrainListener.Epoch(epoch + 1, cfg.epochs(), lossSum / seen, (double) correct / seen,
                ev.accuracy(), trainSecs, seen / trainSecs));
        return ev;
    }

    /** zero grads, forward, loss (kept in {@link #lastLoss}), backward; returns the logits. */
    private Tensor forwardBackward(Batches.Batch bt, boolean recordActivations) {
        seedDropout();
        model.zeroGrad();
        Tensor logits = model.forward(input(model, bt), true);
        if (recordActivations) stats.activations(); // read before backward lets go of them
        lastLoss = loss.forward(logits, bt.y());
        model.backward(loss.backward());
        return logits;
    }

    /** Dropout masks of step s come from (seed, s): reproducible on resume. */
    private void seedDropout() {
        model.setSeed(Batches.mix(cfg.seed(), step, 1000));
    }

    private void checkFinite(float l, Batches.Batch bt, int epoch, int b, int nb) {
        boolean ok = Float.isFinite(l);
        for (Param p : model.params()) {
            if (!ok) break;
            ok = p.grad().firstNonFinite() < 0;
        }
        if (ok) return;
        // Re-run the step with per-layer checks on to find where the value first appeared.
        String where, what;
        model.setCheckFinite(true);
        try {
            forwardBackward(bt, false);
            where = "loss";
            what = "loss is " + lastLoss;
            for (Param p : model.params()) {
                if (p.grad().firstNonFinite() >= 0) {
                    where = layerOf(p.name());
                    what = "gradient of parameter " + p.name() + " is not finite";
                    break;
                }
            }
        } catch (NonFiniteException e) {
            where = e.layer();
            what = e.getMessage();
        } finally {
            model.setCheckFinite(false);
        }
        throw diverged(where, what + " (loss " + l + ")", epoch, b, nb);
    }

    private void checkParams(int epoch, int b, int nb) {
        for (Param p : model.params()) {
            int i = p.value().firstNonFinite();
            if (i >= 0) {
                throw diverged(layerOf(p.name()), "parameter " + p.name() + " became " + p.value().data()[i]
                        + " after the update (learning rate " + optimizer.lr() + " too high?)", epoch, b, nb);
            }
        }
    }

    private DivergenceException diverged(String where, String what, int epoch, int b, int nb) {
        String kept = checkpointWritten
                ? "last good checkpoint kept: " + cfg.checkpoint() + " (after epoch " + epoch + ")"
                : cfg.checkpoint() == null ? "no checkpoint file was requested" : "no checkpoint written yet (diverged in the first epoch)";
        return new DivergenceException(step, where, "training diverged at step " + step + " (epoch " + (epoch + 1)
                + ", batch " + (b + 1) + " of " + nb + ") in layer " + where + ": " + what + "; " + kept);
    }

    /** "conv1.weight" -> "conv1": parameters are named after their layer. */
    private static String layerOf(String param) {
        int dot = param.lastIndexOf('.');
        return dot < 0 ? param : param.substring(0, dot);
    }

    /** Writes the checkpoint of the step just taken (batch {@code b} of 0-based {@code epoch} comes next). */
    private StoppedException stopped(int epoch, int b) {
        writeCheckpoint(epoch, b);
        String where = "stopped at step " + step + " (epoch " + (epoch + 1) + ", after batch " + b + " of " + stepsPerEpoch() + ")";
        return new StoppedException(step, cfg.checkpoint(), where + (cfg.checkpoint() != null ? "; checkpoint " + cfg.checkpoint() : ""));
    }

    private void writeCheckpoint(int epochsDone) {
        writeCheckpoint(epochsDone, 0);
    }

    /** Checkpoint after {@code epochsDone} whole epochs and {@code batches} batches of the next one. */
    private void writeCheckpoint(int epochsDone, int batches) {
        checkpointWritten = false;
        if (cfg.checkpoint() == null) return;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("checkpoint.epoch", Integer.toString(epochsDone));
        meta.put("checkpoint.step", Long.toString(step));
        if (batches > 0) meta.put("checkpoint.batch", Integer.toString(batches));
        meta.put("train.threads", Integer.toString(Parallel.threads()));
        Map<String, Tensor> opt = new LinkedHashMap<>();
        optimizer.state().forEach((k, v) -> opt.put(ModelFile.OPTIMIZER_PREFIX + k, v));
        try {
            ModelIO.save(snapshot(meta).with(Map.of(), opt), cfg.checkpoint());
            checkpointWritten = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + cfg.checkpoint() + ": " + e.getMessage(), e);
        }
    }

    /** The model as a file: architecture, options, normalization, classes, weights, buffers and metadata. */
    public ModelFile snapshot(Map<String, String> moreMeta) {
        Map<String, String> meta = new LinkedHashMap<>(extraMeta);
        meta.putAll(cfg.asMeta());
        if (!Double.isNaN(lastTestAccuracy)) meta.put("test_accuracy", Double.toString(lastTestAccuracy));
        meta.putAll(moreMeta);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.state().forEach((k, v) -> tensors.put(k, v.copy()));
        return new ModelFile(model.arch(), buildOptions, model.inputShape(), train.classNames(),
                norm.mean(), norm.std(), meta, tensors, Architecture.of(model));
    }

    /** The batch as the model's input tensor: [n, inputShape...], sharing the batch's array. */
    static Tensor input(Model model, Batches.Batch bt) {
        int[] in = model.inputShape();
        int[] shape = new int[in.length + 1];
        shape[0] = bt.n();
        System.arraycopy(in, 0, shape, 1, in.length);
        if (Tensor.sizeOf(shape) != bt.x().length) {
            throw new IllegalArgumentException(model.arch() + " expects samples of shape " + java.util.Arrays.toString(in)
                    + " but the data has " + bt.x().length / Math.max(1, bt.n()) + " values per sample");
        }
        return new Tensor(bt.x(), shape);
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("preparing a batch failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
