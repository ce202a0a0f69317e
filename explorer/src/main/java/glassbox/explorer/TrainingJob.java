package glassbox.explorer;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.DataOptions;
import glassbox.kernels.Parallel;
import glassbox.layers.Conv2d;
import glassbox.layers.Layer;
import glassbox.layers.Linear;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.train.DivergenceException;
import glassbox.train.ImageData;
import glassbox.train.Normalization;
import glassbox.train.StoppedException;
import glassbox.train.TrainConfig;
import glassbox.train.TrainListener;
import glassbox.train.Trainer;
import glassbox.train.stats.RunFile;
import glassbox.train.stats.RunReader;
import glassbox.train.stats.RunRecord;
import glassbox.train.stats.StatsRecorder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One live training started from the explorer page: the engine's {@link Trainer} with a {@link StatsRecorder} on a
 * thread of its own, and what the page shows of it, kept small.
 *
 * <p>The numbers come from the run file the recorder writes, followed with {@link RunReader#poll()} after each
 * recorded step and each epoch (the same records {@code ./glassbox viz training} draws): per stats record the
 * training loss and accuracy since the previous one, the gradient norm and the update:parameter ratio of every
 * weight, the dead share of every ReLU; the epoch records (test loss and accuracy); the diagnoses. Memory stays
 * bounded: at most {@link #MAX_POINTS} stats points are kept, and when they are full every second one is dropped
 * and only every second record is taken from then on (the run file on disk keeps them all). The first layer's
 * weights are copied at most once a second, at a step boundary.
 *
 * <p>Threads: while it trains, the kernels use one worker fewer than before ({@link Parallel#setThreads}), so on a
 * 2-core machine training takes one core and the explorer's requests the other. Leaves out several trainings at
 * once (the explorer allows one) and the options of {@code ./glassbox train} beyond architecture, data set, epochs,
 * learning rate, batch size and a limit on the training images.
 */
final class TrainingJob {
    /** Stats points kept for the charts; beyond this the history is thinned by two. */
    static final int MAX_POINTS = 400;
    /** First-layer units shown (rows of a Linear layer, output channels of a Conv2d). */
    static final int MAX_UNITS = 64;
    private static final long KERNEL_EVERY_NANOS = 1_000_000_000L;

    /** What to train, validated by {@link LiveTraining}. {@code limit}: first N training images, or 0 for all. */
    record Request(String arch, String dataset, int epochs, double lr, int batch, int limit) {
    }

    /** The files of the run, all in the runs folder, named by the server. */
    record Files(Path model, Path checkpoint, Path run) {
    }

    /**
     * One stats record as the charts need it.
     *
     * @param gradNorm per weight (see {@link Status#weights()}), the gradient's L2 norm
     * @param ratio    per weight, ‖update‖ / ‖weight‖ (null while the weight is all zero)
     * @param dead     per ReLU layer (see {@link Status#units()}), the share of units zero for the whole batch
     */
    record Point(long step, int epoch, double lr, float loss, float accuracy, float[] gradNorm, float[] ratio, float[] dead) {
    }

    /** A diagnosis with its sentence, as ./glassbox train prints it. */
    record Diagnosis(String problem, String subject, long step, long seenAt, String message) {
        static Diagnosis of(RunRecord.Diagnosis d) {
            return new Diagnosis(d.problem().words(), d.subject(), d.step(), d.seenAt(), d.message());
        }
    }

    /**
     * The first layer's weights at a step: {@code shape} [units, C, H, W] (a Conv2d's kernels, or a Linear layer's
     * rows as templates of the input's shape), {@code data} 8-bit base64 with 128 as zero:
     * byte = round(127.5 + 127.5 clamp(w / scale, -1, 1)), where {@code scale} is the 99.5th percentile of |w| and
     * {@code absMax} the largest |w|.
     */
    record Kernels(String layer, String kind, long step, int units, int[] shape, String data, float absMax, float scale) {
    }

    /** The colour scale of the first layer's weights ends at this quantile of |w|. */
    static final double SCALE_QUANTILE = 0.995;

    /** The commands that do the same from a terminal. */
    record Cli(String train, String resume, String viz) {
    }

    /**
     * Everything the page shows, with the stats points from index {@code from} of history {@code generation}
     * (a thinning starts a new generation, and the page then gets all points again).
     */
    record Status(String state, String message, Request request, String name, String modelId, Cli cli,
                  long step, long totalSteps, int epoch, int batch, int batches, double imagesPerSecond, double seconds,
                  int statsEvery, List<String> weights, List<String> units, int generation, int from, List<Point> points,
                  List<RunRecord.Epoch> epochs, List<Diagnosis> diagnoses, long kernelsStep) {
    }

    private final Request req;
    private final String name;
    private final Files files;
    private volatile Model model; // released when training ends (with the trainer and its data)
    private final Map<String, String> options;
    private final DataOptions dataOptions;
    private final ModelRegistry registry;
    private final Thread thread;

    private volatile String state = "loading", message = "loading the data";
    private volatile Trainer trainer;
    private volatile boolean shuttingDown, stopRequested;
    private final int threads = Math.max(1, Parallel.threads() - 1); // kernels' workers while it trains
    private volatile long step, totalSteps;
    private volatile int epoch, batch, batches, statsEvery;
    private volatile double imagesPerSecond;
    private volatile String modelId;
    private volatile Kernels kernels;
    private final long started = System.nanoTime();

    // guarded by this
    private List<String> weights = List.of(), units = List.of();
    private int[] weightIndex = new int[0], unitIndex = new int[0];
    private final List<Point> points = new ArrayList<>();
    private final List<RunRecord.Epoch> epochs = new ArrayList<>();
    private final List<Diagnosis> diagnoses = new ArrayList<>();
    private int stride = 1, recordsSeen, generation;

    TrainingJob(Request req, String name, Files files, Model model, Map<String, String> options, DataOptions dataOptions,
                ModelRegistry registry) {
        this.req = req;
        this.name = name;
        this.files = files;
        this.model = model;
        this.options = options;
        this.dataOptions = dataOptions;
        this.registry = registry;
        this.thread = Thread.ofPlatform().name("glassbox-live-training").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Loading, or training: a second one must wait. */
    boolean active() {
        return state.equals("loading") || state.equals("running");
    }

    String describe() {
        return req.arch() + " on " + req.dataset() + ", step " + step + " of " + (totalSteps > 0 ? totalSteps : "?");
    }

    /** Asks the trainer to stop at the next step boundary (it then writes a checkpoint of that step). */
    void stop() {
        stopRequested = true; // first: run() reads it after publishing the trainer, so one of the two sees the other
        Trainer t = trainer;
        if (t != null) t.stop();
    }

    /** Server shutdown: stop at a step boundary, wait for the checkpoint (up to {@code millis}). */
    void shutdown(long millis) throws InterruptedException {
        shuttingDown = true;
        stop();
        thread.join(millis);
    }

    Kernels kernels() {
        return kernels;
    }

    private void run() {
        int before = Parallel.threads();
        try {
            Datasets.Splits splits = Datasets.loadSplits(req.dataset(), dataOptions);
            Dataset trainSet = splits.train();
            if (req.limit() > 0 && req.limit() < trainSet.size()) trainSet = trainSet.head(req.limit());
            ImageData train = trainSet.asImageData(), test = splits.test().asImageData();
            Normalization norm = Normalization.of(train);
            Trainer t = new Trainer(model, options, train, test, norm, config(req, files.checkpoint())).meta("dataset", req.dataset());
            int every = StatsRecorder.defaultEvery(t.stepsPerEpoch());
            StatsRecorder recorder = new StatsRecorder(files.run(), every, null);
            t.record(recorder);
            statsEvery = every;
            batches = (int) t.stepsPerEpoch();
            totalSteps = t.stepsPerEpoch() * req.epochs();
            trainer = t;
            if (stopRequested) t.stop();
            Parallel.setThreads(threads);
            state = "running";
            message = "training";
            RunReader reader = new RunReader(files.run());
            try {
                t.fit(listener(recorder, reader));
                absorb(reader.poll());
                finish(t, "finished", "finished: " + epochs.size() + " epochs");
            } catch (StoppedException e) {
                absorb(reader.poll());
                if (shuttingDown) {
                    state = "stopped";
                    message = "stopped by the server shutting down at step " + e.step() + "; checkpoint " + files.checkpoint().getFileName();
                } else {
                    finish(t, "stopped", "stopped at step " + e.step() + "; checkpoint " + files.checkpoint().getFileName());
                }
            } catch (DivergenceException e) {
                absorb(reader.poll());
                state = "diverged";
                message = e.getMessage();
            }
        } catch (Exception e) {
            if (System.getenv("GLASSBOX_DEBUG") != null) e.printStackTrace();
            state = "failed";
            message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } finally {
            Parallel.setThreads(before);
            trainer = null; // the model file is listed or on disk: let the training's buffers and data go
            model = null;
        }
    }

    /** The settings ./glassbox train uses by default for this data set (so --resume of the checkpoint accepts them). */
    static TrainConfig config(Request r, Path checkpoint) {
        boolean cifar = r.dataset().equals("cifar10");
        return new TrainConfig(r.epochs(), r.batch(), r.lr(), "sgd", 0.9, cifar ? 5e-4 : 0, "onecycle", 0, 0, cifar, 1, checkpoint);
    }

    /** Writes the model file and lists it in the explorer. */
    private void finish(Trainer t, String end, String text) throws java.io.IOException {
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        meta.put("train.threads", Integer.toString(Parallel.threads()));
        if (end.equals("stopped")) meta.put("stopped_at_step", Long.toString(step));
        ModelFile f = t.snapshot(meta);
        ModelIO.save(f, files.model());
        modelId = registry.add(name, f);
        message = text + "; listed as model " + modelId;
        state = end;
    }

    private TrainListener listener(StatsRecorder recorder, RunReader reader) {
        return new TrainListener() {
            long lastKernels;

            @Override
            public void onStep(Step s) {
                step = s.step();
                epoch = s.epoch();
                batch = s.batch();
                imagesPerSecond = s.imagesPerSecond();
                if (recorder.records(s.step())) absorb(reader.poll());
                long now = System.nanoTime();
                if (lastKernels == 0 || now - lastKernels > KERNEL_EVERY_NANOS || s.batch() == s.batches()) {
                    lastKernels = now;
                    kernels = firstLayer(s.step());
                }
            }

            @Override
            public void onEpoch(Epoch e) {
                absorb(reader.poll());
            }
        };
    }

    /** Takes new run-file records into the bounded history. */
    synchronized void absorb(List<RunRecord> records) {
        for (RunRecord r : records) {
            switch (r) {
                case RunRecord.Header h -> header(h);
                case RunRecord.Stats s -> {
                    if (recordsSeen++ % stride != 0) continue;
                    if (points.size() >= MAX_POINTS) thin();
                    points.add(point(s));
                }
                case RunRecord.Epoch e -> epochs.add(e);
                case RunRecord.Diagnosis d -> diagnoses.add(Diagnosis.of(d));
                default -> {
                }
            }
        }
    }

    /** Keeps every second point and from now on every second record. */
    private void thin() {
        List<Point> kept = new ArrayList<>();
        for (int i = 0; i < points.size(); i += 2) kept.add(points.get(i));
        points.clear();
        points.addAll(kept);
        stride *= 2;
        generation++;
    }

    private void header(RunRecord.Header h) {
        List<String> w = new ArrayList<>(), u = new ArrayList<>();
        List<Integer> wi = new ArrayList<>(), ui = new ArrayList<>();
        for (int i = 0; i < h.params().size(); i++) {
            if (h.params().get(i).weight()) {
                w.add(h.params().get(i).layer());
                wi.add(i);
            }
        }
        for (int i = 0; i < h.layers().size(); i++) {
            if (h.layers().get(i).kind().equals("ReLU")) {
                u.add(h.layers().get(i).name());
                ui.add(i);
            }
        }
        weights = List.copyOf(w);
        units = List.copyOf(u);
        weightIndex = wi.stream().mapToInt(Integer::intValue).toArray();
        unitIndex = ui.stream().mapToInt(Integer::intValue).toArray();
    }

    private Point point(RunRecord.Stats s) {
        float[] g = new float[weightIndex.length], r = new float[weightIndex.length], d = new float[unitIndex.length];
        for (int k = 0; k < g.length; k++) {
            RunRecord.ParamStats p = s.params().get(weightIndex[k]);
            g[k] = p.grad().norm();
            r[k] = p.ratio() != null ? p.ratio() : Float.NaN;
        }
        for (int k = 0; k < d.length && !s.layers().isEmpty(); k++) d[k] = s.layers().get(unitIndex[k]).dead();
        return new Point(s.step(), s.epoch(), s.lr(), s.meanLoss(), s.accuracy(), g, r, d);
    }

    /** A copy of the first layer's weights (on the training thread, between steps). */
    private Kernels firstLayer(long atStep) {
        Layer first = null; // the first layer with weights (a Flatten may come before a Linear)
        for (Layer l : model.layers()) {
            if (l instanceof Conv2d || l instanceof Linear) {
                first = l;
                break;
            }
        }
        int[] in = model.inputShape();
        float[] w;
        int units;
        int[] shape;
        String kind;
        switch (first) {
            case Conv2d c -> {
                units = Math.min(MAX_UNITS, c.outChannels());
                shape = new int[]{units, c.inChannels(), c.kernel(), c.kernel()};
                w = java.util.Arrays.copyOf(c.weight().value().data(), units * c.inChannels() * c.kernel() * c.kernel());
                kind = "Conv2d";
            }
            case Linear l -> {
                var p = l.params().getFirst().value();
                units = Math.min(MAX_UNITS, p.dim(0));
                shape = new int[]{units, in[0], in[1], in[2]};
                w = java.util.Arrays.copyOf(p.data(), units * p.dim(1));
                kind = "Linear";
            }
            case null, default -> {
                return null;
            }
        }
        float[] mag = new float[w.length];
        for (int i = 0; i < w.length; i++) mag[i] = Math.abs(w[i]);
        java.util.Arrays.sort(mag);
        float absMax = mag[mag.length - 1];
        // A few large weights (e.g. at a border pixel of a template) would wash the rest out: the colour scale ends at
        // the 99.5th percentile of |w|, and the page says so.
        float scale = mag[(int) Math.floor(SCALE_QUANTILE * (mag.length - 1))];
        if (!(scale > 0)) scale = absMax;
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            double t = scale > 0 ? Math.max(-1, Math.min(1, w[i] / scale)) : 0;
            q[i] = (byte) Math.round(127.5 + 127.5 * t);
        }
        return new Kernels(first.name(), kind, atStep, units, shape, Base64.getEncoder().encodeToString(q), absMax, scale);
    }

    /** The page's view, with the stats points it does not have yet. */
    synchronized Status status(int since, int gen) {
        int from = gen == generation && since >= 0 && since <= points.size() ? since : 0;
        Kernels k = kernels;
        return new Status(state, message, req, name, modelId, cli(), step, totalSteps, epoch, batch, batches, imagesPerSecond,
                (System.nanoTime() - started) / 1e9, statsEvery, weights, units, generation, from,
                List.copyOf(points.subList(from, points.size())), List.copyOf(epochs), List.copyOf(diagnoses), k == null ? 0 : k.step());
    }

    private Cli cli() {
        String train = String.format(Locale.ROOT, "./glassbox train --model %s --dataset %s --epochs %d --lr %s --batch %d%s --threads %d --stats on --out %s",
                req.arch(), req.dataset(), req.epochs(), req.lr(), req.batch(), req.limit() > 0 ? " --limit " + req.limit() : "", threads, files.model());
        return new Cli(train, train + " --resume", "./glassbox viz training --run " + files.run() + " --out out/training");
    }

    String name() {
        return name;
    }

    static Files filesFor(Path runs, String name) {
        Path model = runs.resolve(name + ".gbx");
        return new Files(model, Path.of(model + ".ckpt"), RunFile.besideModel(model));
    }
}
