package glassbox.cli;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.model.Zoo;
import glassbox.train.Evaluation;
import glassbox.train.ImageData;
import glassbox.train.Normalization;
import glassbox.train.StoppedException;
import glassbox.train.TrainConfig;
import glassbox.train.Trainer;
import glassbox.train.stats.RunFile;
import glassbox.train.stats.RunRecord;
import glassbox.train.stats.StatsRecorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * {@code ./glassbox train}: trains a zoo model on a data set, checkpointing every epoch, and writes the
 * trained model file. Ends with a line {@code test accuracy: 99.12%}.
 *
 * <p>Nothing is lost: before the first step it checks that the model and checkpoint can be written
 * ({@link Outputs#probeFile}), takes the output's lock ({@link Outputs.Lock}) and refuses an output that
 * already holds a model unless {@code --force} (or {@code --resume}). Without {@code --out} each run gets a
 * new numbered file under {@code runs/}. Ctrl-C or a kill stops it at the next step with a checkpoint that
 * {@code --resume} continues as if it had never stopped.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model from the zoo (linear, mlp, lenet5, smallvgg, alexnet, resnet20) and write it to a file.",
                "Checkpoints after every epoch; --resume continues from the last one with bit-identical results,",
                "or extends the run when given more epochs. An --out that holds a model is never overwritten",
                "without --force, and two trainings cannot write the same file at once."})
public final class TrainCommand implements Callable<Integer> {
    /** Where models go when --out is not given: never the shipped models' folder, never an earlier run's file. */
    static final Path RUNS = Path.of("runs");

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Architecture: ${COMPLETION-CANDIDATES} (any case).", completionCandidates = ZooNames.class)
    String model;

    @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10 or sample (the embedded MNIST sample, offline); any case. Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Mixin
    DataOptionsMixin data;

    @Option(names = "--epochs", defaultValue = "5", paramLabel = "N", converter = Checked.AtLeastOne.class, description = "Passes over the training set (>= 1). Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N", converter = Checked.AtLeastOne.class, description = "Mini-batch size (>= 1). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", paramLabel = "RATE", converter = Checked.Positive.class, description = "Peak learning rate (> 0). Default: 0.05 for sgd/nesterov, 0.001 for adam/adamw.")
    Double lr;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Choices.Optimizer optimizer;

    @Option(names = "--momentum", paramLabel = "M", converter = Checked.Fraction.class, description = "sgd/nesterov momentum (0 to below 1). Default: 0.9.")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", converter = Checked.NonNegative.class, description = "Weight decay on weights, not biases (>= 0). Default: 5e-4 for cifar10, else 0.")
    Double weightDecay;

    @Option(names = "--schedule", defaultValue = "onecycle", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Choices.Schedule schedule;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "EPOCHS", converter = Checked.NonNegative.class, description = "Linear warm-up in epochs, fractions allowed (>= 0). Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--clip", defaultValue = "0", paramLabel = "NORM", converter = Checked.NonNegative.class, description = "Clip the global gradient norm to this (>= 0; 0: off). Default: ${DEFAULT-VALUE}.")
    double clip;

    @Option(names = "--augment", negatable = true, description = "Random crop (4-pixel padding) and horizontal flip. Default: on for cifar10.")
    Boolean augment;

    @Option(names = "--hidden", paramLabel = "WIDTHS", description = "mlp only: hidden widths, e.g. 256 or 512,256. Default: 256.")
    String hidden;

    @Option(names = "--kernel1", paramLabel = "K", description = "Side of the first layer's kernels, odd (lenet5, smallvgg, alexnet, resnet20). Default: the model's (5 or 3).")
    Integer kernel1;

    @Option(names = "--batch-norm", negatable = true, description = "Batch norm after every conv (smallvgg: default off; alexnet: default on).")
    Boolean batchNorm;

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout after each hidden FC layer (mlp, smallvgg: default 0; alexnet: 0.5).")
    Float dropout;

    @Mixin
    ThreadsMixin threads;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", converter = Checked.AnyLong.class, description = "Seeds init, shuffling, augmentation, dropout. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--limit", paramLabel = "N", converter = Checked.AtLeastOne.class, description = "Train on the first N training images only (>= 1; quick experiments).")
    Integer limit;

    @Option(names = "--out", paramLabel = "FILE", description = "Model file to write. Default: runs/<model>-<dataset>-<n>.gbx with the next free n.")
    Path out;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Checkpoint file, rewritten after every epoch. Default: <out>.ckpt.")
    Path checkpoint;

    @Option(names = "--resume", description = "Continue from the checkpoint (same settings; more epochs extend the run). "
            + "Without --out: the newest runs/<model>-<dataset>-<n>.")
    boolean resume;

    @Option(names = "--force", description = "Replace the model and checkpoint already at --out (otherwise refused).")
    boolean force;

    /** Whether to record training statistics. */
    enum Stats { on, off }

    @Option(names = "--stats", defaultValue = "on", description = "Record weight, gradient, update and activation statistics and diagnose problems: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Stats stats;

    @Option(names = "--stats-every", paramLabel = "N", converter = Checked.StatsEvery.class, description = "Record statistics every N steps (1..1000000). Default: 50, fewer for short epochs.")
    Integer statsEvery;

    @Option(names = "--run", paramLabel = "FILE", description = "Run file for the statistics. Default: <out> with .run.jsonl in place of .gbx.")
    Path run;

    @Override
    public Integer call() throws Exception {
        model = model.toLowerCase(Locale.ROOT);
        dataset = dataset.startsWith("folder:") ? dataset : dataset.toLowerCase(Locale.ROOT);
        if (!Zoo.NAMES.contains(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "'; the zoo has " + String.join(", ", Zoo.NAMES));
        }
        if (momentum != null && optimizer.adaptive()) {
            throw new IllegalArgumentException("--momentum is for sgd and nesterov; " + optimizer + " keeps its own moment estimates");
        }
        if (hidden != null && !model.equals("mlp")) {
            throw new IllegalArgumentException("--hidden sets the hidden widths of mlp; " + model + " has none");
        }
        if (hidden != null && !hidden.matches("\\s*[1-9]\\d{0,6}\\s*(,\\s*[1-9]\\d{0,6}\\s*)*")) {
            throw new IllegalArgumentException("--hidden must be widths >= 1 separated by commas, e.g. 256 or 512,256; got '" + hidden + "'");
        }
        if (out == null) {
            out = defaultOut(RUNS, model, fileStem(dataset), resume);
            System.out.println((resume ? "no --out given: resuming " : "no --out given: writing ") + out);
        }
        if (kernel1 != null && (kernel1 < 1 || kernel1 > 15 || kernel1 % 2 == 0)) {
            throw new IllegalArgumentException("--kernel1 must be odd, 1 to 15, got " + kernel1);
        }
        if (dropout != null && !(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        if (checkpoint == null) checkpoint = Path.of(out + ".ckpt");
        // Before anything slow: can we write there, is anyone else writing there, would we destroy a model?
        Outputs.probeFile(out, "--out");
        Outputs.probeFile(checkpoint, "--checkpoint");
        try (Outputs.Lock lock = Outputs.Lock.acquire(out, "glassbox train --model " + model + " --dataset " + dataset + " --out " + out)) {
            if (resume || !force) refuseToOverwrite();
            return train();
        }
    }

    /** Refuses to replace a model or checkpoint unless --force, or --resume for the checkpoint (which must exist). */
    private void refuseToOverwrite() {
        if (resume) {
            if (!Files.exists(checkpoint)) {
                throw new IllegalArgumentException("no checkpoint at " + checkpoint + " to resume from"
                        + (Files.exists(out) ? " (" + out + " holds a finished model; --force starts over)" : ""));
            }
            return;
        }
        if (Files.exists(out)) {
            throw new IllegalArgumentException(out + " already holds " + describe(out) + "; nothing was changed. Pass --force to replace it, "
                    + (Files.exists(checkpoint) ? "--resume (with more --epochs) to continue it, " : "") + "or choose another --out");
        }
        if (Files.exists(checkpoint)) {
            throw new IllegalArgumentException(checkpoint + " holds the checkpoint of an unfinished run (" + describe(checkpoint)
                    + "); pass --resume to continue it or --force to start over");
        }
    }

    /** "a lenet5 trained on mnist (test accuracy 99.02%)", or what makes the file unreadable. */
    static String describe(Path file) {
        try {
            ModelFile f = ModelIO.load(file);
            String ds = f.meta().get("dataset"), acc = f.meta().get("test_accuracy"), done = f.meta().get("checkpoint.epoch");
            return "a " + f.arch() + (ds != null ? " trained on " + ds : "")
                    + (done != null ? " after epoch " + done + " of " + f.meta().getOrDefault("train.epochs", "?") : "")
                    + (acc != null ? String.format(Locale.ROOT, ", test accuracy %.2f%%", 100 * Double.parseDouble(acc)) : "");
        } catch (IOException | RuntimeException e) {
            return "a file that is not a readable model (" + Main.message(e) + ")";
        }
    }

    /**
     * {@code runs/<model>-<dataset>-<n>.gbx}: for a new run the next n no file (model, checkpoint, lock) uses yet; for --resume the
     * highest n that has a checkpoint.
     */
    static Path defaultOut(Path runs, String model, String dataset, boolean resume) throws IOException {
        String stem = model + "-" + dataset + "-";
        Pattern numbered = Pattern.compile("\\.?" + Pattern.quote(stem) + "(\\d{1,9})\\.gbx(\\..*)?"); // also .name.lock
        int highest = 0, highestCheckpoint = 0;
        if (Files.isDirectory(runs)) {
            try (var files = Files.list(runs)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Matcher m = numbered.matcher(p.getFileName().toString());
                    if (!m.matches()) continue;
                    int n = Integer.parseInt(m.group(1));
                    highest = Math.max(highest, n);
                    if (".ckpt".equals(m.group(2))) highestCheckpoint = Math.max(highestCheckpoint, n);
                }
            }
        }
        if (resume) {
            if (highestCheckpoint == 0) {
                throw new IllegalArgumentException("--resume without --out: no checkpoint " + runs.resolve(stem + "<n>.gbx.ckpt") + " to resume");
            }
            return runs.resolve(stem + highestCheckpoint + ".gbx");
        }
        return runs.resolve(stem + (highest + 1) + ".gbx");
    }

    private int train() throws IOException {
        int t = threads.apply();
        boolean cifar = dataset.equals("cifar10");
        double wd = weightDecay != null ? weightDecay : cifar ? 5e-4 : 0;
        double rate = lr != null ? lr : optimizer.adaptive() ? 1e-3 : 0.05;
        boolean aug = augment != null ? augment : cifar;

        Datasets.Splits splits = data.loadSplits(dataset);
        Dataset trainSet = splits.train(), testSet = splits.test();
        if (limit != null) trainSet = trainSet.subset(IntStream.range(0, Math.min(limit, trainSet.size())).toArray());
        ImageData train = trainSet.asImageData(), test = testSet.asImageData();
        Normalization norm = Normalization.of(train);

        Map<String, String> options = zooOptions(train.sampleShape(), train.classNames().size());
        Model m = Zoo.build(model, options, seed);
        TrainConfig cfg = new TrainConfig(epochs, batch, rate, optimizer.toString(), momentum != null ? momentum : 0.9, wd, schedule.toString(), warmup, clip, aug, seed, checkpoint);
        Trainer trainer = new Trainer(m, options, train, test, norm, cfg).meta("dataset", dataset);
        if (resume) resume(trainer, t);
        StatsRecorder recorder = null;
        if (stats == Stats.on) {
            int every = statsEvery != null ? statsEvery : StatsRecorder.defaultEvery(trainer.stepsPerEpoch());
            recorder = new StatsRecorder(run != null ? run : RunFile.besideModel(out), every,
                    d -> System.out.println("\ndiagnosis: " + describe(d)));
            trainer.record(recorder);
        }

        System.out.printf(Locale.ROOT, "training %s (%,d parameters) on %s: %,d train / %,d test images, %s, batch %d, %s lr %s %s%s, %s, seed %d%n",
                model, m.paramCount(), dataset, train.size(), test.size(), plural(epochs, "epoch"), batch, optimizer, fmt(rate), schedule,
                aug ? ", augmented" : "", plural(t, "thread"), seed);
        long t0 = System.nanoTime();
        var bar = System.console() != null && System.console().isTerminal() ? System.err : null;
        Evaluation ev;
        // Ctrl-C or kill (SIGINT/SIGTERM): stop at the next step boundary with a checkpoint of that step, which
        // --resume continues bit for bit, rather than lose the epoch in progress. The JVM waits for this hook.
        CountDownLatch ended = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            trainer.stop();
            try {
                ended.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-training-on-signal");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            ev = trainer.fit(new TrainProgress(System.out, bar));
        } catch (StoppedException e) {
            System.out.printf(Locale.ROOT, "%nstopped at step %d by a signal; checkpoint %s; the same command with --resume continues%n",
                    e.step(), checkpoint);
            System.out.flush();
            return 130;
        } finally {
            if (recorder != null) summary(recorder);
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal); // so a JVM that trains many times keeps no trainer alive
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and has just been released
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("train.threads", Integer.toString(t));
        // wall-clock time goes to this run's output, not the file: the same training writes the same bytes
        meta.put("java.version", System.getProperty("java.version"));
        ModelIO.save(trainer.snapshot(meta), out);
        System.out.printf(Locale.ROOT, "trained in %.1f s; model written to %s (checkpoint %s)%n", secs, out, checkpoint);
        System.out.printf(Locale.ROOT, "test accuracy: %.2f%%%n", 100 * ev.accuracy());
        return 0;
    }

    /** The zoo build options these arguments give for samples of shape [C, H, W] and {@code classes} classes. */
    Map<String, String> zooOptions(int[] sampleShape, int classes) {
        Map<String, String> options = new LinkedHashMap<>(Zoo.options(sampleShape, classes));
        if (hidden != null) options.put("hidden", hidden.replace(" ", ""));
        if (kernel1 != null) options.put("kernel1", Integer.toString(kernel1));
        if (batchNorm != null) options.put("batchnorm", Boolean.toString(batchNorm));
        if (dropout != null) options.put("dropout", Float.toString(dropout));
        return options;
    }

    /** Loads the checkpoint into {@code trainer}, saying what differs from an uninterrupted run. */
    private void resume(Trainer trainer, int t) throws IOException {
        ModelFile ck = ModelIO.load(checkpoint);
        String ckThreads = ck.meta().get("train.threads");
        if (ckThreads != null && !ckThreads.equals(Integer.toString(t))) {
            System.out.println("note: the checkpoint was made with " + plural(Integer.parseInt(ckThreads), "thread") + ", this run uses " + t
                    + "; results will not be bit-identical to an uninterrupted run");
        }
        trainer.resume(ck);
        int planned = Integer.parseInt(ck.meta().getOrDefault("train.epochs", Integer.toString(epochs)));
        if (planned < epochs) {
            System.out.printf(Locale.ROOT, "extending the run from %s to %d: the %s schedule is planned again over %d epochs; "
                            + "training continues at its step %d with learning rate %.3g (the plan for %s had ended at %.3g)%n",
                    plural(planned, "epoch"), epochs, schedule, epochs, trainer.step(),
                    trainer.learningRate(trainer.step()), plural(planned, "epoch"), lrAtEndOf(planned, trainer));
        }
    }

    /** The learning rate at the last step of the checkpoint's original plan of {@code planned} epochs. */
    private double lrAtEndOf(int planned, Trainer trainer) {
        long perEpoch = trainer.stepsPerEpoch();
        return glassbox.optim.LrSchedule.named(schedule.toString(), lr != null ? lr : optimizer.adaptive() ? 1e-3 : 0.05,
                perEpoch * planned, Math.round(warmup * perEpoch)).at(perEpoch * planned - 1);
    }

    /** The data set's name as part of a file name: "mnist", or the folder's own name for folder:DIR. */
    static String fileStem(String dataset) {
        String s = dataset.startsWith("folder:") ? Path.of(dataset.substring(7)).toAbsolutePath().normalize().getFileName() + "" : dataset;
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** "1 epoch", "3 epochs". */
    static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The diagnoses at the end of training (or "none"), and where the statistics went. */
    private static void summary(StatsRecorder r) {
        if (r.diagnoses().isEmpty()) {
            System.out.println("diagnoses: none (statistics every " + r.every() + " steps in " + r.file() + ")");
            return;
        }
        System.out.println("diagnoses (statistics every " + r.every() + " steps in " + r.file() + "):");
        for (RunRecord.Diagnosis d : r.diagnoses()) System.out.println("  " + describe(d));
        System.out.println("charts: ./glassbox viz training --run " + r.file() + " --out out/training");
    }

    static String describe(RunRecord.Diagnosis d) {
        return d.problem().words() + (d.subject().isEmpty() ? "" : " in " + d.subject()) + " since step " + d.step()
                + " (seen at step " + d.seenAt() + "): " + d.message();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }

    /** Zoo names for picocli's completion candidates and help. */
    static final class ZooNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Zoo.NAMES.iterator();
        }
    }
}
