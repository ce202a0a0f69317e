package glassbox.report;

import glassbox.data.Dataset;
import glassbox.layers.Conv2d;
import glassbox.layers.Layer;
import glassbox.layers.Pool2d;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;
import glassbox.train.stats.Run;
import glassbox.train.stats.RunRecord;
import glassbox.viz.Progress;
import glassbox.viz.Renderings;
import glassbox.viz.activations.Inputs;
import glassbox.viz.activations.LayerGeometry;
import glassbox.viz.bias.Confusion;
import glassbox.viz.bias.ConfusionCharts;
import glassbox.viz.embedding.Embedding;
import glassbox.viz.embedding.EmbeddingCharts;
import glassbox.viz.embedding.Features;
import glassbox.viz.embedding.Tsne;
import glassbox.viz.gradients.Attribution;
import glassbox.viz.gradients.ClassModel;
import glassbox.viz.gradients.Explanations;
import glassbox.viz.gradients.InputRange;
import glassbox.viz.gradients.Method;
import glassbox.viz.gradients.Target;
import glassbox.viz.render.Charts;
import glassbox.viz.render.Fmt;
import glassbox.viz.render.JsonOut;
import glassbox.viz.render.Png;
import glassbox.viz.render.Scaling;
import glassbox.viz.robustness.Attack;
import glassbox.viz.robustness.AttackCurves;
import glassbox.viz.robustness.Corruption;
import glassbox.viz.robustness.CorruptionCurves;
import glassbox.viz.robustness.Pixels;
import glassbox.viz.robustness.Predict;
import glassbox.viz.robustness.RobustnessCharts;
import glassbox.viz.training.TrainingCharts;
import glassbox.viz.training.TrainingView;
import glassbox.viz.weights.ConvKernels;
import glassbox.viz.weights.FcTemplates;
import org.jfree.chart.JFreeChart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sections of a {@link Report}, one method each: it runs the view's computation from {@code glassbox.viz}
 * on the report's images, draws it with the view's renderer, writes the PNGs and a JSON of the numbers into a
 * folder of its own, and returns the section with our explanation, the command line and the figures. The
 * explanations are written for a student seeing the picture for the first time: what it shows, what to look for.
 */
final class Sections {
    private final Report.Input in;
    private final Report.Settings s;
    private final Path dir;
    private final Progress progress;
    private final Model model;
    private final Normalization norm;
    private final List<String> names;
    private final Renderings renderings;
    private final Dataset data;
    private final String label;
    private final List<Path> files = new ArrayList<>();
    private Confusion confusion;

    Sections(Report.Input in, Report.Settings s, Path dir, Progress progress) {
        this.in = in;
        this.s = s;
        this.dir = dir;
        this.progress = progress;
        this.data = in.data();
        this.renderings = Renderings.of(in.file()).progress(progress);
        this.model = renderings.model();
        this.norm = new Normalization(in.file().mean(), in.file().std());
        this.names = in.file().classNames();
        String base = Path.of(in.modelArg()).getFileName().toString();
        this.label = base.endsWith(".gbx") ? base.substring(0, base.length() - 4) : base;
    }

    /** Every file written so far, in order (the caller adds index.html). */
    List<Path> files() {
        return files;
    }

    /** The model's short name: its file name without ".gbx", or the shipped name. */
    String label() {
        return label;
    }

    /** The title of section {@code id}. */
    static String title(String id) {
        return switch (id) {
            case "model" -> "The model and its data";
            case "training" -> "Training curves, gradient statistics and diagnoses";
            case "templates" -> "Weight templates of the first layer";
            case "kernels" -> "Convolution kernels";
            case "activations" -> "Activation maps of a few images";
            case "top-patches" -> "Top-activating patches";
            case "explanations" -> "Which pixels matter: saliency, Grad-CAM, Integrated Gradients";
            case "class-models" -> "Class models: what each class looks like to the network";
            case "robustness" -> "Robustness to attacks and corruptions";
            case "confusion" -> "Confusion matrix and hardest examples";
            case "embedding" -> "The feature space: t-SNE of the penultimate layer";
            default -> throw new IllegalArgumentException("no section " + id);
        };
    }

    /** Computes, draws and writes section {@code id}; returns it. */
    Section section(String id) {
        return switch (id) {
            case "model" -> model();
            case "training" -> training();
            case "templates" -> templates();
            case "kernels" -> kernels();
            case "activations" -> activations();
            case "top-patches" -> topPatches();
            case "explanations" -> explanations();
            case "class-models" -> classModels();
            case "robustness" -> robustness();
            case "confusion" -> confusionSection();
            case "embedding" -> embedding();
            default -> throw new IllegalArgumentException("no section " + id);
        };
    }

    private Section section(String id, String text, List<String> commands, String body) {
        return new Section(id, title(id), text, commands, body);
    }

    /** Lines under the page title: the model, the data, the command that made the page. */
    List<String> subtitle() {
        String ds = in.file().meta().getOrDefault("dataset", data.name());
        return List.of(Html.esc(in.file().arch() + ", " + String.format(Locale.ROOT, "%,d", model.paramCount()) + " parameters, trained on "
                        + ds + "; the views run on " + data.name() + "/" + data.split() + "."),
                "Made by <code>" + Html.esc(command("report", in.runArg() != null ? "--run " + in.runArg() : "")) + "</code> on "
                        + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(ZonedDateTime.now(ZoneOffset.UTC))
                        + ". Every picture links to its PNG; the numbers are in the JSON files beside it.");
    }

    /** {@code ./glassbox <what> --model M <extra> <data options>}, spaces tidied. */
    private String command(String what, String extra) {
        return ("./glassbox " + what + " --model " + in.modelArg() + " " + extra + " " + in.dataArgs()).trim().replaceAll(" +", " ");
    }

    // ---- the sections ----

    private Section model() {
        List<List<String>> rows = new ArrayList<>();
        for (Model.LayerSummary l : model.summary(1, false)) {
            int[] shape = Arrays.copyOfRange(l.outputShape(), 1, l.outputShape().length);
            rows.add(List.of("&nbsp;&nbsp;".repeat(l.depth()) + "<code>" + Html.esc(l.name()) + "</code>", Html.esc(l.type()),
                    Html.esc(dims(shape)), String.format(Locale.ROOT, "%,d", l.params())));
        }
        rows.add(List.of("<b>total</b>", "", "", String.format(Locale.ROOT, "<b>%,d</b>", model.paramCount())));
        Confusion c = confusion();
        Map<String, String> meta = in.file().meta();
        List<List<String>> facts = new ArrayList<>();
        facts.add(List.of("architecture", Html.esc(in.file().arch() + ", input " + dims(in.file().inputShape()))));
        facts.add(List.of("classes", Html.esc(names.size() + ": " + String.join(", ", names))));
        facts.add(List.of("trained on", Html.esc(meta.getOrDefault("dataset", "(not recorded)")
                + (meta.containsKey("train.epochs") ? ", " + meta.get("train.epochs") + " epochs" : "")
                + (meta.containsKey("train.optimizer") ? ", " + meta.get("train.optimizer") : ""))));
        if (meta.containsKey("test_accuracy")) {
            facts.add(List.of("test accuracy (recorded after training)", pct(Double.parseDouble(meta.get("test_accuracy")))));
        }
        facts.add(List.of("accuracy measured now", pct(c.accuracy()) + Html.esc(" on the first " + c.total() + " images of "
                + data.name() + "/" + data.split() + " (" + data.size() + " images, " + dims(new int[]{data.channels(), data.height(), data.width()}) + ")")));
        String body = Html.table(null, facts) + "<h3>Layers</h3>\n"
                + Html.table(List.of("layer", "type", "output shape", "parameters"), rows, false, false, false, true);
        return section("model", Html.p("The network layer by layer: what each layer outputs for one image and how many weights it "
                        + "learns. Convolutions have few parameters for the work they do; the fully connected layers usually hold most of them.")
                        + Html.p("The accuracy below is measured again now on the images the rest of this report uses, so every number "
                        + "here can be checked against the pictures."),
                List.of(command("inspect", ""), command("eval", "")), body);
    }

    private Section training() {
        String text = Html.p("How the training went, from the run file that <code>./glassbox train</code> writes beside the model "
                + "(statistics are on by default). The loss should fall and the test accuracy rise; a gap that keeps growing between "
                + "train and test accuracy is overfitting.")
                + Html.p("The gradient norms and the update:parameter ratios tell whether every layer learns: ratios far below "
                + "1e-3 mean a layer barely moves (learning rate too low, vanishing gradients), far above mean it jumps around. "
                + "Diagnoses are marked with a red dashed line where they start.");
        if (in.run() == null) {
            String example = "./glassbox train --model " + in.file().arch() + " --dataset " + in.file().meta().getOrDefault("dataset", "mnist")
                    + " --out runs/" + in.file().arch() + ".gbx";
            return section("training", text, List.of(), Html.note("Not shown: no run file was given. Training writes one beside the model "
                    + "(<code>runs/NAME.run.jsonl</code> for <code>runs/NAME.gbx</code>); pass it with <code>--run FILE</code>.")
                    + Html.command(example) + Html.command("./glassbox report --model runs/" + in.file().arch() + ".gbx --run runs/"
                    + in.file().arch() + ".run.jsonl --out out/report"));
        }
        Run run = in.run();
        List<String> cmds = List.of("./glassbox viz training --run " + in.runArg() + " --out out/training");
        if (run.stats().isEmpty()) {
            return section("training", text, cmds, Html.note("Not shown: the run file " + Html.esc(in.runArg()) + " holds no statistics "
                    + "(was the model trained with <code>--stats off</code>?)."));
        }
        Path out = sub("training");
        TrainingView v = TrainingView.of(run);
        List<Path> charts = TrainingCharts.render(v, out);
        files.addAll(charts);
        json(v, out.resolve("training.json"));
        StringBuilder b = new StringBuilder();
        if (run.header() != null && !run.header().arch().equals(in.file().arch())) {
            b.append(Html.note("This run file is of a " + Html.esc(run.header().arch()) + ", not of this " + Html.esc(in.file().arch())
                    + ": was it given by mistake?"));
        }
        for (String w : run.warnings()) b.append(Html.note("Run file: " + Html.esc(w)));
        b.append(figure(out.resolve("curves.png"), "loss, accuracy and learning rate over the training steps", false));
        b.append(Html.row(List.of(figure(out.resolve("grad-norms.png"), "gradient norm of each layer's weights", false),
                figure(out.resolve("ratios.png"), "update:parameter ratio of each layer's weights (healthy band shaded)", false))));
        b.append(figure(out.resolve("dead.png"), "share of dead units in each ReLU layer", false));
        b.append("<h3>Diagnoses</h3>\n");
        if (run.diagnoses().isEmpty()) {
            b.append(Html.p("None: no layer's statistics crossed a threshold of the diagnoser."));
        } else {
            b.append("<ul class=\"diag\">\n");
            for (RunRecord.Diagnosis d : run.diagnoses()) {
                b.append("<li><b>").append(Html.esc(d.problem().words() + (d.subject().isEmpty() ? "" : " in " + d.subject())))
                        .append("</b> since step ").append(d.step()).append(": ").append(Html.esc(d.message())).append("</li>\n");
            }
            b.append("</ul>\n");
        }
        List<String> links = new ArrayList<>();
        for (Path p : charts) {
            String f = p.getFileName().toString();
            if (f.startsWith("histograms-")) {
                links.add("<a href=\"" + Html.esc(Html.href(dir, p)) + "\">" + Html.esc(f.substring(11, f.length() - 4)) + "</a>");
            }
        }
        if (!links.isEmpty()) {
            b.append(Html.p("Histograms over time of each layer's weights, gradients, updates and outputs: " + String.join(", ", links) + "."));
        }
        return section("training", text, cmds, b.toString());
    }

    private Section templates() {
        String text = Html.p("A fully connected first layer multiplies every pixel by its own weight, so each output unit's weights "
                + "can be drawn as an image of the input's size: a template the unit matches the image against. Red pixels push "
                + "the unit's score up, blue pull it down.")
                + Html.p("For a linear classifier each template is one class: expect a blurry average image of that class (a "
                + "digit's shape, a car's outline), with the parts of competing classes in blue.");
        List<String> cmds = List.of(command("viz templates", "--out out/templates"));
        try {
            FcTemplates.firstLayer(model, names);
        } catch (IllegalArgumentException e) {
            return section("templates", text, List.of(), Html.note("Not shown: " + Html.esc(e.getMessage()) + ". Its first layer's weights "
                    + "are small kernels that slide over the image; they are the next section. To see templates, run it on a linear "
                    + "model, e.g. the shipped one:") + Html.command("./glassbox viz templates --model linear-mnist --out out/templates"));
        }
        List<Path> written = renderings.templates(sub("templates"));
        files.addAll(written);
        return section("templates", text, cmds, figures(written, f -> f.contains("per-template")
                ? "each template on its own scale" : "all templates on one scale (their sizes compare)", true));
    }

    private Section kernels() {
        String text = Html.p("The weights of each convolution layer, one small tile per kernel, each on its own colour scale "
                + "(red positive, blue negative, white zero). First-layer kernels look at pixels directly: expect edge, "
                + "stroke and blob detectors, smooth rather than noisy in a well-trained net.")
                + Html.p("Deeper kernels are drawn per input channel; they combine the maps of the layer before, so they do not "
                + "look like image parts. Kernels that stay noise or near zero learned little.");
        if (ConvKernels.convLayers(model).isEmpty()) {
            return section("kernels", text, List.of(), Html.note("Not shown: " + Html.esc(in.file().arch()) + " has no convolution layers."));
        }
        List<Path> written = renderings.kernels(sub("kernels"), null, Scaling.PER_TILE, null);
        files.addAll(written);
        return section("kernels", text, List.of(command("viz kernels", "--out out/kernels")),
                figures(written, f -> f.replace("kernels-", "").replace(".png", "") + " kernels", true));
    }

    private Section activations() {
        String text = Html.p("What each layer outputs for one image: one tile per channel (feature map), bright where the "
                + "channel's feature is present. Early maps still look like the image; deeper ones are smaller and more abstract. "
                + "Maps that are zero everywhere are marked dead.")
                + Html.p("Shown per image: the output of each pooling layer, the last maps before the classifier and the "
                + "output layer's scores, with the true and predicted label at the left (red when the prediction is wrong).");
        List<String> layers = activationLayers();
        StringBuilder b = new StringBuilder();
        List<String> cmds = new ArrayList<>();
        for (int i : imageIndices()) {
            List<Path> written = renderings.activations(sub("activations/test-" + i), data, i, Scaling.PER_TILE, layers, List.of());
            files.addAll(written);
            b.append("<h3>").append(Html.esc(imageLabel(i))).append("</h3>\n")
                    .append(figures(written, f -> f.replaceFirst("^act-\\d+-", "").replace(".png", ""), true));
            if (cmds.isEmpty()) cmds.add(command("viz activations", "--image " + i + " --out out/activations"));
        }
        return section("activations", text, cmds, b.toString());
    }

    private Section topPatches() {
        String text = Html.p("For each channel of a layer, the image regions (from the first " + s.limit() + " " + data.split() + " images scanned) "
                + "that excite it most, cut to the channel's receptive field. If the patches of a channel share a stroke, an "
                + "angle or an ending, that is what the channel detects.")
                + Html.p("Channels whose patches look unrelated respond to something less visible; a channel with no patches never fires.");
        String layer = lastConv();
        if (layer == null) {
            return section("top-patches", text, List.of(), Html.note("Not shown: " + Html.esc(in.file().arch()) + " has no convolution "
                    + "layers, so no unit looks at a patch: every unit sees the whole image."));
        }
        int n = scanCount();
        List<Path> written = renderings.topPatches(sub("top-patches"), layer, data, 8, n);
        files.addAll(written);
        return section("top-patches", text.replace("first " + s.limit() + " ", "first " + n + " "),
                List.of(command("viz top-patches", "--layer " + layer + " --images " + n + " --out out/top-patches")),
                Html.p("Layer <code>" + Html.esc(layer) + "</code> (the last convolution), 8 patches per channel.")
                        + figures(written, f -> "top patches of " + layer, true));
    }

    private Section explanations() {
        String text = Html.p("Each map answers \"which pixels made the network give this answer?\" for the predicted class. "
                + "Saliency is the size of the score's gradient per pixel; Grad-CAM weights the last feature maps by their "
                + "gradient (coarse, but class-specific); Integrated Gradients adds gradients along a path from a black image, "
                + "and its values sum to the score difference.")
                + Html.p("A good explanation sits on what makes the image its class (a digit's strokes, an animal's head). Maps on "
                + "the background, or the same map for every class, explain little about the model.");
        List<Method> methods = new ArrayList<>(List.of(Method.SALIENCY, Method.GRADCAM, Method.INTEGRATED_GRADIENTS));
        if (LayerGeometry.spatialLayers(model).isEmpty()) methods.remove(Method.GRADCAM);
        Method.Options o = Method.Options.defaults(norm, names);
        List<Explanations.Row> rows = new ArrayList<>();
        Map<String, List<Attribution>> numbers = new LinkedHashMap<>();
        for (int i : imageIndices()) {
            Tensor x = Inputs.batch(data, new int[]{i}, renderings.encoder());
            int pred = predicted(i);
            List<Attribution> maps = new ArrayList<>();
            for (Method m : methods) maps.add(m.explainer(o).explain(model, x, new Target.ClassScore(pred)));
            rows.add(new Explanations.Row(Inputs.picture(data, i), imageLabel(i) + " - explaining " + names.get(pred), maps));
            numbers.put(data.split() + " image " + i, maps);
        }
        Path out = sub("explanations");
        Path png = out.resolve("compare.png");
        Png.write(Explanations.comparisonSheet(rows, "Explanations of " + label + " for its predicted class"), png);
        files.add(png);
        json(numbers, out.resolve("compare.json"));
        String ms = String.join(",", methods.stream().map(Method::cliName).toList());
        String images = imagesArgs();
        return section("explanations", text, List.of(command("explain compare", images + " --methods " + ms + " --out out/explain")),
                (methods.contains(Method.GRADCAM) ? "" : Html.note("Grad-CAM is left out: the model has no layer with spatial maps."))
                        + figure(png, "rows: images; columns: the input and each method's map", true));
    }

    private Section classModels() {
        String text = Html.p("Start from faint noise and change the image, step by step, to raise one class's score (gradient "
                + "ascent on the input, with blur and decay so the result stays image-like). The result is what that class "
                + "means to the network, not a real example of it.")
                + Html.p("Look for the parts that tell classes apart (the loop of a 6, the bar of a 7, a wheel); scattered dots "
                + "and stripes mean the network also reacts to patterns no real image has.");
        ClassModel.Settings st = ClassModel.Settings.defaults().withSteps(s.classModelSteps());
        InputRange range = InputRange.of(norm);
        List<Target> classes = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) classes.add(new Target.ClassScore(k));
        List<ClassModel.Result> results;
        progress.start("class-model steps (" + classes.size() + " classes in one batch)", st.steps());
        try {
            results = ClassModel.compute(model, classes, range, st, names, f -> progress.stepTo(Math.round(f * st.steps())));
        } finally {
            progress.end();
        }
        Path out = sub("class-models");
        Path png = out.resolve("class-model.png");
        Png.write(Explanations.classModelSheet(results, range, "Class models of " + label + ": gradient ascent on the input"), png);
        files.add(png);
        json(results, out.resolve("class-model.json"));
        return section("class-models", text, List.of(command("explain class-model", "--steps " + s.classModelSteps() + " --out out/class-model")),
                figure(png, "one image per class, with the class score and probability it reaches", true));
    }

    private Section robustness() {
        int n = Math.min(s.attackImages(), data.size());
        String text = Html.p("Accuracy as the images get harder, on the first " + n + " " + data.split() + " images. Adversarial attacks "
                + "(FGSM: one step; PGD: ten steps) change every pixel by at most epsilon in the direction that hurts the "
                + "network most; corruptions (noise, blur, rotation) are changes that happen to real pictures.")
                + Html.p("A curve that drops at epsilons too small to see is the classic finding: networks are accurate but not "
                + "robust. Compare how gently accuracy falls under the corruptions.");
        boolean grey = data.channels() == 1;
        float[] eps = grey ? new float[]{0, .05f, .1f, .15f, .2f, .3f} : new float[]{0, 1 / 255f, 2 / 255f, 4 / 255f, 8 / 255f, 16 / 255f};
        float e0 = eps[1];
        Attack fgsm = new Attack(Attack.Method.FGSM, Attack.Norm.LINF, e0, 1, e0, false, s.seed());
        Attack pgd = new Attack(Attack.Method.PGD, Attack.Norm.LINF, e0, 10, 2.5f * e0 / 10, true, s.seed());
        float galleryEps = eps[Math.min(eps.length - 1, eps.length / 2 + 1)];
        List<AttackCurves.Run> attacks = new ArrayList<>();
        for (Attack a : List.of(fgsm, pgd)) {
            attacks.add(AttackCurves.run(label, model, norm, data, n, a, eps, 256, galleryEps, 4, progress));
        }
        List<Corruption> cs = List.of(Corruption.NOISE, Corruption.BLUR, Corruption.ROTATE);
        int example = imageIndices()[0] < n ? imageIndices()[0] : 0;
        List<CorruptionCurves.Result> corr = CorruptionCurves.run(label, model, norm, data, n, cs, 256, example, s.seed(), progress);
        Path out = sub("robustness");
        String where = " (" + data.name() + "/" + data.split() + ", " + n + " images)";
        Path curves = out.resolve("attack-curves.png"), gallery = out.resolve("attack-gallery.png");
        Path ccurves = out.resolve("corruption-curves.png"), cex = out.resolve("corruption-examples.png");
        Charts.writePng(RobustnessCharts.curves("Robust accuracy under L-inf attacks" + where,
                attacks.stream().map(AttackCurves.Run::curve).toList()), 900, 540, curves);
        Charts.writePng(RobustnessCharts.severityCurves(label + ": accuracy under corruptions" + where,
                corr.stream().map(CorruptionCurves.Result::curve).toList()), 900, 540, ccurves);
        Png.write(RobustnessCharts.corruptionExamples(label + ": " + data.split() + " image #" + example + " (" + data.className(example)
                + ") under each corruption", corr, data.classNames(), data.label(example), model.inputShape()), cex);
        files.addAll(List.of(curves, ccurves, cex));
        StringBuilder b = new StringBuilder(Html.row(List.of(figure(curves, "accuracy against the attack's radius epsilon (pixel units 0..1)", false),
                figure(ccurves, "accuracy against the corruption's severity", false))));
        AttackCurves.Run p = attacks.get(1);
        if (!p.gallery().isEmpty()) {
            Png.write(RobustnessCharts.gallery(label + ": " + AttackCurves.describe(pgd) + " at eps " + RobustnessCharts.levelLabel(
                    p.gallery().getFirst().epsilon()), p.gallery(), data.classNames(), model.inputShape()), gallery);
            files.add(gallery);
            b.append(figure(gallery, "clean image, the attack's change (amplified) and the attacked image, with predictions", true));
        }
        b.append(figure(cex, "one image under each corruption at severities 0 to 5", true));
        json(Map.of("images", n, "attacks", attacks, "corruptions", corr), out.resolve("robustness.json"));
        return section("robustness", text, List.of(command("robustness", "--attack fgsm --limit " + n + " --out out/robustness"),
                command("robustness", "--attack pgd --limit " + n + " --out out/robustness"),
                command("robustness", "--corruption noise,blur,rotate --limit " + n + " --out out/robustness")), b.toString());
    }

    private Section confusionSection() {
        Confusion c = confusion();
        String text = Html.p("Row: the true class; column: the predicted class; each cell counts the images (of the first "
                + c.total() + ") with that pair, coloured by the share of its row. A perfect model fills only the diagonal; bright "
                + "off-diagonal cells are the classes it mixes up.")
                + Html.p("The hardest examples are the images with the highest loss (the lowest probability for the true "
                + "class): often badly written, sometimes mislabelled.");
        Path out = sub("confusion");
        Path matrix = out.resolve("confusion-matrix.png"), hardest = out.resolve("confusion-hardest.png");
        int k = names.size();
        Charts.writePng(ConfusionCharts.matrix(label + ": confusion matrix (" + data.name() + "/" + data.split() + ", " + c.total()
                + " images, accuracy " + Fmt.fixed(100 * c.accuracy(), 2) + "%)", c), Math.max(760, 110 + 62 * k), Math.max(640, 90 + 52 * k), matrix);
        files.add(matrix);
        StringBuilder b = new StringBuilder(figure(matrix, "counts; colour: share of the true class's images", false));
        if (!c.hardest().isEmpty()) {
            Png.write(ConfusionCharts.hardest(label + ": the " + c.hardest().size() + " hardest images (highest loss -log p(true))", c, data, 8), hardest);
            files.add(hardest);
            b.append(figure(hardest, "each with its true and predicted class and their probabilities", true));
        }
        json(c, out.resolve("confusion.json"));
        return section("confusion", text, List.of(command("confusion", "--limit " + c.total() + " --out out/confusion")), b.toString());
    }

    private Section embedding() {
        int n = Math.min(s.tsneImages(), data.size());
        String text = Html.p("Each dot is one of the first " + n + " " + data.split() + " images, placed by t-SNE so that images with similar "
                + "features land close together, coloured by true class: left the raw pixels, right the features the "
                + "network computes just before its last layer.")
                + Html.p("Training should turn overlapping clouds of pixels into separate clusters, one per class. The k-NN "
                + "accuracy and silhouette in each title measure that separation; t-SNE distances between clusters mean little.");
        if (n <= 10) return section("embedding", text, List.of(), Html.note("Not shown: t-SNE needs more than 10 images, the split has " + n + "."));
        String penultimate = Features.penultimate(model);
        Tsne tsne = new Tsne(Math.min(30, (n - 1) / 3.0), 1000, 0, 12, 250, 0.5, 50, s.seed());
        List<Embedding> es = new ArrayList<>();
        List<JFreeChart> charts = new ArrayList<>();
        for (String layer : List.of(Features.PIXELS, penultimate)) {
            Features f = Features.of(model, norm, data, n, layer, 256, Progress.NONE);
            progress.start("t-SNE steps (" + layer + ")", tsne.iterations());
            Embedding e;
            try {
                e = Embedding.of(f, data.classNames(), Embedding.Method.TSNE, tsne, Math.min(5, n - 1), (it, its, kl) -> progress.stepTo(it));
            } finally {
                progress.end();
            }
            es.add(e);
            charts.add(EmbeddingCharts.scatter(e, null, 0, s.seed()));
        }
        Path out = sub("embedding");
        Path png = out.resolve("tsne.png");
        Png.write(EmbeddingCharts.sideBySide(charts, 640, 600), png);
        files.add(png);
        json(Map.of("model", in.modelArg(), "dataset", data.name(), "split", data.split(), "embeddings", es), out.resolve("tsne.json"));
        return section("embedding", text, List.of(command("embed", "--limit " + n + " --out out/embed")),
                figure(png, "left: raw pixels; right: " + penultimate + " (the penultimate layer)", false));
    }

    // ---- shared helpers ----

    /** The confusion over the first {@link #scanCount} images, computed once (the model section reads its accuracy). */
    private Confusion confusion() {
        if (confusion == null) confusion = Confusion.of(model, norm, data, scanCount(), 256, 6, 6, 24, progress);
        return confusion;
    }

    /** The last convolution in forward order (blocks included), or null. */
    private String lastConv() {
        String last = null;
        for (String l : LayerGeometry.spatialLayers(model)) if (model.layer(l) instanceof Conv2d) last = l;
        return last;
    }

    private int scanCount() {
        return s.limit() == 0 ? data.size() : Math.min(s.limit(), data.size());
    }

    private int[] imageIndices() {
        if (s.imageIndices() != null) return s.imageIndices().clone();
        int[] idx = new int[Math.min(s.images(), data.size())];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        return idx;
    }

    /** Refuses an empty split and image indices outside it, before any work. */
    void checkImages() {
        if (data.size() == 0) throw new IllegalArgumentException(data.name() + "/" + data.split() + " has no images");
        for (int i : imageIndices()) {
            if (i < 0 || i >= data.size()) {
                throw new IllegalArgumentException("--image " + i + " is outside 0.." + (data.size() - 1) + " of " + data.name() + "/" + data.split());
            }
        }
    }

    private String imagesArgs() {
        if (s.imageIndices() == null) return "--images " + imageIndices().length;
        StringBuilder b = new StringBuilder();
        for (int i : s.imageIndices()) b.append(b.isEmpty() ? "" : " ").append("--image ").append(i);
        return b.toString();
    }

    private int predicted(int i) {
        float[] p = Predict.probabilities(model, norm, Pixels.of(data, i, 1), 1);
        return Predict.argmax(p, 0, p.length);
    }

    /** "test image 3: true 5, predicted 5 (p = 0.998)". */
    private String imageLabel(int i) {
        float[] p = Predict.probabilities(model, norm, Pixels.of(data, i, 1), 1);
        int pred = Predict.argmax(p, 0, p.length);
        return data.split() + " image " + i + ": true " + data.className(i) + ", predicted " + names.get(pred)
                + " (p = " + Fmt.fixed(p[pred], 3) + ")" + (pred == data.label(i) ? "" : ", WRONG");
    }

    /**
     * Layers whose maps the activation section shows: the output of each pooling layer (what a stage hands on),
     * the last layer with maps (its input to the classifier), and the output layer.
     */
    private List<String> activationLayers() {
        Map<String, int[]> shapes = LayerGeometry.outputShapes(model);
        List<String> out = new ArrayList<>();
        String lastSpatial = null;
        for (Layer l : model.layers()) {
            if (shapes.get(l.name()).length != 4) continue;
            lastSpatial = l.name();
            if (l instanceof Pool2d) out.add(l.name());
        }
        if (lastSpatial != null && !out.contains(lastSpatial)) out.add(lastSpatial);
        out.add(model.layers().getLast().name());
        return out;
    }

    private Path sub(String name) {
        Path p = dir.resolve(name);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p + ": " + e.getMessage(), e);
        }
        return p;
    }

    private void json(Object o, Path file) {
        JsonOut.write(o, file);
        files.add(file);
    }

    private String figure(Path png, String caption, boolean raster) {
        return Html.figure(Html.href(dir, png), caption, raster);
    }

    /**
     * Every PNG of {@code written} as a figure, captioned by {@code caption} of its file name, side by side; the
     * later pages of a paginated sheet ({@code name-p2.png}, ...) as links under them, to keep the page short.
     */
    private String figures(List<Path> written, java.util.function.UnaryOperator<String> caption, boolean raster) {
        List<String> figs = new ArrayList<>(), more = new ArrayList<>();
        for (Path p : written) {
            String f = p.getFileName().toString();
            if (!f.endsWith(".png")) continue;
            if (f.matches(".*-p([2-9]|\\d{2,})\\.png")) {
                more.add("<a href=\"" + Html.esc(Html.href(dir, p)) + "\">" + Html.esc(f) + "</a>");
            } else {
                figs.add(figure(p, caption.apply(f), raster));
            }
        }
        String shown = figs.size() == 1 ? figs.getFirst() : Html.row(figs);
        return more.isEmpty() ? shown : shown + Html.p("More pages: " + String.join(", ", more) + ".");
    }

    private static String dims(int[] shape) {
        StringBuilder b = new StringBuilder();
        for (int v : shape) b.append(b.isEmpty() ? "" : "×").append(v);
        return b.toString();
    }

    private static String pct(double v) {
        return Fmt.fixed(100 * v, 2) + "%";
    }
}
