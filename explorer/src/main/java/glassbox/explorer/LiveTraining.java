package glassbox.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import glassbox.data.Catalog;
import glassbox.data.Datasets;
import glassbox.data.DataOptions;
import glassbox.model.Model;
import glassbox.model.Zoo;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The explorer's live training (ConvNetJS's MNIST demo, with the engine's training statistics): the routes that
 * start, follow and stop one {@link TrainingJob} at a time.
 *
 * <pre>
 * GET  /api/train/options   architectures, data sets (with whether their files are here), limits and defaults
 * POST /api/train           {"arch", "dataset", "epochs", "lr", "batch"?, "limit"?}: starts a training (202);
 *                           409 while one runs; 400 for a bad or unknown parameter
 * GET  /api/train?since=n&amp;gen=g   the training's state, progress, commands, and the stats points from index n
 *                           of history generation g (all of them when g is not the current generation)
 * POST /api/train/stop      stops it at the next step boundary, with a checkpoint of that step (409 if none runs)
 * GET  /api/train/kernels   the first layer's weights at the latest copy (every second or so)
 * </pre>
 * Files go to the runs folder given when the server starts, under names the server picks
 * ({@code live-<arch>-<dataset>-<n>}); no request parameter reaches the file system. When the server shuts down
 * during a training, {@link #shutdown} stops it at a step boundary and waits for its checkpoint.
 */
public final class LiveTraining {
    static final int MAX_EPOCHS = 100, MAX_BATCH = 1024;
    static final double MIN_LR = 1e-7, MAX_LR = 10;
    static final Set<String> FIELDS = Set.of("arch", "dataset", "epochs", "lr", "batch", "limit");
    /** Data sets offered: the embedded sample always, the others when their files are found. */
    static final List<String> DATASETS = List.of("sample", "mnist", "fashion-mnist", "cifar10");
    private static final long SHUTDOWN_WAIT_MILLIS = 120_000;

    public record DatasetChoice(String name, String title, boolean available, String note, int[] shape, int trainImages) {
    }

    public record Options(List<String> architectures, List<String> small, List<DatasetChoice> datasets,
                          int maxEpochs, int maxBatch, double minLr, double maxLr, Map<String, Object> defaults, String runs) {
    }

    private final ModelRegistry models;
    private final DataOptions dataOptions;
    private final Path runs;
    private TrainingJob current; // guarded by this

    /** @param runs folder for the trained models, checkpoints and run files (created on the first training) */
    public LiveTraining(ModelRegistry models, Path runs) {
        this.models = models;
        this.dataOptions = models.dataOptions().withDownload(false);
        this.runs = runs;
    }

    /** Adds the routes to {@code app}. */
    public void register(Javalin app) {
        app.get("/api/train/options", ctx -> ctx.json(options()));
        app.post("/api/train", this::start);
        app.get("/api/train", this::status);
        app.post("/api/train/stop", this::stop);
        app.get("/api/train/kernels", this::kernels);
    }

    Options options() {
        List<DatasetChoice> ds = new ArrayList<>();
        for (String d : DATASETS) ds.add(choice(d));
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("arch", "lenet5");
        defaults.put("dataset", "sample");
        defaults.put("epochs", 3);
        defaults.put("lr", 0.05);
        defaults.put("batch", 64);
        return new Options(Zoo.NAMES, List.of("linear", "mlp", "lenet5"), ds, MAX_EPOCHS, MAX_BATCH, MIN_LR, MAX_LR, defaults,
                runs.toString());
    }

    private DatasetChoice choice(String name) {
        if (name.equals("sample")) return new DatasetChoice(name, "embedded MNIST sample (2,000 train, 500 test)", true, "always here", new int[]{1, 28, 28}, 2000);
        var info = Catalog.get(name);
        boolean cifar = name.equals("cifar10");
        int[] shape = cifar ? new int[]{3, 32, 32} : new int[]{1, 28, 28};
        try {
            Datasets.locate(info, dataOptions);
            return new DatasetChoice(name, info.title(), true, "found", shape, cifar ? 50000 : 60000);
        } catch (IOException | RuntimeException e) {
            return new DatasetChoice(name, info.title(), false, "not found in the data folder (--data DIR or " + DataOptions.ENV + ")", shape, cifar ? 50000 : 60000);
        }
    }

    private void start(Context ctx) {
        TrainingJob.Request req = request(ctx);
        DatasetChoice data = choice(req.dataset());
        if (!data.available()) throw ApiException.badRequest("dataset " + req.dataset() + " is " + data.note());
        Map<String, String> opts = Zoo.options(data.shape(), 10);
        Model model;
        try {
            model = Zoo.build(req.arch(), opts, 1);
            model.outputShape(1); // checks every layer fits the input
        } catch (RuntimeException e) {
            throw ApiException.badRequest(req.arch() + " does not fit " + req.dataset() + " images (" + data.shape()[0] + "x"
                    + data.shape()[1] + "x" + data.shape()[2] + "): " + e.getMessage());
        }
        TrainingJob job;
        synchronized (this) {
            if (current != null && current.active()) {
                throw new ApiException(409, "a training is already running (" + current.describe()
                        + "); one at a time: stop it (POST /api/train/stop) or wait until it ends");
            }
            String name = freeName(req.arch() + "-" + req.dataset());
            job = new TrainingJob(req, name, TrainingJob.filesFor(runs, name), model, opts, dataOptions, models);
            current = job;
        }
        try {
            Files.createDirectories(runs);
        } catch (IOException e) {
            synchronized (this) {
                current = null;
            }
            throw new ApiException(500, "cannot create the runs folder: " + e.getMessage());
        }
        job.start();
        ctx.status(202).json(job.status(0, 0));
    }

    /** {@code live-<stem>-<n>} with the next n no file in the runs folder uses yet. */
    private String freeName(String stem) {
        String prefix = "live-" + stem + "-";
        Pattern numbered = Pattern.compile(Pattern.quote(prefix) + "(\\d{1,9})\\..*");
        int highest = 0;
        if (Files.isDirectory(runs)) {
            try (var files = Files.list(runs)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Matcher m = numbered.matcher(p.getFileName().toString());
                    if (m.matches()) highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            } catch (IOException e) {
                throw new ApiException(500, "cannot list the runs folder: " + e.getMessage());
            }
        }
        for (var e : models.all()) {
            Matcher m = Pattern.compile(Pattern.quote(prefix) + "(\\d{1,9})").matcher(e.id());
            if (m.matches()) highest = Math.max(highest, Integer.parseInt(m.group(1)));
        }
        return prefix + (highest + 1);
    }

    /** The request body, every field checked: 400 with the field, the allowed range and what was sent. */
    static TrainingJob.Request request(Context ctx) {
        JsonNode body = ExplorerServer.jsonBody(ctx);
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw ApiException.badRequest("unknown parameter '" + abbreviate(f) + "'; give " + String.join(", ", FIELDS.stream().sorted().toList()));
        }
        String arch = text(body, "arch", "lenet5").toLowerCase(Locale.ROOT);
        if (!Zoo.NAMES.contains(arch)) {
            throw ApiException.badRequest("arch must be one of " + String.join(", ", Zoo.NAMES) + ", got '" + abbreviate(arch) + "'");
        }
        String dataset = text(body, "dataset", "sample").toLowerCase(Locale.ROOT);
        if (dataset.equals("fashion")) dataset = "fashion-mnist";
        if (!DATASETS.contains(dataset)) {
            throw ApiException.badRequest("dataset must be one of " + String.join(", ", DATASETS) + ", got '" + abbreviate(dataset) + "'");
        }
        int epochs = ExplorerServer.intParam(text(body, "epochs", "3"), "epochs", 1, MAX_EPOCHS);
        int batch = ExplorerServer.intParam(text(body, "batch", "64"), "batch", 1, MAX_BATCH);
        int limit = body.hasNonNull("limit") ? ExplorerServer.intParam(text(body, "limit", "0"), "limit", 1, 60000) : 0;
        double lr;
        String lrText = text(body, "lr", "0.05");
        try {
            lr = Double.parseDouble(lrText.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("lr must be a number from " + MIN_LR + " to " + MAX_LR + ", got '" + abbreviate(lrText) + "'");
        }
        if (!(lr >= MIN_LR && lr <= MAX_LR)) throw ApiException.badRequest("lr must be from " + MIN_LR + " to " + MAX_LR + ", got " + lrText.trim());
        return new TrainingJob.Request(arch, dataset, epochs, lr, batch, limit);
    }

    private static String text(JsonNode body, String field, String dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return dflt;
        if (!n.isValueNode()) throw ApiException.badRequest(field + " must be a number or a string, not " + n.getNodeType().toString().toLowerCase(Locale.ROOT));
        return n.asText();
    }

    private void status(Context ctx) {
        int since = ExplorerServer.intParam(ctx.queryParamAsClass("since", String.class).getOrDefault("0"), "since", 0, Integer.MAX_VALUE);
        int gen = ExplorerServer.intParam(ctx.queryParamAsClass("gen", String.class).getOrDefault("0"), "gen", 0, Integer.MAX_VALUE);
        TrainingJob job;
        synchronized (this) {
            job = current;
        }
        if (job == null) {
            ctx.json(Map.of("state", "idle", "message", "no training yet"));
            return;
        }
        ctx.json(job.status(since, gen));
    }

    private void stop(Context ctx) {
        TrainingJob job;
        synchronized (this) {
            job = current;
        }
        if (job == null || !job.active()) throw new ApiException(409, "no training is running");
        job.stop();
        ctx.json(job.status(0, -1));
    }

    private void kernels(Context ctx) {
        TrainingJob job;
        synchronized (this) {
            job = current;
        }
        TrainingJob.Kernels k = job == null ? null : job.kernels();
        if (k == null) throw ApiException.notFound("no first-layer weights yet: start a training (POST /api/train)");
        ctx.json(k);
    }

    /**
     * Server shutdown: a running training stops at its next step boundary and writes the checkpoint of that step
     * (atomically, as every checkpoint); waits for it.
     */
    public void shutdown() {
        TrainingJob job;
        synchronized (this) {
            job = current;
        }
        if (job == null || !job.active()) return;
        try {
            job.shutdown(SHUTDOWN_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
