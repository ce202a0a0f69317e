package glassbox.explorer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glassbox.data.Dataset;
import glassbox.layers.Conv2d;
import glassbox.layers.Layer;
import glassbox.layers.Linear;
import glassbox.model.Model;
import glassbox.tensor.Param;
import glassbox.viz.gradients.ImageFile;
import glassbox.viz.gradients.Method;
import glassbox.viz.render.JsonOut;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The explorer's web server: JSON routes over the computations, and the page ({@code web/index.html} with
 * its modules) as static files from the jar; browser libraries come from WebJars, so it all works offline.
 *
 * <p>Routes (every answer is JSON; every refusal is {@code {"error": "..."}} with a 4xx status):
 * <pre>
 * GET  /api/models                          the models to pick from, with their layers
 * GET  /api/models/{id}/images/{index}      one test image (8-bit pixels, label)
 * POST /api/models/{id}/predict             {"index": n} or {"pixels": base64 C*H*W bytes}: probabilities
 *                                           and every layer's activation maps ({@link Forward})
 * GET  /api/models/{id}/kernels/{layer}?channel=k   the weights feeding output channel k of a conv layer
 * POST /api/models/{id}/explain             {"index"|"pixels", "method", "class"?, "layer"?}: one explanation map
 *                                           ({@link Explain}, the computations of ./glassbox explain)
 * POST /api/models/{id}/upload              the bytes of a PNG or JPEG: decoded in memory by {@link ImageFile}
 *                                           (its size and decompression-bomb checks), then answered like predict
 *                                           plus the 8-bit pixels the model saw
 * /api/train...                             live training, one at a time ({@link LiveTraining})
 * </pre>
 * Binds to 127.0.0.1 unless told otherwise. Leaves out authentication: it is a local teaching tool.
 */
public final class ExplorerServer {
    /** Largest request body accepted (an uploaded picture or a drawn image), in bytes. */
    public static final long MAX_BODY = 4L << 20;

    public record LayerInfo(String name, String kind, int[] outputShape, int params) {
    }

    public record ModelSummary(String id, String arch, String dataset, int[] inputShape, List<String> classNames,
                               String accuracy, List<LayerInfo> layers) {
    }

    public record TestImage(int index, int count, int label, String labelName, int[] shape, String pixels, String source) {
    }

    public record Kernels(String layer, int channel, int[] shape, float[] values, float absMax) {
    }

    public record ApiError(String error) {
    }

    private final ModelRegistry models;
    private final Javalin app;
    private final LiveTraining training;

    /** A server whose live trainings write to {@code runs/} under the working directory. */
    public ExplorerServer(ModelRegistry models) {
        this(models, Path.of("runs"));
    }

    /** @param runs folder for the models, checkpoints and run files of live trainings */
    public ExplorerServer(ModelRegistry models, Path runs) {
        this.models = models;
        this.training = new LiveTraining(models, runs);
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_BODY;
            cfg.jsonMapper(new JavalinJackson(JsonOut.mapper(), false));
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/glassbox/explorer/web";
                sf.location = Location.CLASSPATH;
            });
            cfg.staticFiles.enableWebjars();
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        });
        app.get("/api/models", ctx -> ctx.json(models.all().stream().map(ExplorerServer::summary).toList()));
        app.get("/api/models/{id}/images/{index}", this::testImage);
        app.post("/api/models/{id}/predict", this::predict);
        app.get("/api/models/{id}/kernels/{layer}", this::kernels);
        app.post("/api/models/{id}/explain", this::explain);
        app.post("/api/models/{id}/upload", this::upload);
        ViewRoutes.register(app, models);
        training.register(app);

        app.exception(ApiException.class, (e, ctx) -> ctx.status(e.status()).json(new ApiError(e.getMessage())));
        app.exception(IllegalArgumentException.class, (e, ctx) -> ctx.status(400).json(new ApiError(e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            if (System.getenv("GLASSBOX_DEBUG") != null) e.printStackTrace();
            ctx.status(500).json(new ApiError("internal error: " + e.getClass().getSimpleName()));
        });
        app.error(404, ctx -> {
            // Our own 404s are JSON already; Javalin's plain-text "Endpoint ... not found" becomes JSON too.
            if (!"application/json".equals(ctx.res().getContentType())) ctx.json(new ApiError("no such page or route: " + ctx.path()));
        });
        app.error(413, ctx -> ctx.json(new ApiError("request body larger than " + (MAX_BODY >> 20) + " MiB")));
    }

    /** Starts listening; {@code port} 0 picks a free port. Returns the port. */
    public int start(String host, int port) {
        app.start(host, port);
        return app.port();
    }

    /** Stops a live training at a step boundary (its checkpoint written), then the server. */
    public void stop() {
        training.shutdown();
        app.stop();
    }

    static ModelSummary summary(ModelEntry e) {
        List<LayerInfo> layers = e.withModel(m -> {
            List<LayerInfo> out = new ArrayList<>();
            int[] shape = withBatch(m.inputShape());
            for (Layer l : m.layers()) shape = describe(l, shape, out);
            return out;
        });
        var f = e.file();
        return new ModelSummary(e.id(), f.arch(), e.dataset(), f.inputShape(), f.classNames(),
                f.meta().getOrDefault("test_accuracy", f.meta().get("accuracy")), layers);
    }

    /** Adds {@code l} (and the layers inside a block) to {@code out}; returns l's output shape. */
    private static int[] describe(Layer l, int[] in, List<LayerInfo> out) {
        int[] y = l.outputShape(in);
        int params = l.params().stream().mapToInt(p -> p.value().size()).sum();
        out.add(new LayerInfo(l.name(), l.getClass().getSimpleName(), java.util.Arrays.copyOfRange(y, 1, y.length), params));
        if (l instanceof glassbox.layers.Residual r) {
            int[] s = in;
            for (Layer c : r.main()) s = describe(c, s, out);
            s = in;
            for (Layer c : r.shortcut()) s = describe(c, s, out);
        }
        return y;
    }

    private static int[] withBatch(int[] s) {
        int[] b = new int[s.length + 1];
        b[0] = 1;
        System.arraycopy(s, 0, b, 1, s.length);
        return b;
    }

    private void testImage(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        Dataset d = e.testImages();
        int i = intParam(ctx.pathParam("index"), "index", 0, d.size() - 1);
        byte[] px = new byte[d.sampleSize()];
        System.arraycopy(d.pixels(), i * d.sampleSize(), px, 0, px.length);
        ctx.json(new TestImage(i, d.size(), d.label(i), d.className(i), new int[]{d.channels(), d.height(), d.width()},
                Base64.getEncoder().encodeToString(px), e.testSource()));
    }

    /** The image a request names: a test image ({@code index}) or sent pixels ({@code pixels}). */
    private record Input(Dataset data, int index, int label) {
    }

    private static Input input(ModelEntry e, JsonNode body) {
        if (body.hasNonNull("index")) {
            Dataset d = e.testImages();
            int i = intParam(body.get("index").asText(), "index", 0, d.size() - 1);
            return new Input(d, i, d.label(i));
        } else if (body.hasNonNull("pixels")) {
            int[] in = e.file().inputShape();
            byte[] px;
            try {
                px = Base64.getDecoder().decode(body.get("pixels").asText());
            } catch (IllegalArgumentException ex) {
                throw ApiException.badRequest("pixels is not base64: " + ex.getMessage());
            }
            int need = in[0] * in[1] * in[2];
            if (px.length != need) {
                throw ApiException.badRequest("pixels has " + px.length + " bytes but the model takes " + in[0] + "x" + in[1] + "x" + in[2] + " = " + need);
            }
            return new Input(new Dataset("drawn", "drawn", in[0], in[1], in[2], px, new byte[1], e.file().classNames()), 0, -1);
        }
        throw ApiException.badRequest("give {\"index\": n} (a test image) or {\"pixels\": base64} (C*H*W bytes)");
    }

    private void predict(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        Input in = input(e, jsonBody(ctx));
        ctx.json(Forward.run(e, in.data(), in.index(), in.label()));
    }

    private void explain(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        JsonNode body = jsonBody(ctx);
        if (!body.hasNonNull("method")) throw ApiException.badRequest("method is missing; one of " + String.join(", ", Explain.OFFERED));
        Method method = Explain.method(body.get("method").asText());
        Integer cls = body.hasNonNull("class") ? classParam(e, body.get("class").asText()) : null;
        String layer = null;
        if (body.hasNonNull("layer")) {
            layer = body.get("layer").asText();
            if (method != Method.GRADCAM && method != Method.GUIDED_GRADCAM) {
                throw ApiException.badRequest("layer is for gradcam only, not " + method.cliName());
            }
        }
        Input in = input(e, body);
        ctx.json(Explain.run(e, in.data(), in.index(), method, cls, layer));
    }

    /** A class index 0..K-1 or a class name. */
    private static int classParam(ModelEntry e, String text) {
        List<String> names = e.file().classNames();
        for (int k = 0; k < names.size(); k++) if (names.get(k).equalsIgnoreCase(text.trim())) return k;
        if (!text.trim().matches("-?\\d+")) {
            throw ApiException.badRequest("class must be a class index 0.." + (names.size() - 1) + " or a name of " + names + ", got '" + abbreviate(text) + "'");
        }
        return intParam(text, "class", 0, names.size() - 1);
    }

    private void upload(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT).replaceFirst(";.*", "").trim();
        if (!type.equals("image/png") && !type.equals("image/jpeg")) {
            throw new ApiException(415, "send the picture as image/png or image/jpeg, not " + (type.isEmpty() ? "nothing" : type));
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) throw ApiException.badRequest("the request body is empty: send the picture's bytes");
        int[] in = e.file().inputShape();
        Dataset one = ImageFile.load(bytes, "the uploaded picture", in[0], in[1], in[2], e.file().classNames());
        ObjectNode answer = JsonOut.mapper().valueToTree(Forward.run(e, one, 0, -1));
        answer.put("pixels", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(one.pixels(), one.sampleSize())));
        answer.putPOJO("shape", in);
        ctx.json(answer);
    }

    private void kernels(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        String name = ctx.pathParam("layer");
        Kernels k = e.withModel(m -> {
            Layer l = layerOrNull(m, name);
            if (l == null) throw ApiException.notFound("model " + e.id() + " has no layer '" + name + "'");
            return switch (l) {
                case Conv2d c -> {
                    int ch = intParam(ctx.queryParamAsClass("channel", String.class).getOrDefault("0"), "channel", 0, c.outChannels() - 1);
                    int per = c.inChannels() * c.kernel() * c.kernel();
                    float[] w = java.util.Arrays.copyOfRange(c.weight().value().data(), ch * per, (ch + 1) * per);
                    yield new Kernels(name, ch, new int[]{c.inChannels(), c.kernel(), c.kernel()}, w, absMax(w));
                }
                case Linear lin -> {
                    Param w = lin.params().getFirst();
                    int out = w.value().dim(0), in = w.value().dim(1);
                    int ch = intParam(ctx.queryParamAsClass("channel", String.class).getOrDefault("0"), "channel", 0, out - 1);
                    float[] row = java.util.Arrays.copyOfRange(w.value().data(), ch * in, (ch + 1) * in);
                    yield new Kernels(name, ch, new int[]{in}, row, absMax(row));
                }
                default -> throw ApiException.badRequest("layer '" + name + "' (" + l.getClass().getSimpleName() + ") has no kernels");
            };
        });
        ctx.json(k);
    }

    private static Layer layerOrNull(Model m, String name) {
        for (Layer l : m.allLayers()) if (l.name().equals(name)) return l;
        return null;
    }

    private static float absMax(float[] v) {
        float a = 0;
        for (float x : v) a = Math.max(a, Math.abs(x));
        return a;
    }

    static JsonNode jsonBody(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "send the request body as application/json, not " + (type == null ? "nothing" : type));
        }
        try {
            JsonNode n = JsonOut.mapper().readTree(ctx.body());
            if (n == null || !n.isObject()) throw ApiException.badRequest("the request body must be a JSON object");
            return n;
        } catch (JsonProcessingException ex) {
            throw ApiException.badRequest("the request body is not valid JSON: " + ex.getOriginalMessage());
        }
    }

    /** A whole number within [lo, hi], or a 400 that names the parameter and the range. */
    static int intParam(String text, String name, int lo, int hi) {
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException ex) {
            throw ApiException.badRequest(name + " must be a whole number from " + lo + " to " + hi + ", got '" + abbreviate(text) + "'");
        }
        if (v < lo || v > hi) throw ApiException.badRequest(name + " must be from " + lo + " to " + hi + ", got " + v);
        return (int) v;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
