package glassbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import glassbox.data.DataOptions;
import glassbox.explorer.ExplorerServer;
import glassbox.explorer.ModelRegistry;
import glassbox.model.ModelIO;
import glassbox.viz.render.JsonOut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training started in the explorer and cut short by the server shutting down continues with the very
 * {@code ./glassbox train ... --resume} line the page shows.
 */
class ServeTrainResumeTest {
    @TempDir
    Path runs;

    @Test
    void theCheckpointLeftByAShutdownResumesWithThePagesCommand() throws Exception {
        ExplorerServer server = new ExplorerServer(new ModelRegistry(DataOptions.defaults().withDownload(false)), runs);
        String base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
        HttpClient http = HttpClient.newHttpClient();
        String resume;
        try {
            HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/api/train"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"arch\": \"linear\", \"dataset\": \"sample\", \"epochs\": 100, \"lr\": 0.05}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, started.statusCode(), started.body());
            resume = JsonOut.mapper().readTree(started.body()).get("cli").get("resume").asText();
            long end = System.nanoTime() + 60_000_000_000L;
            while (true) { // until it is in its second epoch (32 steps each); 100 epochs, so that a slow poll cannot miss the run
                JsonNode s = JsonOut.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/train")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                if (s.get("step").asLong() >= 40) break;
                assertTrue(System.nanoTime() < end && s.get("state").asText().matches("loading|running"), s.toString());
                Thread.sleep(10);
            }
        } finally {
            server.stop(); // what Ctrl-C on ./glassbox serve does
        }
        Path model = runs.resolve("live-linear-sample-1.gbx");
        Path checkpoint = Path.of(model + ".ckpt");
        long step = Long.parseLong(ModelIO.load(checkpoint).meta().get("checkpoint.step"));
        // stopped mid-run, wherever the shutdown caught it (a loaded machine may run a few more epochs of this tiny
        // model between the poll and the stop): 100 epochs of 32 steps, so the resume has work left
        assertTrue(step >= 40 && step < 100 * 32, "stopped mid-run: step " + step);

        assertTrue(resume.startsWith("./glassbox train --model linear --dataset sample --epochs 100 --lr 0.05 --batch 64 --threads "), resume);
        assertTrue(resume.endsWith(" --out " + model + " --resume"), resume);
        String[] args = resume.substring("./glassbox ".length()).split(" ");
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("test accuracy: "), r.all());
        assertTrue(Files.isRegularFile(model));
        assertTrue(Files.readString(runs.resolve("live-linear-sample-1.run.jsonl")).contains("\"type\":\"resume\""), "the run file continues");
        assertTrue(Arrays.stream(args).noneMatch(String::isBlank));
    }
}
