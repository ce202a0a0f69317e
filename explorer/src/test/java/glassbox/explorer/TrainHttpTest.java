package glassbox.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import glassbox.data.Datasets;
import glassbox.explorer.ExplorerHttpTest.Answer;
import glassbox.data.DataOptions;
import glassbox.data.Split;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.model.Zoo;
import glassbox.train.Normalization;
import glassbox.train.TrainListener;
import glassbox.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live training over real HTTP on loopback, on the embedded MNIST sample: bad parameters (400 with JSON), a
 * second start while one runs (409), progress records arriving, first-layer weights, stop (a checkpoint and a
 * listed model), and a server shut down in the middle of a training, whose checkpoint loads and resumes.
 */
class TrainHttpTest {
    @TempDir
    static Path runs;
    static ExplorerServer server;
    static String base;

    @BeforeAll
    static void start() {
        server = new ExplorerServer(TestModels.registry(), runs);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    static Answer get(String path) throws Exception {
        return ExplorerHttpTest.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    static Answer post(String path, String contentType, String body) throws Exception {
        return ExplorerHttpTest.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static Answer post(String json) throws Exception {
        return post("/api/train", "application/json", json);
    }

    /** Polls GET /api/train until {@code done} holds (at most 60 s). */
    static JsonNode until(Predicate<JsonNode> done) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        while (true) {
            JsonNode s = get("/api/train").json();
            if (done.test(s)) return s;
            if (System.nanoTime() > end) throw new AssertionError("waited 60 s; last status " + s);
            Thread.sleep(20);
        }
    }

    @Test
    void badParametersAre400WithJson() throws Exception {
        String[][] cases = {
                {"{\"arch\": \"lenet6\"}", "arch must be one of linear, mlp, lenet5"},
                {"{\"dataset\": \"../../etc/passwd\"}", "dataset must be one of sample, mnist, fashion-mnist, cifar10"},
                {"{\"epochs\": 0}", "epochs must be from 1 to 100, got 0"},
                {"{\"epochs\": \"many\"}", "epochs must be a whole number from 1 to 100, got 'many'"},
                {"{\"epochs\": 1e12}", "epochs must be a whole number"},
                {"{\"lr\": -1}", "lr must be from 1.0E-7 to 10.0, got -1"},
                {"{\"lr\": \"NaN\"}", "lr must be from"},
                {"{\"lr\": 1e300}", "lr must be from"},
                {"{\"lr\": [1]}", "lr must be a number or a string, not array"},
                {"{\"batch\": 100000}", "batch must be from 1 to 1024"},
                {"{\"limit\": 0}", "limit must be from 1 to 60000"},
                {"{\"path\": \"/tmp/x.gbx\"}", "unknown parameter 'path'"},
                {"[1, 2]", "the request body must be a JSON object"},
                {"{not json", "the request body is not valid JSON"},
        };
        for (String[] c : cases) {
            Answer a = post(c[0]);
            assertEquals(400, a.status(), c[0]);
            assertTrue(a.json().get("error").asText().contains(c[1]), c[0] + " -> " + a.json());
        }
        Answer wrongType = post("/api/train", "text/plain", "{}");
        assertEquals(415, wrongType.status());
        assertTrue(wrongType.json().has("error"));
    }

    @Test
    void startFollowSecondStartStopAndExplore() throws Exception {
        until(s -> !s.path("state").asText().matches("loading|running")); // another test's training has ended
        Answer started = post("{\"arch\": \"lenet5\", \"dataset\": \"sample\", \"epochs\": 30, \"lr\": 0.05, \"batch\": 64}");
        assertEquals(202, started.status(), started.json().toString());
        String name = started.json().get("name").asText();
        assertTrue(name.matches("live-lenet5-sample-\\d+"), name);
        assertTrue(started.json().get("cli").get("train").asText().startsWith("./glassbox train --model lenet5 --dataset sample --epochs 30 --lr 0.05 --batch 64"));

        Answer second = post("{\"arch\": \"linear\"}");
        assertEquals(409, second.status());
        assertTrue(second.json().get("error").asText().startsWith("a training is already running (lenet5 on sample"), second.json().toString());

        // Progress: stats points arrive (train loss, gradient norms and ratios of the 5 weights, dead shares of 4 ReLUs).
        JsonNode s = until(j -> j.path("points").size() >= 6);
        assertEquals("running", s.get("state").asText());
        assertEquals(List.of("conv1", "conv2", "fc1", "fc2", "fc3"), names(s.get("weights")));
        assertEquals(List.of("relu1", "relu2", "relu3", "relu4"), names(s.get("units")));
        JsonNode p = s.get("points").get(0);
        assertEquals(1, p.get("step").asLong());
        assertEquals(5, p.get("gradNorm").size());
        assertTrue(p.get("gradNorm").get(0).asDouble() > 0 && p.get("loss").asDouble() > 0);
        assertEquals(4, p.get("dead").size());
        // Only what the page lacks: the points from index n of the same history.
        int n = s.get("points").size(), gen = s.get("generation").asInt();
        JsonNode more = get("/api/train?since=" + n + "&gen=" + gen).json();
        assertTrue(more.get("from").asInt() == n || more.get("generation").asInt() != gen, more.get("from").toString());
        assertEquals(400, get("/api/train?since=-1").status());

        until(j -> j.path("kernelsStep").asLong() > 0);
        JsonNode k = get("/api/train/kernels").json();
        assertEquals("conv1", k.get("layer").asText());
        assertEquals(List.of(6, 1, 5, 5), ints(k.get("shape")));
        assertTrue(k.get("absMax").asDouble() > 0);
        assertEquals(150, java.util.Base64.getDecoder().decode(k.get("data").asText()).length);

        Answer stop = post("/api/train/stop", "application/json", "{}");
        assertEquals(200, stop.status());
        JsonNode end = until(j -> !j.path("state").asText().matches("loading|running"));
        assertEquals("stopped", end.get("state").asText(), end.toString());
        String id = end.get("modelId").asText();
        assertEquals(name, id);
        assertTrue(Files.isRegularFile(runs.resolve(name + ".gbx.ckpt")) && Files.isRegularFile(runs.resolve(name + ".run.jsonl")));
        JsonNode models = get("/api/models").json();
        assertTrue(names(models, "id").contains(id), models.toString());
        assertEquals(200, post("/api/models/" + id + "/predict", "application/json", "{\"index\": 3}").status());
        assertEquals(409, post("/api/train/stop", "application/json", "{}").status());

        // A short one runs to the end, with a test point per epoch.
        assertEquals(202, post("{\"arch\": \"linear\", \"dataset\": \"sample\", \"epochs\": 2, \"lr\": 0.05, \"limit\": 256}").status());
        JsonNode done = until(j -> !j.path("state").asText().matches("loading|running"));
        assertEquals("finished", done.get("state").asText(), done.toString());
        assertEquals(2, done.get("epochs").size());
        assertEquals(8, done.get("step").asLong()); // 256 images, batches of 64, 2 epochs
        assertEquals(List.of(10, 1, 28, 28), ints(get("/api/train/kernels").json().get("shape")));
    }

    @Test
    void shuttingTheServerDownMidTrainingLeavesACheckpointThatResumes(@TempDir Path own) throws Exception {
        ExplorerServer other = new ExplorerServer(TestModels.registry(), own);
        String saved = base;
        base = "http://127.0.0.1:" + other.start("127.0.0.1", 0);
        String name;
        try {
            Answer a = post("{\"arch\": \"lenet5\", \"dataset\": \"sample\", \"epochs\": 3, \"lr\": 0.05}");
            assertEquals(202, a.status(), a.json().toString());
            name = a.json().get("name").asText();
            until(j -> j.path("step").asLong() >= 40); // in epoch 2 of 3 (32 steps each)
        } finally {
            other.stop(); // stops the training at a step boundary and waits for its checkpoint
            base = saved;
        }
        ModelFile ckpt = ModelIO.load(own.resolve(name + ".gbx.ckpt"));
        long step = Long.parseLong(ckpt.meta().get("checkpoint.step"));
        assertTrue(step >= 40 && step < 96, "stopped in the middle: step " + step);

        // Resume it as ./glassbox train --resume would: same settings, a fresh model, the checkpoint.
        TrainingJob.Request req = new TrainingJob.Request("lenet5", "sample", 3, 0.05, 64, 0);
        var opts = Zoo.options(new int[]{1, 28, 28}, 10);
        var train = Datasets.load("sample", Split.TRAIN, DataOptions.defaults()).asImageData();
        var test = Datasets.load("sample", Split.TEST, DataOptions.defaults()).asImageData();
        Trainer t = new Trainer(Zoo.build("lenet5", opts, 1), opts, train, test, Normalization.of(train), TrainingJob.config(req, null));
        t.resume(ckpt);
        List<Long> steps = new ArrayList<>();
        double acc = t.fit(new TrainListener() {
            @Override
            public void onStep(Step s) {
                steps.add(s.step());
            }
        }).accuracy();
        assertEquals(step + 1, steps.getFirst(), "continues with the step after the checkpoint");
        assertEquals(96, steps.getLast());
        assertTrue(acc > 0.5, "the resumed lenet5 learned the sample: " + acc);
    }

    static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> names(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
