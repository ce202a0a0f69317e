package glassbox.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import glassbox.viz.render.JsonOut;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every route over real HTTP on loopback: the answers, and a JSON 4xx for every kind of bad input. */
class ExplorerHttpTest {
    static ExplorerServer server;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = new ExplorerServer(TestModels.registry());
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    record Answer(int status, JsonNode json, String contentType) {
    }

    static Answer get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    static Answer post(String path, String contentType, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    static Answer postJson(String path, String json) throws Exception {
        return post(path, "application/json", json.getBytes());
    }

    static Answer send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        String type = r.headers().firstValue("Content-Type").orElse("");
        JsonNode json = type.startsWith("application/json") ? JsonOut.mapper().readTree(r.body()) : null;
        return new Answer(r.statusCode(), json, type);
    }

    static void assertRefused(Answer a, int status, String words) {
        assertEquals(status, a.status(), "status of " + a.json());
        assertTrue(a.contentType().startsWith("application/json"), "JSON error, got " + a.contentType());
        String error = a.json().get("error").asText();
        assertTrue(error.contains(words), "'" + error + "' should say '" + words + "'");
        assertTrue(!error.contains("\tat ") && !error.contains("Exception"), "no stack trace or exception name: " + error);
    }

    @Test
    void listsModelsWithTheirLayers() throws Exception {
        Answer a = get("/api/models");
        assertEquals(200, a.status());
        JsonNode m = a.json().get(0);
        assertEquals("lenet5", m.get("id").asText());
        assertEquals("conv1", m.get("layers").get(0).get("name").asText());
        assertEquals(156, m.get("layers").get(0).get("params").asInt(), "6 kernels of 5x5 + 6 biases");
    }

    @Test
    void predictsATestImageWithEveryLayersMaps() throws Exception {
        Answer img = get("/api/models/lenet5/images/3");
        assertEquals(200, img.status());
        assertEquals(784, Base64.getDecoder().decode(img.json().get("pixels").asText()).length);
        Answer a = postJson("/api/models/lenet5/predict", "{\"index\": 3}");
        assertEquals(200, a.status());
        double sum = 0;
        for (JsonNode p : a.json().get("probabilities")) sum += p.asDouble();
        assertEquals(1.0, sum, 1e-5);
        assertEquals(img.json().get("label").asInt(), a.json().get("label").asInt());
        JsonNode layers = a.json().get("layers");
        assertEquals("input", layers.get(0).get("name").asText());
        JsonNode conv1 = layers.get(1);
        assertEquals("conv1", conv1.get("name").asText());
        assertEquals(6 * 28 * 28, Base64.getDecoder().decode(conv1.get("data").asText()).length);
        // Same pixels sent as a drawing give the same probabilities.
        Answer drawn = postJson("/api/models/lenet5/predict", "{\"pixels\": \"" + img.json().get("pixels").asText() + "\"}");
        assertEquals(a.json().get("probabilities").toString(), drawn.json().get("probabilities").toString());
        assertEquals(-1, drawn.json().get("label").asInt());
    }

    @Test
    void kernelsOfAConvChannel() throws Exception {
        Answer a = get("/api/models/lenet5/kernels/conv2?channel=15");
        assertEquals(200, a.status());
        assertEquals("[6,5,5]", a.json().get("shape").toString());
        assertEquals(150, a.json().get("values").size());
    }

    @Test
    void badInputIsAJsonErrorNeverATrace() throws Exception {
        assertRefused(get("/api/models/nope/images/0"), 404, "no model 'nope'");
        Answer traversal = get("/api/models/..%2F..%2Fetc%2Fpasswd/images/0"); // an id, never a path: refused either way
        assertTrue(traversal.status() == 400 || traversal.status() == 404, "status " + traversal.status());
        assertRefused(traversal, traversal.status(), traversal.status() == 404 ? "no model '../../etc/passwd'" : "refused by the web server");
        assertRefused(get("/../../etc/passwd"), 400, "refused by the web server");
        assertRefused(get("/no-such-page.html"), 404, "no such page");
        assertRefused(get("/api/models/lenet5/images/99999999999"), 400, "index must be from 0 to 499");
        assertRefused(get("/api/models/lenet5/images/-1"), 400, "index must be from 0 to 499");
        assertRefused(get("/api/models/lenet5/images/seven"), 400, "whole number");
        assertRefused(postJson("/api/models/lenet5/predict", "{\"index\": "), 400, "not valid JSON");
        assertRefused(postJson("/api/models/lenet5/predict", "[1, 2]"), 400, "JSON object");
        assertRefused(postJson("/api/models/lenet5/predict", "{}"), 400, "give {\"index\": n}");
        assertRefused(postJson("/api/models/lenet5/predict", "{\"pixels\": \"AAAA\"}"), 400, "3 bytes but the model takes 1x28x28 = 784");
        assertRefused(postJson("/api/models/lenet5/predict", "{\"pixels\": \"***\"}"), 400, "not base64");
        assertRefused(post("/api/models/lenet5/predict", "image/png", new byte[]{(byte) 0x89, 'P', 'N', 'G'}), 415, "application/json");
        assertRefused(post("/api/models/lenet5/predict", "application/json", new byte[(int) ExplorerServer.MAX_BODY + 1]), 413, "larger than 4 MiB");
        assertRefused(get("/api/models/lenet5/kernels/conv2?channel=16"), 400, "channel must be from 0 to 15");
        assertRefused(get("/api/models/lenet5/kernels/relu1"), 400, "has no kernels");
        assertRefused(get("/api/models/lenet5/kernels/conv9"), 404, "no layer 'conv9'");
    }

    @Test
    void everyMethodExplainsWithAMapOfTheInputsShape() throws Exception {
        for (String method : Explain.OFFERED) {
            Answer a = postJson("/api/models/lenet5/explain", "{\"index\": 2, \"method\": \"" + method + "\"}");
            assertEquals(200, a.status(), method + ": " + a.json());
            JsonNode x = a.json();
            assertEquals("[28,28]", x.get("shape").toString(), method);
            assertEquals(784, Base64.getDecoder().decode(x.get("data").asText()).length, method);
            assertTrue(x.get("min").asDouble() <= x.get("max").asDouble(), method);
            assertEquals(x.get("predicted").asInt(), x.get("cls").asInt(), method + ": default class is the predicted one");
        }
        Answer cam = postJson("/api/models/lenet5/explain", "{\"index\": 2, \"method\": \"gradcam\", \"class\": \"7\", \"layer\": \"conv2\"}");
        assertEquals(200, cam.status(), cam.json().toString());
        assertEquals("conv2", cam.json().get("layer").asText());
        assertEquals(7, cam.json().get("cls").asInt());
        Answer signed = postJson("/api/models/lenet5/explain", "{\"pixels\": \"" + Base64.getEncoder().encodeToString(new byte[784])
                + "\", \"method\": \"gradient-x-input\", \"class\": 3}");
        assertEquals(200, signed.status());
        assertTrue(signed.json().get("signed").asBoolean());
    }

    @Test
    void badExplanationParametersAreJsonErrors() throws Exception {
        String path = "/api/models/lenet5/explain";
        assertRefused(postJson(path, "{\"index\": 0, \"method\": \"magic\"}"), 400, "method must be one of saliency");
        assertRefused(postJson(path, "{\"index\": 0}"), 400, "method is missing");
        assertRefused(postJson(path, "{\"index\": 0, \"method\": \"saliency\", \"class\": 10}"), 400, "class must be from 0 to 9");
        assertRefused(postJson(path, "{\"index\": 0, \"method\": \"saliency\", \"class\": \"cat\"}"), 400, "class must be a class index");
        assertRefused(postJson(path, "{\"index\": 0, \"method\": \"gradcam\", \"layer\": \"conv9\"}"), 404, "no layer 'conv9'");
        assertRefused(postJson(path, "{\"index\": 0, \"method\": \"gradcam\", \"layer\": \"fc3\"}"), 400, "Grad-CAM needs a layer with feature maps");
        assertRefused(postJson(path, "{\"index\": 0, \"method\": \"saliency\", \"layer\": \"conv2\"}"), 400, "layer is for gradcam only");
        assertRefused(postJson(path, "{\"index\": 500, \"method\": \"saliency\"}"), 400, "index must be from 0 to 499");
        assertRefused(postJson(path, "{\"method\": \"saliency\"}"), 400, "give {\"index\": n}");
    }

    /** A PNG of a white bar on black, w x h, made with ImageIO. */
    static byte[] png(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(w / 2 - w / 10, h / 5, w / 5, 3 * h / 5);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** A PNG signature and a valid IHDR chunk declaring w x h pixels, and no image data: a decompression bomb's header. */
    static byte[] pngHeader(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(w).putInt(h).put(new byte[]{8, 2, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4).put(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }

    @Test
    void uploadedPictureIsPredictedAndBadOnesAreRefused() throws Exception {
        String path = "/api/models/lenet5/upload";
        byte[] ok = png(90, 120);
        Answer a = post(path, "image/png", ok);
        assertEquals(200, a.status(), String.valueOf(a.json()));
        assertEquals(10, a.json().get("probabilities").size());
        assertEquals(784, Base64.getDecoder().decode(a.json().get("pixels").asText()).length);
        assertEquals(-1, a.json().get("label").asInt());
        assertRefused(post(path, "image/png", java.util.Arrays.copyOf(ok, ok.length / 2)), 400, "cannot read image the uploaded picture");
        assertRefused(post(path, "text/plain", "hello".getBytes()), 415, "image/png or image/jpeg");
        assertRefused(post(path, "image/png", pngHeader(20000, 20000)), 400, "declares 20000x20000 pixels; refused");
        assertRefused(post(path, "image/png", new byte[0]), 400, "empty");
    }

    /** 32 clients for a few seconds, bounded in time and count, loopback only: no error, p99 reported. */
    @Test
    void loadOfManyClientsAnswersEveryRequest() throws Exception {
        int clients = 32;
        long until = System.nanoTime() + 4_000_000_000L;
        AtomicInteger errors = new AtomicInteger();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int seed = c;
            done.add(pool.submit(() -> {
                for (int k = 0; k < 200 && System.nanoTime() < until; k++) {
                    long t0 = System.nanoTime();
                    try {
                        Answer a = postJson("/api/models/lenet5/predict", "{\"index\": " + (seed * 7 + k) % 500 + "}");
                        if (a.status() != 200) errors.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies.add(System.nanoTime() - t0);
                }
                return null;
            }));
        }
        for (Future<?> f : done) f.get();
        pool.shutdown();
        assertEquals(0, errors.get(), "failed requests");
        long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        assertTrue(l.length >= clients, "every client was answered at least once");
        System.out.printf("explorer load: %d clients, %d requests, p50 %.1f ms, p99 %.1f ms (shared CI machine)%n", clients, l.length,
                l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6);
    }
}
