package glassbox.explorer;

import glassbox.data.Dataset;
import glassbox.layers.Layer;
import glassbox.model.Model;
import glassbox.viz.activations.LayerGeometry;
import glassbox.viz.activations.TopPatches;
import glassbox.viz.embedding.Embedding;
import glassbox.viz.embedding.Features;
import glassbox.viz.weights.ConvKernels;
import glassbox.viz.weights.FcTemplates;
import glassbox.viz.weights.KernelComparison;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The explorer's routes for the views beyond one image: kernels of a layer, kernels compared across the loaded
 * models, top-activating patches of a channel, robustness curves, the confusion matrix and its cells, the
 * t-SNE/PCA map, the sanity check and class models; and thumbnails of test images for all of them.
 *
 * <pre>
 * GET /api/models/{id}/layer-kernels/{layer}                   ConvKernels of a conv layer (every kernel)
 * GET /api/models/{id}/templates                              FcTemplates of a first fully connected layer
 * GET /api/compare-kernels?models=a,b                          KernelComparison of the models' first conv layers
 * GET /api/models/{id}/top-patches/{layer}?channel=k&amp;images=n  background: the k patches of one channel
 * GET /api/models/{id}/robustness?images=n                     background: FGSM, PGD-10 and corruption curves
 * GET /api/models/{id}/confusion?images=n                      background: the Confusion record
 * GET /api/models/{id}/confusion/cell?true=a&amp;predicted=b&amp;images=n   the images of one cell (once computed)
 * GET /api/models/{id}/embedding?method=tsne|pca&amp;images=n&amp;layer=L&amp;perplexity=p&amp;iterations=i   background
 * GET /api/models/{id}/sanity?images=n                         background: the cascading-randomization check
 * GET /api/models/{id}/class-model?class=k                     background: the class-model image
 * GET /api/models/{id}/thumbnails?indices=1,2,3 or ?from=0&amp;count=n   8-bit pixels of test images
 * </pre>
 * A background route answers 202 with {@link Jobs.Status} (progress) until the result is there, then 200 with
 * it; the page asks again meanwhile. Bad parameters answer 400, unknown models and layers 404, all as JSON.
 */
public final class ViewRoutes {
    /** Most thumbnails in one answer. */
    public static final int MAX_THUMBNAILS = 2000;

    private final ModelRegistry models;
    private final Jobs jobs = new Jobs();
    private final Map<String, KernelComparison> comparisons = new ConcurrentHashMap<>();

    private ViewRoutes(ModelRegistry models) {
        this.models = models;
    }

    /** Adds the routes to {@code app}; returns the background computations (to stop with the server). */
    public static Jobs register(Javalin app, ModelRegistry models) {
        ViewRoutes r = new ViewRoutes(models);
        app.get("/api/models/{id}/layer-kernels/{layer}", r::layerKernels);
        app.get("/api/models/{id}/templates", r::templates);
        app.get("/api/compare-kernels", r::compareKernels);
        app.get("/api/models/{id}/top-patches/{layer}", r::topPatches);
        app.get("/api/models/{id}/robustness", r::robustness);
        app.get("/api/models/{id}/confusion", r::confusion);
        app.get("/api/models/{id}/confusion/cell", r::confusionCell);
        app.get("/api/models/{id}/embedding", r::embedding);
        app.get("/api/models/{id}/sanity", r::sanity);
        app.get("/api/models/{id}/class-model", r::classModel);
        app.get("/api/models/{id}/thumbnails", r::thumbnails);
        app.events(ev -> ev.serverStopping(r.jobs::stop));
        return r.jobs;
    }

    // ---- kernels ----

    /** A conv layer's kernels, and the names of every conv layer of the model (for the picker). */
    public record LayerKernels(List<String> convLayers, ConvKernels kernels) {
    }

    private void layerKernels(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        String name = ctx.pathParam("layer");
        ctx.json(e.withModel(m -> {
            layer(e, m, name);
            List<String> convs = Analyses.convNames(m);
            if (!convs.contains(name)) {
                throw ApiException.badRequest("'" + name + "' is not a convolution layer" + (convs.isEmpty()
                        ? "; " + m.arch() + " has none" : "; conv layers: " + String.join(", ", convs)));
            }
            return new LayerKernels(convs, ConvKernels.weights(ConvKernels.conv(m, name)));
        }));
    }

    /** The templates of the first layer when it is fully connected (linear, mlp): the "kernels" of such models. */
    private void templates(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        ctx.json(e.withModel(m -> FcTemplates.firstLayer(m, e.file().classNames())));
    }

    private void compareKernels(Context ctx) {
        String asked = ctx.queryParam("models");
        List<ModelEntry> es = new ArrayList<>();
        if (asked == null || asked.isBlank()) {
            for (ModelEntry e : models.all()) if (e.withModel(m -> !ConvKernels.convLayers(m).isEmpty())) es.add(e);
            if (es.isEmpty()) throw ApiException.badRequest("none of the listed models has a convolution layer to compare");
        } else {
            for (String id : asked.split(",")) es.add(models.get(id.trim()));
            if (es.size() > 12) throw ApiException.badRequest("compare at most 12 models at once, got " + es.size());
        }
        String key = String.join(",", es.stream().map(ModelEntry::id).toList());
        KernelComparison c = comparisons.get(key);
        if (c == null) {
            List<KernelComparison.Entry> entries = new ArrayList<>();
            for (ModelEntry e : es) {
                entries.add(e.withModel(m -> {
                    var convs = ConvKernels.convLayers(m);
                    if (convs.isEmpty()) throw ApiException.badRequest(e.id() + " (" + m.arch() + ") has no convolution layer to compare");
                    return new KernelComparison.Entry(e.id() + " " + convs.getFirst().name(), convs.getFirst().weight().value());
                }));
            }
            c = KernelComparison.of(entries);
            comparisons.put(key, c);
        }
        ctx.json(c);
    }

    // ---- top patches ----

    private void topPatches(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        String name = ctx.pathParam("layer");
        Dataset d = e.testImages();
        int channels = e.withModel(m -> {
            layer(e, m, name);
            List<String> spatial = LayerGeometry.spatialLayers(m);
            if (!spatial.contains(name)) {
                throw ApiException.badRequest("'" + name + "' has no spatial maps, so no patches" + (spatial.isEmpty()
                        ? "; " + m.arch() + " has no such layer" : "; choose one of " + String.join(", ", spatial)));
            }
            return LayerGeometry.outputShapes(m).get(name)[1];
        });
        int ch = ExplorerServer.intParam(query(ctx, "channel", "0"), "channel", 0, channels - 1);
        int n = count(ctx, "images", Math.min(1000, d.size()), 1, d.size());
        String key = e.id() + "/top-patches/" + name + "/" + n;
        Jobs.Job job = jobs.get(key, j -> Analyses.topPatches(e, name, n, 8, j));
        Jobs.Status s = jobs.answer(key, job);
        if (job.state() == Jobs.State.DONE) s = withResult(s, Analyses.channel((TopPatches) job.result(), ch, d));
        reply(ctx, s);
    }

    // ---- robustness, confusion, embedding ----

    private void robustness(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        Dataset d = e.testImages();
        int n = count(ctx, "images", Math.min(256, d.size()), 16, Math.min(d.size(), 10000));
        background(ctx, e.id() + "/robustness/" + n, j -> Analyses.robustness(e, n, j));
    }

    private void confusion(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        Dataset d = e.testImages();
        int n = count(ctx, "images", Math.min(2000, d.size()), 10, d.size());
        background(ctx, e.id() + "/confusion/" + n, j -> Analyses.confusion(e, n, j));
    }

    /** The images of one cell of a computed confusion matrix: their indices (at most 200, in split order). */
    public record Cell(int trueClass, int predicted, int count, int[] indices) {
    }

    private void confusionCell(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        Dataset d = e.testImages();
        int t = classParam(e, query(ctx, "true", null), "true");
        int p = classParam(e, query(ctx, "predicted", null), "predicted");
        int n = count(ctx, "images", Math.min(2000, d.size()), 10, d.size());
        Jobs.Job job = jobs.peek(e.id() + "/confusion/" + n);
        if (job == null || job.state() != Jobs.State.DONE) {
            throw new ApiException(409, "the confusion matrix of " + n + " images is not computed yet: ask /api/models/" + e.id() + "/confusion?images=" + n + " first");
        }
        Analyses.ConfusionView v = (Analyses.ConfusionView) job.result();
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < v.images(); i++) if (d.label(i) == t && v.predicted()[i] == p && idx.size() < 200) idx.add(i);
        ctx.json(new Cell(t, p, v.confusion().counts()[t][p], idx.stream().mapToInt(Integer::intValue).toArray()));
    }

    private void embedding(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        Dataset d = e.testImages();
        String m = query(ctx, "method", "tsne").toLowerCase(Locale.ROOT);
        Embedding.Method method = switch (m) {
            case "tsne", "t-sne" -> Embedding.Method.TSNE;
            case "pca" -> Embedding.Method.PCA;
            default -> throw ApiException.badRequest("method must be tsne or pca, got '" + abbreviate(m) + "'");
        };
        boolean tsne = method == Embedding.Method.TSNE;
        int n = tsne ? count(ctx, "images", Math.min(1000, d.size()), 100, Math.min(d.size(), 5000))
                : count(ctx, "images", Math.min(2000, d.size()), 20, Math.min(d.size(), 10000));
        String layer = ctx.queryParam("layer");
        String l = e.withModel(model -> {
            if (layer == null || layer.isBlank()) return Features.penultimate(model);
            if (!layer.equals(Features.PIXELS)) layer(e, model, layer);
            return layer;
        });
        double perplexity = number(ctx, "perplexity", 30, 2, 100);
        if (tsne && 3 * perplexity >= n) throw ApiException.badRequest("perplexity " + perplexity + " needs more than " + (int) (3 * perplexity) + " images, got " + n);
        int iterations = count(ctx, "iterations", 1000, 250, 5000);
        String key = e.id() + "/embedding/" + m + "/" + l + "/" + n + (tsne ? "/" + perplexity + "/" + iterations : "");
        background(ctx, key, j -> Analyses.embedding(e, method, l, n, perplexity, iterations, j));
    }

    // ---- sanity check, class model ----

    private void sanity(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        Dataset d = e.testImages();
        int n = count(ctx, "images", Math.min(4, d.size()), 1, Math.min(16, d.size()));
        background(ctx, e.id() + "/sanity/" + n, j -> Analyses.sanity(e, n, j));
    }

    private void classModel(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        String c = ctx.queryParam("class");
        if (c == null) throw ApiException.badRequest("class is missing: a class index 0.." + (e.file().classNames().size() - 1) + " or a name");
        int cls = classParam(e, c, "class");
        background(ctx, e.id() + "/class-model/" + cls, j -> Analyses.classModel(e, cls, j));
    }

    // ---- thumbnails ----

    /** Test images as 8-bit planar pixels (C*H*W each, one after the other), with their labels. */
    public record Thumbnails(int[] shape, int[] indices, int[] labels, String pixels) {
    }

    private void thumbnails(Context ctx) {
        ModelEntry e = models.get(ctx.pathParam("id"));
        Dataset d = e.testImages();
        int[] idx;
        String list = ctx.queryParam("indices");
        if (list != null) {
            String[] parts = list.split(",");
            if (parts.length > MAX_THUMBNAILS) throw ApiException.badRequest("at most " + MAX_THUMBNAILS + " indices, got " + parts.length);
            idx = new int[parts.length];
            for (int i = 0; i < parts.length; i++) idx[i] = ExplorerServer.intParam(parts[i], "index", 0, d.size() - 1);
        } else {
            int from = ExplorerServer.intParam(query(ctx, "from", "0"), "from", 0, d.size() - 1);
            int count = ExplorerServer.intParam(query(ctx, "count", "1"), "count", 1, Math.min(MAX_THUMBNAILS, d.size() - from));
            idx = new int[count];
            for (int i = 0; i < count; i++) idx[i] = from + i;
        }
        int per = d.sampleSize();
        byte[] px = new byte[idx.length * per];
        int[] labels = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(d.pixels(), idx[i] * per, px, i * per, per);
            labels[i] = d.label(idx[i]);
        }
        ctx.json(new Thumbnails(new int[]{d.channels(), d.height(), d.width()}, idx, labels, Base64.getEncoder().encodeToString(px)));
    }

    // ---- helpers ----

    private void background(Context ctx, String key, java.util.function.Function<Jobs.Job, Object> work) {
        reply(ctx, jobs.answer(key, jobs.get(key, work)));
    }

    private static void reply(Context ctx, Jobs.Status s) {
        ctx.status(s.result() != null ? 200 : 202).json(s);
    }

    private static Jobs.Status withResult(Jobs.Status s, Object result) {
        return new Jobs.Status(s.status(), s.progress(), s.task(), s.seconds(), result);
    }

    /** The layer called {@code name}, or a 404 listing the model's layers. */
    private static Layer layer(ModelEntry e, Model m, String name) {
        for (Layer l : m.allLayers()) if (l.name().equals(name)) return l;
        throw ApiException.notFound("model " + e.id() + " has no layer '" + abbreviate(name) + "'; layers: "
                + String.join(", ", m.allLayers().stream().map(Layer::name).toList()));
    }

    private static String query(Context ctx, String name, String dflt) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            if (dflt == null) throw ApiException.badRequest(name + " is missing");
            return dflt;
        }
        return v;
    }

    /** A whole-number query parameter within [lo, hi] (default {@code dflt}), or a 400 naming the range. */
    private static int count(Context ctx, String name, int dflt, int lo, int hi) {
        if (hi < lo) throw ApiException.badRequest("the test split has too few images for this view (" + name + " needs at least " + lo + ")");
        return ExplorerServer.intParam(query(ctx, name, String.valueOf(dflt)), name, lo, hi);
    }

    private static double number(Context ctx, String name, double dflt, double lo, double hi) {
        String text = query(ctx, name, String.valueOf(dflt));
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException ex) {
            throw ApiException.badRequest(name + " must be a number from " + lo + " to " + hi + ", got '" + abbreviate(text) + "'");
        }
        if (!(v >= lo && v <= hi)) throw ApiException.badRequest(name + " must be from " + lo + " to " + hi + ", got " + abbreviate(text));
        return v;
    }

    /** A class index 0..K-1 or a class name. */
    private static int classParam(ModelEntry e, String text, String what) {
        List<String> names = e.file().classNames();
        for (int k = 0; k < names.size(); k++) if (names.get(k).equalsIgnoreCase(text.trim())) return k;
        if (!text.trim().matches("-?\\d+")) {
            throw ApiException.badRequest(what + " must be a class index 0.." + (names.size() - 1) + " or a name of " + names + ", got '" + abbreviate(text) + "'");
        }
        return ExplorerServer.intParam(text, what, 0, names.size() - 1);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
