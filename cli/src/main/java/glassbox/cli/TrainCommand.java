package glassbox.cli;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.Split;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.model.Zoo;
import glassbox.train.Evaluation;
import glassbox.train.ImageData;
import glassbox.train.Normalization;
import glassbox.train.TrainConfig;
import glassbox.train.Trainer;
import glassbox.train.stats.RunFile;
import glassbox.train.stats.RunRecord;
import glassbox.train.stats.StatsRecorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox train}: trains a zoo model on a data set, checkpointing every epoch, and writes the
 * trained model file. Ends with a line {@code test accuracy: 99.12%}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model from the zoo (linear, mlp, lenet5, smallvgg, resnet20) and write it to a file.",
                "Checkpoints after every epoch; --resume continues from the last one with bit-identical results."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Architecture: ${COMPLETION-CANDIDATES}.", completionCandidates = ZooNames.class)
    String model;

    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist, fashion, cifar10 or sample (the embedded MNIST sample, offline). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Mixin
    DataOptionsMixin data;

    @Option(names = "--epochs", defaultValue = "5", description = "Passes over the training set. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", description = "Peak learning rate. Default: 0.05 for sgd/nesterov, 0.001 for adam/adamw.")
    Double lr;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Choices.Optimizer optimizer;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
    double momentum;

    @Option(names = "--weight-decay", description = "Weight decay on weights (not biases). Default: 5e-4 for cifar10, else 0.")
    Double weightDecay;

    @Option(names = "--schedule", defaultValue = "onecycle", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Choices.Schedule schedule;

    @Option(names = "--warmup", defaultValue = "0", description = "Linear warm-up in epochs (fractions allowed). Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--clip", defaultValue = "0", description = "Clip the global gradient norm to this (0: off). Default: ${DEFAULT-VALUE}.")
    double clip;

    @Option(names = "--augment", negatable = true, description = "Random crop (4-pixel padding) and horizontal flip. Default: on for cifar10.")
    Boolean augment;

    @Option(names = "--hidden", description = "mlp hidden widths, e.g. 256 or 512,256.")
    String hidden;

    @Mixin
    ThreadsMixin threads;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds init, shuffling, augmentation, dropout. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--limit", description = "Train on the first N training samples only (quick experiments).")
    Integer limit;

    @Option(names = "--out", description = "Model file to write. Default: models/<model>-<dataset>.gbx.")
    Path out;

    @Option(names = "--checkpoint", description = "Checkpoint file, rewritten after every epoch. Default: <out>.ckpt.")
    Path checkpoint;

    @Option(names = "--resume", description = "Continue from the checkpoint (same settings required).")
    boolean resume;

    /** Whether to record training statistics. */
    enum Stats { on, off }

    @Option(names = "--stats", defaultValue = "on", description = "Record weight, gradient, update and activation statistics and diagnose problems: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Stats stats;

    @Option(names = "--stats-every", paramLabel = "N", description = "Record statistics every N steps (1..1000000). Default: 50, fewer for short epochs.")
    Integer statsEvery;

    @Option(names = "--run", paramLabel = "FILE", description = "Run file for the statistics. Default: <out> with .run.jsonl in place of .gbx.")
    Path run;

    @Override
    public Integer call() throws Exception {
        int t = threads.apply();
        if (out == null) out = Path.of("models", model + "-" + dataset + ".gbx");
        if (checkpoint == null) checkpoint = Path.of(out + ".ckpt");
        boolean cifar = dataset.equalsIgnoreCase("cifar10");
        double wd = weightDecay != null ? weightDecay : cifar ? 5e-4 : 0;
        double rate = lr != null ? lr : optimizer.adaptive() ? 1e-3 : 0.05;
        boolean aug = augment != null ? augment : cifar;

        Dataset trainSet = Datasets.load(dataset, Split.TRAIN, data.options());
        Dataset testSet = Datasets.load(dataset, Split.TEST, data.options());
        if (limit != null) trainSet = trainSet.subset(java.util.stream.IntStream.range(0, Math.min(limit, trainSet.size())).toArray());
        ImageData train = trainSet.asImageData(), test = testSet.asImageData();
        Normalization norm = Normalization.of(train);

        Map<String, String> options = new LinkedHashMap<>(Zoo.options(train.sampleShape(), train.classNames().size()));
        if (hidden != null) options.put("hidden", hidden);
        Model m = Zoo.build(model, options, seed);
        TrainConfig cfg = new TrainConfig(epochs, batch, rate, optimizer.toString(), momentum, wd, schedule.toString(), warmup, clip, aug, seed, checkpoint);
        Trainer trainer = new Trainer(m, options, train, test, norm, cfg).meta("dataset", dataset.toLowerCase(Locale.ROOT));
        if (resume) {
            if (!Files.exists(checkpoint)) throw new IllegalArgumentException("no checkpoint at " + checkpoint + " to resume from");
            ModelFile ck = ModelIO.load(checkpoint);
            String ckThreads = ck.meta().get("train.threads");
            if (ckThreads != null && !ckThreads.equals(Integer.toString(t))) {
                System.out.println("note: the checkpoint was made with " + ckThreads + " threads, this run uses " + t
                        + "; results will not be bit-identical to an uninterrupted run");
            }
            trainer.resume(ck);
        }
        StatsRecorder recorder = null;
        if (stats == Stats.on) {
            if (statsEvery != null && (statsEvery < 1 || statsEvery > 1_000_000)) {
                throw new IllegalArgumentException("--stats-every must be in 1..1000000, got " + statsEvery);
            }
            int every = statsEvery != null ? statsEvery : StatsRecorder.defaultEvery(trainer.stepsPerEpoch());
            recorder = new StatsRecorder(run != null ? run : RunFile.besideModel(out), every,
                    d -> System.out.println("\ndiagnosis: " + describe(d)));
            trainer.record(recorder);
        }

        System.out.printf(Locale.ROOT, "training %s (%,d parameters) on %s: %,d train / %,d test images, %d epochs, batch %d, %s lr %s %s%s, %d threads, seed %d%n",
                model, m.paramCount(), dataset, train.size(), test.size(), epochs, batch, optimizer, fmt(rate), schedule,
                aug ? ", augmented" : "", t, seed);
        long t0 = System.nanoTime();
        var bar = System.console() != null && System.console().isTerminal() ? System.err : null;
        Evaluation ev;
        try {
            ev = trainer.fit(new TrainProgress(System.out, bar));
        } finally {
            if (recorder != null) summary(recorder);
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
