package glassbox.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import glassbox.data.DataOptions;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.Zoo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static glassbox.explorer.ExplorerHttpTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routes of {@link ViewRoutes} over loopback: each view's answer on tiny settings (the embedded MNIST
 * sample, untrained lenet5 and mlp), the background computations polled to the end, and a JSON 4xx for
 * unknown models, layers and classes, absurd numbers and wrong types.
 */
class ViewRoutesHttpTest {
    static ExplorerServer server;
    static String base;

    @BeforeAll
    static void start() {
        ModelRegistry r = new ModelRegistry(DataOptions.defaults().withDownload(false));
        r.add("lenet5", TestModels.lenet5());
        r.add("lenet5b", file("lenet5", 11));
        r.add("mlp", file("mlp", 3));
        server = new ExplorerServer(r);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static ModelFile file(String arch, long seed) {
        Map<String, String> opts = Zoo.options(new int[]{1, 28, 28}, 10);
        if (arch.equals("mlp")) {
            opts = new java.util.HashMap<>(opts);
            opts.put("hidden", "32");
        }
        Model m = Zoo.build(arch, opts, seed);
        return new ModelFile(arch, opts, m.inputShape(), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                new float[]{0.1307f}, new float[]{0.3081f}, Map.of("dataset", "sample"), m.state());
    }

    static ExplorerHttpTest.Answer get(String path) throws Exception {
        return ExplorerHttpTest.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path)).GET().build());
    }

    /** Asks a background route until it answers 200 (at most 60 s), checking the 202 answers on the way. */
    static JsonNode poll(String path) throws Exception {
        for (int i = 0; i < 600; i++) {
            ExplorerHttpTest.Answer a = get(path);
            if (a.status() == 200) {
                assertEquals("done", a.json().get("status").asText());
                return a.json().get("result");
            }
            assertEquals(202, a.status(), "still running, or an error: " + a.json());
            String s = a.json().get("status").asText();
            assertTrue(s.equals("queued") || s.equals("running"), s);
            double p = a.json().get("progress").asDouble();
            assertTrue(p >= 0 && p <= 1, "progress " + p);
            Thread.sleep(100);
        }
        throw new AssertionError(path + " did not finish in 60 s");
    }

    @Test
    void kernelsOfALayerAndComparedAcrossModels() throws Exception {
        ExplorerHttpTest.Answer a = get("/api/models/lenet5/layer-kernels/conv2");
        assertEquals(200, a.status());
        assertEquals("[conv1, conv2]", a.json().get("convLayers").toString().replace("\"", "").replace(",", ", "));
        assertEquals("[16,6,5,5]", a.json().get("kernels").get("shape").toString());
        assertEquals(16 * 6 * 25, a.json().get("kernels").get("values").size());

        JsonNode c = get("/api/compare-kernels").json();
        assertEquals(2, c.get("layers").size(), "the two lenet5s; the mlp has no conv layer");
        JsonNode l = c.get("layers").get(0);
        assertEquals("lenet5 conv1", l.get("label").asText());
        assertEquals(6, l.get("summary").get("kernels").asInt());
        assertTrue(l.get("noise").get("meanSmoothness").asDouble() > 0.4, "noise baseline beside the numbers");
        assertEquals(1, get("/api/compare-kernels?models=lenet5b").json().get("layers").size());

        JsonNode t = get("/api/models/mlp/templates").json();
        assertEquals("[1,28,28]", t.get("imageShape").toString(), "the mlp's first layer sees the pixels");
        assertEquals(32, t.get("templates").size());
        assertEquals(784, t.get("templates").get(0).get("weights").size());
    }

    @Test
    void topPatchesOfAChannel() throws Exception {
        JsonNode r = poll("/api/models/lenet5/top-patches/relu1?channel=2&images=40");
        assertEquals(2, r.get("channel").asInt());
        assertEquals(40, r.get("imagesScanned").asInt());
        JsonNode p = r.get("patches").get(0);
        int size = p.get("size").asInt();
        assertEquals(5, size, "receptive field of a 5x5 conv");
        assertEquals(3 * size * size, Base64.getDecoder().decode(p.get("rgb").asText()).length);
        // Another channel of the same scan answers at once.
        assertEquals(200, get("/api/models/lenet5/top-patches/relu1?channel=5&images=40").status());
    }

    @Test
    void robustnessCurves() throws Exception {
        JsonNode r = poll("/api/models/lenet5/robustness?images=16");
        assertEquals(16, r.get("images").asInt());
        assertEquals(2, r.get("attacks").size());
        assertEquals("FGSM L-inf", r.get("attacks").get(0).get("name").asText());
        assertEquals("PGD-10 L-inf", r.get("attacks").get(1).get("name").asText());
        assertEquals(6, r.get("attacks").get(1).get("accuracy").size());
        assertEquals(3, r.get("corruptions").size());
        JsonNode pgd = r.get("attacks").get(1).get("accuracy");
        assertTrue(pgd.get(5).asDouble() <= pgd.get(0).asDouble(), "accuracy does not grow with epsilon");
    }

    @Test
    void confusionMatrixAndItsCells() throws Exception {
        assertRefused(get("/api/models/lenet5/confusion/cell?true=1&predicted=2&images=60"), 409, "not computed yet");
        JsonNode r = poll("/api/models/lenet5/confusion?images=60");
        JsonNode counts = r.get("confusion").get("counts");
        int total = 0;
        for (JsonNode row : counts) for (JsonNode v : row) total += v.asInt();
        assertEquals(60, total);
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                int n = counts.get(t).get(p).asInt();
                if (n == 0) continue;
                JsonNode cell = get("/api/models/lenet5/confusion/cell?true=" + t + "&predicted=" + p + "&images=60").json();
                assertEquals(n, cell.get("indices").size(), "cell " + t + "," + p + " lists every image it counts");
                JsonNode th = get("/api/models/lenet5/thumbnails?indices=" + cell.get("indices").get(0).asInt()).json();
                assertEquals(t, th.get("labels").get(0).asInt());
                assertEquals(784, Base64.getDecoder().decode(th.get("pixels").asText()).length);
                return;
            }
        }
    }

    @Test
    void tsneAndPcaMaps() throws Exception {
        JsonNode r = poll("/api/models/lenet5/embedding?method=tsne&images=100&iterations=250");
        JsonNode e = r.get("embedding");
        assertEquals("relu4", e.get("layer").asText(), "the penultimate layer by default");
        assertEquals(100, e.get("coordinates").size());
        assertEquals(100, r.get("predicted").size());
        assertTrue(e.get("inMap").get("knnAccuracy").asDouble() >= 0);
        JsonNode pca = poll("/api/models/lenet5/embedding?method=pca&images=50&layer=pixels").get("embedding");
        assertEquals(784, pca.get("dims").asInt());
    }

    @Test
    void sanityCheckAndClassModel() throws Exception {
        JsonNode s = poll("/api/models/lenet5/sanity?images=1").get("result");
        assertEquals(7, s.get("methods").size());
        assertEquals("trained", s.get("randomized").get(0).asText());
        assertEquals(1.0, s.get("spearman").get(0).get(0).asDouble(), 1e-9, "the trained map against itself");
        JsonNode mlp = poll("/api/models/mlp/sanity?images=1").get("result");
        assertEquals(5, mlp.get("methods").size(), "no Grad-CAM without conv layers");

        JsonNode c = poll("/api/models/lenet5/class-model?class=3");
        assertEquals(3, c.get("cls").asInt());
        assertEquals(784, Base64.getDecoder().decode(c.get("pixels").asText()).length);
        assertEquals(200, c.get("scores").size());
    }

    @Test
    void thumbnailsByRange() throws Exception {
        JsonNode t = get("/api/models/lenet5/thumbnails?from=10&count=5").json();
        assertEquals("[10,11,12,13,14]", t.get("indices").toString());
        assertEquals(5 * 784, Base64.getDecoder().decode(t.get("pixels").asText()).length);
    }

    @Test
    void badInputIsAJsonError() throws Exception {
        // unknown model, layer, class
        assertRefused(get("/api/models/nope/robustness"), 404, "no model 'nope'");
        assertRefused(get("/api/models/lenet5/layer-kernels/conv9"), 404, "no layer 'conv9'");
        assertRefused(get("/api/models/lenet5/layer-kernels/relu1"), 400, "not a convolution layer");
        assertRefused(get("/api/models/mlp/layer-kernels/fc1"), 400, "not a convolution layer");
        assertRefused(get("/api/models/lenet5/templates"), 400, "not fully connected");
        assertRefused(get("/api/models/lenet5/top-patches/nope?channel=0"), 404, "no layer 'nope'");
        assertRefused(get("/api/models/lenet5/top-patches/fc1"), 400, "no spatial maps");
        assertRefused(get("/api/models/lenet5/top-patches/relu1?channel=6"), 400, "channel must be from 0 to 5");
        assertRefused(get("/api/models/lenet5/class-model?class=11"), 400, "class must be from 0 to 9");
        assertRefused(get("/api/models/lenet5/class-model?class=zebra"), 400, "class must be a class index");
        assertRefused(get("/api/models/lenet5/class-model"), 400, "class is missing");
        assertRefused(get("/api/models/lenet5/confusion/cell?true=1"), 400, "predicted is missing");
        assertRefused(get("/api/compare-kernels?models=lenet5,nope"), 404, "no model 'nope'");
        assertRefused(get("/api/compare-kernels?models=mlp"), 400, "no convolution layer");
        assertRefused(get("/api/models/lenet5/embedding?layer=..%2F..%2Fetc"), 404, "no layer");
        // absurd numbers and wrong types
        assertRefused(get("/api/models/lenet5/robustness?images=99999999999"), 400, "images must be from 16 to 500");
        assertRefused(get("/api/models/lenet5/robustness?images=-3"), 400, "images must be from 16");
        assertRefused(get("/api/models/lenet5/confusion?images=lots"), 400, "images must be a whole number");
        assertRefused(get("/api/models/lenet5/embedding?method=umap"), 400, "method must be tsne or pca");
        assertRefused(get("/api/models/lenet5/embedding?images=50"), 400, "images must be from 100");
        assertRefused(get("/api/models/lenet5/embedding?perplexity=NaN"), 400, "perplexity must be from 2");
        assertRefused(get("/api/models/lenet5/embedding?perplexity=1e308"), 400, "perplexity must be from 2");
        assertRefused(get("/api/models/lenet5/embedding?iterations=1.5"), 400, "iterations must be a whole number");
        assertRefused(get("/api/models/lenet5/sanity?images=0"), 400, "images must be from 1 to 16");
        assertRefused(get("/api/models/lenet5/thumbnails?from=0&count=100000"), 400, "count must be from 1");
        assertRefused(get("/api/models/lenet5/thumbnails?indices=1,x"), 400, "index must be a whole number");
        assertRefused(get("/api/models/lenet5/thumbnails?indices=500"), 400, "index must be from 0 to 499");
    }
}
