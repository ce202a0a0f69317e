package glassbox.cli;

import glassbox.data.Dataset;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;
import glassbox.viz.activations.Inputs;
import glassbox.viz.gradients.Attribution;
import glassbox.viz.gradients.ClassModel;
import glassbox.viz.gradients.Explainer;
import glassbox.viz.gradients.Explanations;
import glassbox.viz.gradients.FeatureInversion;
import glassbox.viz.gradients.GradCam;
import glassbox.viz.gradients.ImageFile;
import glassbox.viz.gradients.InputRange;
import glassbox.viz.gradients.IntegratedGradients;
import glassbox.viz.gradients.Method;
import glassbox.viz.gradients.Occlusion;
import glassbox.viz.gradients.Saliency;
import glassbox.viz.gradients.SanityCheck;
import glassbox.viz.gradients.SmoothGrad;
import glassbox.viz.gradients.Target;
import glassbox.viz.render.Charts;
import glassbox.viz.render.Fmt;
import glassbox.viz.render.JsonOut;
import glassbox.viz.render.Png;
import glassbox.viz.render.Raster;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.DoubleConsumer;

/**
 * {@code ./glassbox explain <method> ...}: gradient-based explanations of a trained model, written as PNGs
 * (raw map with its colour bar, overlay, side by side with the input) and one JSON with every number.
 * One sub-command per method; the computations live in {@code glassbox.viz.gradients}. Errors print as
 * {@code glassbox explain: <message>}.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Which pixels drive a class score or a feature map (saliency, Grad-CAM, IG, ...), what a class "
                + "looks like to the model (class-model), what a layer keeps (invert), and whether a method explains "
                + "the model at all (sanity).",
        subcommands = {ExplainCommand.SaliencyCmd.class, ExplainCommand.GradientXInputCmd.class, ExplainCommand.GuidedCmd.class,
                ExplainCommand.DeconvnetCmd.class, ExplainCommand.SmoothGradCmd.class, ExplainCommand.IgCmd.class,
                ExplainCommand.GradCamCmd.class, ExplainCommand.GuidedGradCamCmd.class, ExplainCommand.OcclusionCmd.class,
                ExplainCommand.CompareCmd.class, ExplainCommand.ClassModelCmd.class, ExplainCommand.InvertCmd.class,
                ExplainCommand.SanityCmd.class, ExplainCommand.FoolCmd.class})
public final class ExplainCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** {@code --target}: explain the model's answer or the true class. */
    enum TargetChoice { PREDICTED, TRUE }

    /** The options of every explain command: model and data, images, what to explain, output folder, threads. */
    static class Common extends ModelDataMixin {
        @Option(names = "--out", defaultValue = "out/explain", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
        Path out;
        @Mixin
        ThreadsMixin threads;
    }

    static final class Images {
        @Option(names = "--image", paramLabel = "N|FILE", description = "A test image index or an image file (PNG/JPEG), repeatable. Default: the first --images test images.")
        List<String> image = new ArrayList<>();
        @Option(names = "--images", paramLabel = "N", description = "How many test images when no --image is given. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
        int images;
    }

    static final class What {
        @Option(names = "--class", paramLabel = "N|NAME", description = "Explain this class's score (index or name).")
        String cls;
        @Option(names = "--target", paramLabel = "predicted|true", description = "Without --class: the predicted or the true class. Default: ${DEFAULT-VALUE}.", defaultValue = "predicted")
        TargetChoice target;
        @Option(names = "--layer", paramLabel = "NAME", description = "Explain a feature map of this layer instead of a class score (with --channel).")
        String layer;
        @Option(names = "--channel", paramLabel = "K", description = "The channel of --layer. Default: 0.", defaultValue = "0")
        int channel;
    }

    static final class SmoothOpts {
        @Option(names = "--samples", paramLabel = "N", defaultValue = "50", description = "SmoothGrad: noisy copies (1..10000). Default: ${DEFAULT-VALUE}.")
        int samples;
        @Option(names = "--noise", paramLabel = "F", defaultValue = "0.15", description = "SmoothGrad: noise sigma as a fraction of the image's value range (0..1). Default: ${DEFAULT-VALUE}.")
        double noise;
        @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "SmoothGrad noise seed. Default: ${DEFAULT-VALUE}.")
        long seed;
    }

    static final class IgOpts {
        @Option(names = "--steps", paramLabel = "N", defaultValue = "50", description = "Integrated Gradients: intervals (1..10000). Default: ${DEFAULT-VALUE}.")
        int steps;
        @Option(names = "--baseline", paramLabel = "black|blurred|mean", defaultValue = "black", description = "Integrated Gradients baseline. Default: ${DEFAULT-VALUE}.")
        IntegratedGradients.Baseline baseline;
        @Option(names = "--rule", paramLabel = "trapezoid|riemann_left|riemann_right|riemann_middle", defaultValue = "trapezoid", description = "Integration rule. Default: ${DEFAULT-VALUE}.")
        IntegratedGradients.Rule rule;
    }

    static final class CamOpts {
        @Option(names = "--cam-layer", paramLabel = "NAME", description = "Grad-CAM: the layer whose feature maps are weighted. Default: the last one with spatial extent.")
        String camLayer;
    }

    static final class OcclusionOpts {
        @Option(names = "--patch", paramLabel = "P", defaultValue = "0", description = "Occlusion: patch side in pixels. Default: a seventh of the image side.")
        int patch;
        @Option(names = "--stride", paramLabel = "S", defaultValue = "0", description = "Occlusion: step in pixels. Default: half the patch.")
        int stride;
    }

    /** Runs {@code body}, printing the files written, or the error as one line {@code glassbox explain: message}. */
    static int run(Callable<List<Path>> body) {
        try {
            for (Path p : body.call()) System.out.println("wrote " + p);
            return 0;
        } catch (Exception | OutOfMemoryError e) {
            if (System.getenv("GLASSBOX_DEBUG") != null) e.printStackTrace();
            System.err.println("glassbox explain: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 2;
        }
    }

    static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /** Progress on stderr for work that takes more than a second: "\r<what> 42%". */
    static DoubleConsumer progress(String what) {
        long start = System.nanoTime();
        long[] last = {0};
        // On a terminal one line is redrawn in place; in a log file each report is a line of its own.
        boolean terminal = System.console() != null && System.console().isTerminal();
        return f -> {
            long now = System.nanoTime();
            long gap = terminal ? 500_000_000L : 5_000_000_000L; // twice a second on a terminal, every 5 s in a log
            if (now - start < 1_000_000_000L || (f < 1 && now - last[0] < gap)) return;
            last[0] = now;
            int pct = (int) Math.round(100 * f);
            if (terminal) System.err.print("\r" + what + " " + pct + "%" + (pct >= 100 ? "\n" : ""));
            else System.err.println(what + " " + pct + "%");
            System.err.flush();
        };
    }

    /** One image to explain: its model input, picture, label and name. */
    record Sample(String tag, String description, Tensor x, Raster picture, Integer trueClass) {
    }

    /** The model, its data and the chosen images, loaded once per command. */
    static final class Session {
        final ModelFile file;
        final Model model;
        final Normalization norm;
        final List<String> names;
        final InputRange range;
        final Common c;
        private Dataset data;

        Session(Common c) throws Exception {
            this.c = c;
            c.threads.apply();
            file = c.file();
            model = file.toModel();
            norm = new Normalization(file.mean(), file.std());
            names = file.classNames();
            range = InputRange.of(norm);
            Files.createDirectories(c.out);
        }

        Dataset data() throws Exception {
            if (data == null) data = c.data(file);
            return data;
        }

        List<Sample> samples(Images im) throws Exception {
            List<Sample> out = new ArrayList<>();
            List<String> specs = new ArrayList<>(im.image);
            check(im.images >= 1 && im.images <= 10000, "--images must be in 1..10000, got " + im.images);
            if (specs.isEmpty()) for (int i = 0; i < im.images; i++) specs.add(Integer.toString(i));
            int[] in = file.inputShape();
            for (String s : specs) {
                if (s.matches("\\d+")) {
                    Dataset d = data();
                    int i = Integer.parseInt(s);
                    check(i < d.size(), "--image " + i + " is outside 0.." + (d.size() - 1) + " of " + d.name() + "/" + d.split());
                    out.add(new Sample(d.split() + s, d.split() + " image " + s, Inputs.batch(d, new int[]{i}, Inputs.normalized(norm)),
                            Inputs.picture(d, i), d.label(i)));
                } else {
                    Dataset one = ImageFile.load(Path.of(s), in[0], in[1], in[2], names);
                    String tag = Path.of(s).getFileName().toString().replaceAll("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_-]", "_");
                    out.add(new Sample(tag, Path.of(s).getFileName().toString(), Inputs.batch(one, new int[]{0}, Inputs.normalized(norm)),
                            Inputs.picture(one, 0), null));
                }
            }
            return out;
        }

        int classIndex(String cls) {
            if (cls.matches("\\d+")) {
                int k = Integer.parseInt(cls);
                check(k < names.size(), "--class " + k + " is outside 0.." + (names.size() - 1));
                return k;
            }
            for (int k = 0; k < names.size(); k++) if (names.get(k).equalsIgnoreCase(cls)) return k;
            throw new IllegalArgumentException("--class " + cls + " is not a class of this model; classes: " + names);
        }

        /** Softmax probabilities [K] of one image. */
        float[] probabilities(Tensor x) {
            Tensor logits = model.forward(x, false);
            float[] p = new float[logits.dim(1)];
            for (int k = 0; k < p.length; k++) p[k] = Occlusion.softmax(logits, k)[0];
            return p;
        }

        Target target(What w, Sample s, int predicted) {
            if (w.layer != null) {
                model.layer(w.layer);
                check(w.channel >= 0, "--channel must be >= 0, got " + w.channel);
                return new Target.Channel(w.layer, w.channel);
            }
            if (w.cls != null) return new Target.ClassScore(classIndex(w.cls));
            if (w.target == TargetChoice.TRUE) {
                check(s.trueClass() != null, s.description() + " has no known true class; use --class or --target predicted");
                return new Target.ClassScore(s.trueClass());
            }
            return new Target.ClassScore(predicted);
        }

        String label(Sample s, int predicted, float[] p) {
            String truth = s.trueClass() == null ? "true class unknown" : "true " + s.trueClass() + " (" + names.get(s.trueClass()) + ")";
            return s.description() + " - " + truth + " - predicted " + predicted + " (" + names.get(predicted) + ", p = "
                    + Fmt.fixed(p[predicted], 3) + ")";
        }

        Method.Options options(SmoothOpts so, IgOpts io, CamOpts co, OcclusionOpts oo) {
            Method.Options d = Method.Options.defaults(norm, names);
            if (so != null) {
                check(so.samples >= 1 && so.samples <= 10000, "--samples must be in 1..10000, got " + so.samples);
                check(so.noise >= 0 && so.noise <= 1, "--noise must be in 0..1, got " + so.noise);
            }
            if (io != null) check(io.steps >= 1 && io.steps <= 10000, "--steps must be in 1..10000, got " + io.steps);
            int side = Math.min(file.inputShape()[1], file.inputShape()[2]);
            if (oo != null) {
                check(oo.patch >= 0 && oo.patch <= side, "--patch must be in 1.." + side + ", got " + oo.patch);
                check(oo.stride >= 0 && oo.stride <= side, "--stride must be in 1.." + side + ", got " + oo.stride);
            }
            if (co != null && co.camLayer != null) model.layer(co.camLayer);
            return new Method.Options(norm, names, so != null ? so.samples : d.smoothN(), so != null ? so.noise : d.smoothNoise(),
                    so != null ? so.seed : d.seed(), io != null ? io.steps : d.igSteps(), io != null ? io.baseline : d.igBaseline(),
                    io != null ? io.rule : d.igRule(), co != null ? co.camLayer : null, oo != null ? oo.patch : 0, oo != null ? oo.stride : 0);
        }
    }

    /** What the JSON holds per image: the image, the model's answer, what was explained, and the method's record. */
    record Entry(String image, Integer trueClass, int predicted, float[] probabilities, String target, Object result) {
    }

    /** A per-image method: one PNG per image (and per view), one JSON for the run. */
    abstract static class PerImage implements Callable<Integer> {
        @Mixin
        Common c;
        @Mixin
        Images images;
        @Mixin
        What what;

        abstract Method method();

        SmoothOpts smooth() {
            return null;
        }

        IgOpts ig() {
            return null;
        }

        CamOpts cam() {
            return null;
        }

        OcclusionOpts occlusion() {
            return null;
        }

        @Override
        public Integer call() {
            return run(() -> {
                Session s = new Session(c);
                Method.Options o = s.options(smooth(), ig(), cam(), occlusion());
                List<Path> files = new ArrayList<>();
                List<Entry> entries = new ArrayList<>();
                List<Sample> samples = s.samples(images);
                DoubleConsumer prog = progress(method().cliName());
                for (int i = 0; i < samples.size(); i++) {
                    Sample sm = samples.get(i);
                    float[] p = s.probabilities(sm.x());
                    int pred = argmax(p);
                    Target t = s.target(what, sm, pred);
                    Object record = compute(s, o, sm.x(), t);
                    Attribution a = attribution(record);
                    String note = note(record);
                    Path png = c.out.resolve(method().cliName() + "-" + sm.tag() + ".png");
                    Png.write(Explanations.sideBySide(a, sm.picture(), s.label(sm, pred, p), note), png);
                    files.add(png);
                    if (note != null && record instanceof IntegratedGradients.Result ig && ig.warning() != null) {
                        System.err.println("warning: " + sm.description() + ": " + ig.warning());
                    }
                    entries.add(new Entry(sm.description(), sm.trueClass(), pred, p, t.describe(s.names), record));
                    if (method() == Method.SALIENCY) { // the signed gradient comes with it
                        Attribution g = Saliency.signedGradient(s.model, sm.x(), t, s.names);
                        Path gp = c.out.resolve("gradient-" + sm.tag() + ".png");
                        Png.write(Explanations.sideBySide(g, sm.picture(), s.label(sm, pred, p), null), gp);
                        files.add(gp);
                        entries.add(new Entry(sm.description(), sm.trueClass(), pred, p, t.describe(s.names), g));
                    }
                    prog.accept((i + 1.0) / samples.size());
                }
                Path json = c.out.resolve(method().cliName() + ".json");
                JsonOut.write(Map.of("model", c.model.toString(), "method", method().cliName(), "images", entries), json);
                files.add(json);
                return files;
            });
        }

        /** The method's own record (IG and Grad-CAM carry more than the map). */
        Object compute(Session s, Method.Options o, Tensor x, Target t) {
            return switch (method()) {
                case SMOOTHGRAD -> SmoothGrad.compute(s.model, x, t, o.smoothN(), o.smoothNoise(), o.seed(), s.names);
                case INTEGRATED_GRADIENTS -> IntegratedGradients.compute(s.model, x, t, o.igBaseline(), o.norm(), o.igSteps(), o.igRule(), s.names);
                case GRADCAM -> GradCam.compute(s.model, x, t, o.camLayer(), s.names);
                default -> method().explainer(o).explain(s.model, x, t);
            };
        }

        static Attribution attribution(Object r) {
            return switch (r) {
                case Attribution a -> a;
                case SmoothGrad.Result sg -> sg.attribution();
                case IntegratedGradients.Result ig -> ig.attribution();
                case GradCam.Result gc -> gc.attribution();
                default -> throw new IllegalStateException("no map in " + r);
            };
        }

        static String note(Object r) {
            return switch (r) {
                case SmoothGrad.Result sg -> sg.n() + " noisy copies, sigma = " + Fmt.num(sg.noiseLevel()) + " x value range = " + Fmt.num(sg.sigma());
                case IntegratedGradients.Result ig -> String.format(Locale.ROOT,
                        "baseline %s, %s, %d steps: sum %.4g vs f(x) - f(baseline) = %.4g; completeness gap %.3g (%.2f%%)%s",
                        ig.baseline() == null ? "given" : ig.baseline().name().toLowerCase(Locale.ROOT), ig.rule().name().toLowerCase(Locale.ROOT),
                        ig.steps(), ig.attributionSum(), ig.scoreInput() - ig.scoreBaseline(), ig.gap(), 100 * ig.relativeGap(),
                        ig.warning() != null ? "  LARGE: use more --steps" : "");
                case GradCam.Result gc -> "Grad-CAM at " + gc.layer() + " (" + gc.camHeight() + "x" + gc.camWidth()
                        + "), upsampled bilinearly, pixel centres aligned (align_corners=False)";
                default -> null;
            };
        }
    }

    static int argmax(float[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[b]) b = i;
        return b;
    }

    @Command(name = "saliency", mixinStandardHelpOptions = true, description = "Vanilla gradient: |d score / d pixel|, max over colour channels (and the signed gradient).")
    static final class SaliencyCmd extends PerImage {
        Method method() {
            return Method.SALIENCY;
        }
    }

    @Command(name = "gradient-x-input", mixinStandardHelpOptions = true, description = "Gradient times input, signed, summed over colour channels.")
    static final class GradientXInputCmd extends PerImage {
        Method method() {
            return Method.GRADIENT_X_INPUT;
        }
    }

    @Command(name = "guided-backprop", mixinStandardHelpOptions = true, description = "Guided backpropagation: only positive gradients through active ReLUs.")
    static final class GuidedCmd extends PerImage {
        Method method() {
            return Method.GUIDED_BACKPROP;
        }
    }

    @Command(name = "deconvnet", mixinStandardHelpOptions = true, description = "Deconvnet: only positive gradients through every ReLU, whatever the forward pass.")
    static final class DeconvnetCmd extends PerImage {
        Method method() {
            return Method.DECONVNET;
        }
    }

    @Command(name = "smoothgrad", mixinStandardHelpOptions = true, description = "SmoothGrad: the gradient averaged over noisy copies (one batch).")
    static final class SmoothGradCmd extends PerImage {
        @Mixin
        SmoothOpts so;

        Method method() {
            return Method.SMOOTHGRAD;
        }

        SmoothOpts smooth() {
            return so;
        }
    }

    @Command(name = "integrated-gradients", mixinStandardHelpOptions = true, description = "Integrated Gradients from a baseline, with its completeness gap.")
    static final class IgCmd extends PerImage {
        @Mixin
        IgOpts io;

        Method method() {
            return Method.INTEGRATED_GRADIENTS;
        }

        IgOpts ig() {
            return io;
        }
    }

    @Command(name = "gradcam", mixinStandardHelpOptions = true, description = "Grad-CAM at a conv layer, upsampled bilinearly to the input.")
    static final class GradCamCmd extends PerImage {
        @Mixin
        CamOpts co;

        Method method() {
            return Method.GRADCAM;
        }

        CamOpts cam() {
            return co;
        }
    }

    @Command(name = "guided-gradcam", mixinStandardHelpOptions = true, description = "Guided Grad-CAM: guided backprop times the Grad-CAM map.")
    static final class GuidedGradCamCmd extends PerImage {
        @Mixin
        CamOpts co;

        Method method() {
            return Method.GUIDED_GRADCAM;
        }

        CamOpts cam() {
            return co;
        }
    }

    @Command(name = "occlusion", mixinStandardHelpOptions = true, description = "Occlusion: the drop in the class probability as a mean-colour patch slides over the image.")
    static final class OcclusionCmd extends PerImage {
        @Mixin
        OcclusionOpts oo;

        Method method() {
            return Method.OCCLUSION;
        }

        OcclusionOpts occlusion() {
            return oo;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true, description = "A sheet comparing methods on the same images (rows = images, columns = methods).")
    static final class CompareCmd implements Callable<Integer> {
        @Mixin
        Common c;
        @Mixin
        What what;
        @Option(names = "--image", paramLabel = "N|FILE", description = "A test image index or an image file, repeatable. Default: the first --images test images.")
        List<String> image = new ArrayList<>();
        @Option(names = "--images", paramLabel = "N", defaultValue = "4", description = "How many test images when no --image is given. Default: ${DEFAULT-VALUE}.")
        int count;
        @Option(names = "--methods", split = ",", paramLabel = "M,M", description = "Methods (columns). Default: saliency, gradient-x-input, guided-backprop, smoothgrad, integrated-gradients, gradcam, guided-gradcam, occlusion.")
        List<String> methods = new ArrayList<>();
        @Mixin
        SmoothOpts so;
        @Mixin
        IgOpts io;
        @Mixin
        CamOpts co;
        @Mixin
        OcclusionOpts oo;

        @Override
        public Integer call() {
            return run(() -> {
                Session s = new Session(c);
                Method.Options o = s.options(so, io, co, oo);
                List<Method> ms = new ArrayList<>();
                if (methods.isEmpty()) {
                    ms.addAll(List.of(Method.SALIENCY, Method.GRADIENT_X_INPUT, Method.GUIDED_BACKPROP, Method.SMOOTHGRAD,
                            Method.INTEGRATED_GRADIENTS, Method.GRADCAM, Method.GUIDED_GRADCAM, Method.OCCLUSION));
                } else {
                    for (String m : methods) ms.add(Method.of(m));
                }
                Images im = new Images();
                im.image = image;
                im.images = count;
                List<Sample> samples = s.samples(im);
                List<Explanations.Row> rows = new ArrayList<>();
                List<Entry> entries = new ArrayList<>();
                DoubleConsumer prog = progress("compare");
                int done = 0;
                for (Sample sm : samples) {
                    float[] p = s.probabilities(sm.x());
                    int pred = argmax(p);
                    Target t = s.target(what, sm, pred);
                    List<Attribution> maps = new ArrayList<>();
                    for (Method m : ms) {
                        Attribution a = m.explainer(o).explain(s.model, sm.x(), t);
                        maps.add(a);
                        entries.add(new Entry(sm.description(), sm.trueClass(), pred, p, t.describe(s.names), a));
                        prog.accept(++done / (double) (samples.size() * ms.size()));
                    }
                    rows.add(new Explanations.Row(sm.picture(), s.label(sm, pred, p) + " - explaining " + t.describe(s.names), maps));
                }
                Path png = c.out.resolve("compare.png"), json = c.out.resolve("compare.json");
                Png.write(Explanations.comparisonSheet(rows, "Explanations of " + s.file.arch() + " (" + c.model.getFileName() + ")"), png);
                JsonOut.write(Map.of("model", c.model.toString(), "images", entries), json);
                return List.of(png, json);
            });
        }
    }

    @Command(name = "class-model", mixinStandardHelpOptions = true, description = "Activation maximization: the image gradient ascent makes for each class (or a channel).")
    static final class ClassModelCmd implements Callable<Integer> {
        @Mixin
        Common c;
        @Option(names = "--class", paramLabel = "N|NAME", description = "Only this class (default: every class, one sheet).")
        String cls;
        @Option(names = "--layer", paramLabel = "NAME", description = "Maximize a channel of this layer instead (with --channel).")
        String layer;
        @Option(names = "--channel", paramLabel = "K", defaultValue = "0", description = "The channel of --layer. Default: ${DEFAULT-VALUE}.")
        int channel;
        @Option(names = "--steps", defaultValue = "200", description = "Ascent steps (1..10000). Default: ${DEFAULT-VALUE}.")
        int steps;
        @Option(names = "--lr", defaultValue = "0.05", description = "Step size in model-input units (the step is normalized by mean |gradient|). Default: ${DEFAULT-VALUE}.")
        double lr;
        @Option(names = "--l2", defaultValue = "0.01", description = "L2 decay per step, 0..0.5. Default: ${DEFAULT-VALUE}.")
        double l2;
        @Option(names = "--jitter", defaultValue = "1", description = "Random shift in pixels per step, 0..8. Default: ${DEFAULT-VALUE}.")
        int jitter;
        @Option(names = "--blur-every", defaultValue = "10", description = "Gaussian blur every N steps (0: never). Default: ${DEFAULT-VALUE}.")
        int blurEvery;
        @Option(names = "--blur-sigma", defaultValue = "0.5", description = "Blur sigma in pixels, 0..5. Default: ${DEFAULT-VALUE}.")
        double blurSigma;
        @Option(names = "--clip-norm", defaultValue = "30", description = "Zero pixels whose norm is below this percentile, 0..99. Default: ${DEFAULT-VALUE}.")
        double clipNorm;
        @Option(names = "--clip-contribution", defaultValue = "30", description = "Zero pixels whose contribution |x . grad| is below this percentile, 0..99. Default: ${DEFAULT-VALUE}.")
        double clipContribution;
        @Option(names = "--blank-start", description = "Start from the blank mean-colour image instead of small noise N(0, 0.1²).")
        boolean blankStart;
        @Option(names = "--seed", defaultValue = "1", description = "Jitter and start seed. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Override
        public Integer call() {
            return run(() -> {
                check(steps >= 1 && steps <= 10000, "--steps must be in 1..10000, got " + steps);
                check(lr > 0 && lr <= 10, "--lr must be in (0, 10], got " + lr);
                check(l2 >= 0 && l2 <= 0.5, "--l2 must be in 0..0.5, got " + l2);
                check(jitter >= 0 && jitter <= 8, "--jitter must be in 0..8, got " + jitter);
                check(blurEvery >= 0 && blurSigma >= 0 && blurSigma <= 5, "--blur-every must be >= 0 and --blur-sigma in 0..5");
                check(clipNorm >= 0 && clipNorm < 100 && clipContribution >= 0 && clipContribution < 100, "--clip-norm and --clip-contribution must be in 0..99");
                Session s = new Session(c);
                List<Integer> snaps = new ArrayList<>(List.of(1, 10, 50, 100, 200, 500, 1000));
                snaps.removeIf(k -> k > steps);
                ClassModel.Settings st = new ClassModel.Settings(steps, lr, l2, jitter, blurEvery, blurSigma, clipNorm, clipContribution,
                        !blankStart, seed, snaps.stream().mapToInt(Integer::intValue).toArray());
                List<Target> targets = new ArrayList<>();
                if (layer != null) {
                    s.model.layer(layer);
                    targets.add(new Target.Channel(layer, channel));
                } else if (cls != null) {
                    targets.add(new Target.ClassScore(s.classIndex(cls)));
                } else {
                    for (int k = 0; k < s.names.size(); k++) targets.add(new Target.ClassScore(k));
                }
                String what = targets.size() == 1 ? "class model " + targets.getFirst().describe(s.names)
                        : "class models of " + targets.size() + " classes (one batch)";
                List<ClassModel.Result> results = ClassModel.compute(s.model, targets, s.range, st, s.names, progress(what));
                List<Path> files = new ArrayList<>();
                for (int i = 0; i < targets.size(); i++) {
                    ClassModel.Result r = results.get(i);
                    String tag = targets.get(i) instanceof Target.ClassScore cs ? "class" + cs.cls() : layer + "-" + channel;
                    Path png = c.out.resolve("class-model-" + tag + "-steps.png");
                    Png.write(Explanations.classModelSteps(r, s.range), png);
                    files.add(png);
                }
                Path sheet = c.out.resolve("class-model.png"), json = c.out.resolve("class-model.json");
                Png.write(Explanations.classModelSheet(results, s.range, "Class models of " + s.file.arch() + " (" + c.model.getFileName()
                        + "): gradient ascent on the input"), sheet);
                JsonOut.write(Map.of("model", c.model.toString(), "results", results), json);
                files.add(0, sheet);
                files.add(json);
                return files;
            });
        }
    }

    @Command(name = "invert", mixinStandardHelpOptions = true, description = "Feature inversion: the image rebuilt from one layer's features, for each layer.")
    static final class InvertCmd implements Callable<Integer> {
        @Mixin
        Common c;
        @Option(names = "--image", paramLabel = "N|FILE", defaultValue = "0", description = "A test image index or an image file. Default: ${DEFAULT-VALUE}.")
        String image;
        @Option(names = "--layer", paramLabel = "NAME", split = ",", description = "Layers to invert (default: each ReLU, pooling layer, block and the logits).")
        List<String> layers = new ArrayList<>();
        @Option(names = "--steps", defaultValue = "200", description = "Adam steps per layer (1..10000). Default: ${DEFAULT-VALUE}.")
        int steps;
        @Option(names = "--lr", defaultValue = "0.05", description = "Adam step size. Default: ${DEFAULT-VALUE}.")
        double lr;
        @Option(names = "--tv", defaultValue = "0.02", description = "Weight of the total-variation regularizer (0..10). Default: ${DEFAULT-VALUE}.")
        double tv;
        @Option(names = "--seed", defaultValue = "1", description = "Start seed. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Override
        public Integer call() {
            return run(() -> {
                check(steps >= 1 && steps <= 10000, "--steps must be in 1..10000, got " + steps);
                check(lr > 0 && lr <= 10, "--lr must be in (0, 10], got " + lr);
                check(tv >= 0 && tv <= 10, "--tv must be in 0..10, got " + tv);
                Session s = new Session(c);
                Images im = new Images();
                im.image = List.of(image);
                im.images = 1;
                Sample sm = s.samples(im).getFirst();
                List<String> ls = layers.isEmpty() ? FeatureInversion.defaultLayers(s.model) : layers;
                for (String l : ls) s.model.layer(l);
                FeatureInversion.Result r = FeatureInversion.compute(s.model, sm.x(), ls, s.range,
                        new FeatureInversion.Settings(steps, lr, tv, seed), progress("invert"));
                Path png = c.out.resolve("invert-" + sm.tag() + ".png"), json = c.out.resolve("invert-" + sm.tag() + ".json");
                Png.write(Explanations.inversionSheet(r, s.range, "Feature inversion of " + sm.description() + " through " + s.file.arch()), png);
                JsonOut.write(r, json);
                return List.of(png, json);
            });
        }
    }

    @Command(name = "fool", mixinStandardHelpOptions = true, description = "A fooling image: the smallest change (targeted PGD, L-inf) "
            + "that makes the model answer --class with high confidence; original, amplified perturbation and result with probabilities. "
            + "The same attack as ./glassbox robustness.")
    static final class FoolCmd implements Callable<Integer> {
        @Mixin
        Common c;
        @Option(names = "--image", paramLabel = "N", defaultValue = "0", description = "Test image index. Default: ${DEFAULT-VALUE}.")
        int image;
        @Option(names = "--class", paramLabel = "N|NAME", required = true, description = "The class to fool the model into (index or name).")
        String cls;
        @Option(names = "--steps", paramLabel = "N", defaultValue = "40", description = "PGD steps per radius (1..10000). Default: ${DEFAULT-VALUE}.")
        int steps;
        @Option(names = "--confidence", paramLabel = "P", defaultValue = "0.9", description = "Probability of --class to reach (0..1). Default: ${DEFAULT-VALUE}.")
        float confidence;
        @Option(names = "--max-epsilon", paramLabel = "E", defaultValue = "0.25", description = "Largest L-inf radius tried, in pixel units 0..1. Default: ${DEFAULT-VALUE}.")
        float maxEpsilon;

        @Override
        public Integer call() {
            return run(() -> {
                check(steps >= 1 && steps <= 10000, "--steps must be in 1..10000, got " + steps);
                check(confidence > 0 && confidence < 1, "--confidence must be between 0 and 1, got " + confidence);
                check(maxEpsilon > 0 && maxEpsilon <= 1, "--max-epsilon must be in (0, 1], got " + maxEpsilon);
                Session s = new Session(c);
                Dataset d = s.data();
                return RobustnessCommand.writeFooling(s.model, s.norm, d, image, RobustnessCommand.classIndex(cls, s.names),
                        steps, confidence, maxEpsilon, c.out);
            });
        }
    }

    @Command(name = "sanity", mixinStandardHelpOptions = true, description = "Adebayo et al. 2018: randomize the weights from the top down; a method whose maps do not change is flagged. "
                + "Integrated Gradients runs with 16 steps here unless --steps is given.")
    static final class SanityCmd implements Callable<Integer> {
        @Mixin
        Common c;
        @Mixin
        What what;
        @Option(names = "--image", paramLabel = "N|FILE", description = "A test image index or file, repeatable. Default: the first --images test images.")
        List<String> image = new ArrayList<>();
        @Option(names = "--images", paramLabel = "N", defaultValue = "4", description = "How many test images when no --image is given. Default: ${DEFAULT-VALUE}.")
        int count;
        @Option(names = "--methods", split = ",", paramLabel = "M,M", description = "Methods. Default: saliency, gradient, gradient-x-input, guided-backprop, integrated-gradients, gradcam, guided-gradcam.")
        List<String> methods = new ArrayList<>();
        @Option(names = "--seed", defaultValue = "1", description = "Re-initialization seed. Default: ${DEFAULT-VALUE}.")
        long seed;
        @Mixin
        IgOpts io;
        @Mixin
        CamOpts co;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(() -> {
                Session s = new Session(c);
                if (!spec.commandLine().getParseResult().hasMatchedOption("--steps")) io.steps = 16; // many runs: fewer IG steps unless asked
                Method.Options o = s.options(null, io, co, null);
                List<Method> ms = new ArrayList<>();
                if (methods.isEmpty()) {
                    ms.addAll(List.of(Method.SALIENCY, Method.GRADIENT, Method.GRADIENT_X_INPUT, Method.GUIDED_BACKPROP,
                            Method.INTEGRATED_GRADIENTS, Method.GRADCAM, Method.GUIDED_GRADCAM));
                } else {
                    for (String m : methods) ms.add(Method.of(m));
                }
                Images im = new Images();
                im.image = image;
                im.images = count;
                List<Sample> samples = s.samples(im);
                float[] xs = new float[samples.size() * samples.getFirst().x().size()];
                List<Target> targets = new ArrayList<>();
                for (int i = 0; i < samples.size(); i++) {
                    Sample sm = samples.get(i);
                    System.arraycopy(sm.x().data(), 0, xs, i * sm.x().size(), sm.x().size());
                    targets.add(s.target(what, sm, argmax(s.probabilities(sm.x()))));
                }
                int[] sh = samples.getFirst().x().shape();
                Map<String, Explainer> named = new LinkedHashMap<>();
                for (Method m : ms) named.put(m.cliName(), m.explainer(o));
                SanityCheck.Result r = SanityCheck.run(s.model, Tensor.of(xs, samples.size(), sh[1], sh[2], sh[3]), targets, named, seed,
                        progress("sanity check"));
                Path chart = c.out.resolve("sanity-spearman.png"), ssim = c.out.resolve("sanity-ssim.png");
                Path maps = c.out.resolve("sanity-maps.png"), json = c.out.resolve("sanity.json");
                Charts.writePng(Explanations.sanityChart(r, false), 1000, 560, chart);
                Charts.writePng(Explanations.sanityChart(r, true), 1000, 560, ssim);
                Png.write(Explanations.sanityMaps(r), maps);
                JsonOut.write(r, json);
                for (String f : r.flaggedMethods()) {
                    System.out.println("FLAGGED " + f + ": its maps keep a Spearman correlation >= " + r.threshold()
                            + " with the trained model's after every layer is randomized; it does not explain the model");
                }
                return List.of(chart, ssim, maps, json);
            });
        }
    }
}
