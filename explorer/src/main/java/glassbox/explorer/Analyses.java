package glassbox.explorer;

import com.fasterxml.jackson.annotation.JsonIgnore;
import glassbox.data.Dataset;
import glassbox.layers.Conv2d;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;
import glassbox.viz.activations.Inputs;
import glassbox.viz.activations.TopPatchSheets;
import glassbox.viz.activations.TopPatches;
import glassbox.viz.bias.Confusion;
import glassbox.viz.embedding.Embedding;
import glassbox.viz.embedding.Features;
import glassbox.viz.embedding.Tsne;
import glassbox.viz.gradients.ClassModel;
import glassbox.viz.gradients.Explainer;
import glassbox.viz.gradients.InputRange;
import glassbox.viz.gradients.Method;
import glassbox.viz.gradients.SanityCheck;
import glassbox.viz.gradients.Target;
import glassbox.viz.render.Raster;
import glassbox.viz.robustness.Attack;
import glassbox.viz.robustness.AttackCurves;
import glassbox.viz.robustness.Corruption;
import glassbox.viz.robustness.CorruptionCurves;
import glassbox.viz.robustness.Curve;
import glassbox.viz.robustness.Pixels;
import glassbox.viz.robustness.Predict;
import glassbox.viz.weights.ConvKernels;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explorer's heavier views as calls of the {@code glassbox.viz} computations, with the settings of the
 * CLI commands that render the same pictures, and the records the page receives. Each runs on a model
 * instance of its own (made from the model file), so the interactive routes keep both pooled instances.
 *
 * <p>Leaves out drawing: the page draws the numbers (charts, heatmaps, thumbnails). Images travel as 8-bit
 * pixels, planar C*H*W like the test-image route, base64.
 */
public final class Analyses {
    private Analyses() {
    }

    /** Batch size of the forward passes (as the CLI's default is too large for a shared two-core machine). */
    static final int BATCH = 64;

    // ---- robustness ----

    /**
     * Robust accuracy of one model: FGSM and PGD-10 (L-inf) over epsilon, and a few corruptions over severity.
     *
     * @param images      first test images used
     * @param attacks     FGSM then PGD-10, levels = epsilons in pixel units 0..1
     * @param corruptions noise, blur, rotate; levels = each corruption's parameter at severity 0..5
     */
    public record Robustness(String dataset, int images, List<Curve> attacks, List<Curve> corruptions, double seconds) {
    }

    /** The CLI's default radii: grey images take larger ones than colour images (./glassbox robustness). */
    static float[] epsilons(int channels) {
        return channels == 1 ? new float[]{0, .05f, .1f, .15f, .2f, .3f} : new float[]{0, 1 / 255f, 2 / 255f, 4 / 255f, 8 / 255f, 16 / 255f};
    }

    static final List<Corruption> CORRUPTIONS = List.of(Corruption.NOISE, Corruption.BLUR, Corruption.ROTATE);

    static Robustness robustness(ModelEntry e, int n, Jobs.Job job) {
        long t0 = System.nanoTime();
        Model m = e.file().toModel();
        Normalization norm = e.normalization();
        Dataset d = e.testImages();
        float[] eps = epsilons(d.channels());
        Attack fgsm = Attack.fgsm(eps[1]), pgd = Attack.pgd(Attack.Norm.LINF, eps[1], 10, 1);
        List<Curve> attacks = new ArrayList<>();
        attacks.add(AttackCurves.run(e.id(), m, norm, d, n, fgsm, eps, BATCH, eps[1], 0, job.part(0, 3, "FGSM")).curve());
        attacks.add(AttackCurves.run(e.id(), m, norm, d, n, pgd, eps, BATCH, eps[1], 0, job.part(1, 3, "PGD-10")).curve());
        List<Curve> corr = CorruptionCurves.run(e.id(), m, norm, d, n, CORRUPTIONS, BATCH, 0, 1, job.part(2, 3, "corruptions"))
                .stream().map(CorruptionCurves.Result::curve).toList();
        return new Robustness(e.testSource(), n, attacks, corr, (System.nanoTime() - t0) / 1e9);
    }

    // ---- confusion ----

    /**
     * The confusion matrix of the first {@code images} test images, and each image's predicted class (kept
     * on the server for the cell route).
     */
    public record ConfusionView(String dataset, int images, Confusion confusion, @JsonIgnore int[] predicted) {
    }

    static ConfusionView confusion(ModelEntry e, int n, Jobs.Job job) {
        Model m = e.file().toModel();
        Dataset d = e.testImages();
        int[] predicted = predictions(m, e.normalization(), d, n, job.part(0, 2, "predictions"));
        Confusion c = Confusion.of(m, e.normalization(), d, n, BATCH, 12, 8, 24, job.part(1, 2, "confusion matrix"));
        return new ConfusionView(e.testSource(), n, c, predicted);
    }

    /** The predicted class of each of the first {@code n} images of {@code d} ({@link Predict}, a batch at a time). */
    static int[] predictions(Model m, Normalization norm, Dataset d, int n, glassbox.viz.Progress progress) {
        int k = d.numClasses();
        int[] out = new int[n];
        progress.start("images classified", n);
        for (int from = 0; from < n; from += BATCH) {
            int b = Math.min(BATCH, n - from);
            float[] p = Predict.probabilities(m, norm, Pixels.of(d, from, b), b);
            for (int i = 0; i < b; i++) out[from + i] = Predict.argmax(p, i, k);
            progress.stepTo(from + b);
        }
        progress.end();
        return out;
    }

    // ---- embedding ----

    /** A t-SNE or PCA map of one layer's features, with each point's predicted class. */
    public record EmbeddingView(String dataset, Embedding embedding, int[] predicted) {
    }

    static EmbeddingView embedding(ModelEntry e, Embedding.Method method, String layer, int n, double perplexity, int iterations, Jobs.Job job) {
        Model m = e.file().toModel();
        Dataset d = e.testImages();
        Normalization norm = e.normalization();
        Features f = Features.of(m, norm, d, n, layer, BATCH, job.part(0, 3, "features of " + layer));
        int[] predicted = predictions(m, norm, d, n, job.part(1, 3, "predictions"));
        Tsne tsne = new Tsne(perplexity, iterations, 0, 12, Math.min(250, iterations / 4), 0.5, 50, 1); // as ./glassbox embed
        job.report(2 / 3.0, method == Embedding.Method.TSNE ? "t-SNE steps" : "PCA");
        Embedding em = Embedding.of(f, d.classNames(), method, tsne, 5,
                (it, its, kl) -> job.report((2 + (double) it / its) / 3, "t-SNE step " + it + " of " + its + ", KL " + String.format("%.3f", kl)));
        return new EmbeddingView(e.testSource(), em, predicted);
    }

    // ---- sanity check ----

    /** The sanity check on the first {@code images} test images, each explained for its predicted class. */
    public record Sanity(String dataset, int[] images, int[] classes, SanityCheck.Result result) {
    }

    static Sanity sanity(ModelEntry e, int n, Jobs.Job job) {
        Model m = e.file().toModel();
        Dataset d = e.testImages();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Tensor x = Inputs.batch(d, idx, Inputs.normalized(e.normalization()));
        Tensor logits = m.forward(x, false);
        int k = d.numClasses();
        int[] cls = new int[n];
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < k; j++) if (logits.data()[i * k + j] > logits.data()[i * k + cls[i]]) cls[i] = j;
            targets.add(new Target.ClassScore(cls[i]));
        }
        Method.Options dft = Method.Options.defaults(e.normalization(), e.file().classNames());
        // As ./glassbox explain sanity: Integrated Gradients with 16 steps (the check runs every method many times).
        Method.Options o = new Method.Options(dft.norm(), dft.classNames(), dft.smoothN(), dft.smoothNoise(), dft.seed(), 16,
                dft.igBaseline(), dft.igRule(), null, dft.patch(), dft.stride());
        List<Method> ms = new ArrayList<>(List.of(Method.SALIENCY, Method.GRADIENT, Method.GRADIENT_X_INPUT, Method.GUIDED_BACKPROP,
                Method.INTEGRATED_GRADIENTS));
        if (!ConvKernels.convLayers(m).isEmpty()) ms.addAll(List.of(Method.GRADCAM, Method.GUIDED_GRADCAM));
        Map<String, Explainer> named = new LinkedHashMap<>();
        for (Method method : ms) named.put(method.cliName(), method.explainer(o));
        SanityCheck.Result r = SanityCheck.run(m, x, targets, named, 1, f -> job.report(f, "explaining after each randomized layer"));
        return new Sanity(e.testSource(), idx, cls, r);
    }

    // ---- class model ----

    /** One snapshot of the ascent as 8-bit pixels. */
    public record Snapshot(int step, String pixels) {
    }

    /**
     * A class-model image (gradient ascent on the input) with the CLI's default settings.
     *
     * @param shape       [C, H, W]
     * @param pixels      the final image as 8-bit planar pixels, base64
     * @param scores      the class score before each step
     * @param probability softmax probability of the class for the final image
     */
    public record ClassModelView(String target, int cls, int[] shape, String pixels, List<Snapshot> snapshots, float[] scores,
                                 double finalScore, double probability, ClassModel.Settings settings) {
    }

    static ClassModelView classModel(ModelEntry e, int cls, Jobs.Job job) {
        Model m = e.file().toModel();
        InputRange range = InputRange.of(e.normalization());
        ClassModel.Result r = ClassModel.compute(m, new Target.ClassScore(cls), range, ClassModel.Settings.defaults(),
                e.file().classNames(), f -> job.report(f, "gradient ascent on the input"));
        List<Snapshot> snaps = new ArrayList<>();
        for (ClassModel.Snapshot s : r.snapshots()) snaps.add(new Snapshot(s.step(), pixels(s.image(), r.channels(), range)));
        return new ClassModelView(r.target(), cls, new int[]{r.channels(), r.height(), r.width()}, pixels(r.image(), r.channels(), range),
                snaps, r.scores(), r.finalScore(), r.probability(), r.settings());
    }

    /** Model-input values [C, H, W] as 8-bit pixels (the normalization undone), base64. */
    static String pixels(float[] x, int c, InputRange range) {
        int hw = x.length / c;
        byte[] b = new byte[x.length];
        for (int i = 0; i < x.length; i++) b[i] = (byte) range.toPixel(x[i], i / hw);
        return Base64.getEncoder().encodeToString(b);
    }

    // ---- top patches ----

    static TopPatches topPatches(ModelEntry e, String layer, int n, int k, Jobs.Job job) {
        Model m = e.file().toModel();
        Dataset d = e.testImages();
        glassbox.viz.Progress p = job.part(0, 1, "scanning " + layer);
        p.start("images scanned", n);
        return TopPatches.of(m, layer, d, Inputs.normalized(e.normalization()), k, n, BATCH, p::stepTo);
    }

    /** One patch as the page draws it: the hit and its crop (RGB, 3 bytes a pixel, row-major, base64). */
    public record PatchView(float value, int image, int y, int x, int[] window, String label, int size, String rgb) {
    }

    /** Channel {@code channel} of a top-patches scan, with its crops. */
    public record ChannelPatches(String layer, int channel, boolean dead, int receptiveField, String dataset, int imagesScanned,
                                 List<PatchView> patches) {
    }

    static ChannelPatches channel(TopPatches tp, int channel, Dataset d) {
        TopPatches.Channel c = tp.channels().get(channel);
        List<PatchView> ps = new ArrayList<>();
        for (TopPatches.Patch p : c.patches()) {
            Raster crop = TopPatchSheets.crop(d, p.image(), p.window());
            int[] px = crop.pixels();
            byte[] rgb = new byte[3 * px.length];
            for (int i = 0; i < px.length; i++) {
                rgb[3 * i] = (byte) (px[i] >> 16);
                rgb[3 * i + 1] = (byte) (px[i] >> 8);
                rgb[3 * i + 2] = (byte) px[i];
            }
            ps.add(new PatchView(p.value(), p.image(), p.y(), p.x(), p.window(), p.label(), crop.width(), Base64.getEncoder().encodeToString(rgb)));
        }
        return new ChannelPatches(tp.layer(), channel, c.dead(), tp.field().size(), tp.dataset(), tp.imagesScanned(), ps);
    }

    /** The model's conv layers by name (for messages and the page's layer picker). */
    static List<String> convNames(Model m) {
        return ConvKernels.convLayers(m).stream().map(Conv2d::name).toList();
    }
}
