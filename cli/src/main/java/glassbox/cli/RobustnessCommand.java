package glassbox.cli;

import glassbox.data.Dataset;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.train.Normalization;
import glassbox.viz.render.Charts;
import glassbox.viz.render.JsonOut;
import glassbox.viz.render.Png;
import glassbox.viz.robustness.Attack;
import glassbox.viz.robustness.AttackCurves;
import glassbox.viz.robustness.Corruption;
import glassbox.viz.robustness.CorruptionCurves;
import glassbox.viz.robustness.Curve;
import glassbox.viz.robustness.Fooling;
import glassbox.viz.robustness.Pixels;
import glassbox.viz.robustness.RobustnessCharts;
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

/**
 * {@code ./glassbox robustness --model FILE}: robust accuracy under an adversarial attack over epsilon and
 * under corruptions over severity (curves, class x level heatmaps, galleries, JSON), or with {@code --fool}
 * a fooling image for one test image. Thin wrapper over {@code glassbox.viz.robustness}.
 */
@Command(name = "robustness", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Accuracy of a model under adversarial attacks (FGSM, PGD) and common corruptions, over a whole split.",
                "Without --attack or --corruption both run: PGD and every corruption. --fool makes one fooling image instead."})
public final class RobustnessCommand implements Callable<Integer> {
    enum AttackName { FGSM, PGD }

    enum NormName { LINF, L2 }

    @Mixin
    ModelDataMixin input;
    @Option(names = "--compare", paramLabel = "FILE", description = "Another model file to draw on the same curves (repeatable).")
    List<Path> compare = new ArrayList<>();
    @Option(names = "--attack", paramLabel = "fgsm|pgd", description = "Attack to run.")
    AttackName attack;
    @Option(names = "--norm", defaultValue = "linf", paramLabel = "linf|l2", description = "Ball of the attack. Default: ${DEFAULT-VALUE}.")
    NormName norm;
    @Option(names = "--epsilon", split = ",", paramLabel = "E", description = "Radii in pixel units 0..1 (fractions like 8/255 allowed). "
            + "Default L-inf: 0,.05,.1,.15,.2,.3 (1 channel) or 0,1/255,2/255,4/255,8/255,16/255 (colour); L2: 0,.5,1,1.5,2,3 or 0,.1,.25,.5,1.")
    List<String> epsilons;
    @Option(names = "--steps", description = "PGD steps. Default: 10 (40 with --fool).")
    Integer stepsOption;
    int steps;
    @Option(names = "--step-size", paramLabel = "A", description = "PGD step in pixel units. Default: 2.5 * epsilon / steps.")
    Float stepSize;
    @Option(names = "--no-random-start", description = "Start PGD at the clean image.")
    boolean noRandomStart;
    @Option(names = "--targeted", description = "Targeted attack towards the next class ((label + 1) mod classes) instead of away from the true one.")
    boolean targeted;
    @Option(names = "--corruption", split = ",", paramLabel = "NAME", description = "Corruptions to run: noise, blur, contrast, brightness, rotate, translate, scale, shear (comma-separated).")
    List<Corruption> corruptions;
    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N images of the split (0: all). Default: all.")
    int limit;
    @Option(names = "--batch", defaultValue = "256", description = "Images per pass. Default: ${DEFAULT-VALUE}.")
    int batch;
    @Option(names = "--gallery", defaultValue = "8", description = "Examples in the attack gallery. Default: ${DEFAULT-VALUE}.")
    int gallery;
    @Option(names = "--fool", description = "Make a fooling image for --image towards --class (targeted PGD, L-inf) instead of the curves.")
    boolean fool;
    @Option(names = "--image", defaultValue = "0", description = "Test image index for --fool (and the corruption examples). Default: ${DEFAULT-VALUE}.")
    int image;
    @Option(names = "--class", paramLabel = "N|NAME", description = "Target class for --fool (index or name).")
    String targetClass;
    @Option(names = "--confidence", defaultValue = "0.9", description = "Probability of the target class --fool aims for. Default: ${DEFAULT-VALUE}.")
    float confidence;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of random starts and noise. Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--out", defaultValue = "out/robustness", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;
    @Mixin
    ThreadsMixin threads;

    /** Everything the JSON holds. */
    record Report(String split, int images, List<AttackCurves.Run> attacks, List<CorruptionCurves.Result> corruptions) {
    }

    @Override
    public Integer call() throws Exception {
        if (limit < 0) throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        steps = stepsOption != null ? stepsOption : fool ? 40 : 10;
        if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (stepSize != null && !(stepSize > 0)) throw new IllegalArgumentException("--step-size must be > 0, got " + stepSize);
        threads.apply();
        ModelFile f = input.file();
        Model model = f.toModel();
        Dataset data = input.data(f);
        Normalization nrm = new Normalization(f.mean(), f.std());
        int n = Pixels.limit(data, limit);
        Files.createDirectories(out);
        List<Path> wrote = new ArrayList<>();
        Charts.install();
        if (fool) return fool(f, model, nrm, data, wrote);

        float[] eps = epsilons(data.channels());
        boolean runAttack = attack != null || corruptions == null, runCorr = corruptions != null || attack == null;
        List<AttackCurves.Run> attacks = new ArrayList<>();
        List<CorruptionCurves.Result> corr = new ArrayList<>();
        String name = name(input.model);
        if (runAttack) {
            Attack a = attackAt(eps);
            Map<String, Model> models = new LinkedHashMap<>();
            models.put(name, model);
            Map<String, Normalization> norms = new LinkedHashMap<>(Map.of(name, nrm));
            for (Path p : compare) {
                ModelFile g = ModelIO.load(Gallery.resolve(p));
                if (!java.util.Arrays.equals(g.inputShape(), f.inputShape())) {
                    throw new IllegalArgumentException(p + " expects " + java.util.Arrays.toString(g.inputShape()) + " but " + input.model
                            + " expects " + java.util.Arrays.toString(f.inputShape()));
                }
                models.put(name(p), g.toModel());
                norms.put(name(p), new Normalization(g.mean(), g.std()));
            }
            for (var e : models.entrySet()) {
                System.out.printf(Locale.ROOT, "%s: %s over %,d images of %s/%s at %d radii%n", e.getKey(), AttackCurves.describe(a)
                        + (targeted ? " targeted" : ""), n, data.name(), data.split(), eps.length);
                glassbox.viz.Progress prog = ConsoleProgress.onTerminal();
                AttackCurves.Run r = targeted
                        ? targetedRun(e.getKey(), e.getValue(), norms.get(e.getKey()), data, n, a, eps, prog)
                        : AttackCurves.run(e.getKey(), e.getValue(), norms.get(e.getKey()), data, n, a, eps, batch, galleryEpsilon(eps), gallery, prog);
                attacks.add(r);
                for (int i = 0; i < eps.length; i++) {
                    System.out.printf(Locale.ROOT, "  eps %-8s accuracy %6.2f%%%n", fmt(eps[i]), 100 * r.curve().accuracy()[i]);
                }
                System.out.printf(Locale.ROOT, "  %.1f s%n", r.seconds());
            }
            String what = AttackCurves.describe(a) + (targeted ? " targeted" : "");
            Path p = out.resolve("robustness-attack-curves.png");
            Charts.writePng(RobustnessCharts.curves("Robust accuracy under " + what + " (" + data.name() + "/" + data.split() + ", " + n + " images)",
                    attacks.stream().map(AttackCurves.Run::curve).toList()), 900, 560, p);
            wrote.add(p);
            for (AttackCurves.Run r : attacks) {
                p = out.resolve("robustness-attack-classes-" + r.curve().model() + ".png");
                Charts.writePng(RobustnessCharts.classHeatmap(r.curve()), 900, 120 + 38 * data.numClasses(), p);
                wrote.add(p);
            }
            AttackCurves.Run first = attacks.getFirst();
            if (!first.gallery().isEmpty()) {
                p = out.resolve("robustness-attack-gallery.png");
                Png.write(RobustnessCharts.gallery(name + ": " + what + " at eps " + fmt(first.gallery().getFirst().epsilon()), first.gallery(),
                        data.classNames(), model.inputShape()), p);
                wrote.add(p);
            }
        }
        if (runCorr) {
            List<Corruption> cs = corruptions == null ? List.of(Corruption.values()) : corruptions;
            if (image < 0 || image >= n) throw new IllegalArgumentException("--image " + image + " is outside 0.." + (n - 1));
            System.out.printf(Locale.ROOT, "%s: %d corruptions x 6 severities over %,d images%n", name, cs.size(), n);
            glassbox.viz.Progress prog = ConsoleProgress.onTerminal();
            corr = CorruptionCurves.run(name, model, nrm, data, n, cs, batch, image, seed, prog);
            for (CorruptionCurves.Result r : corr) {
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %-10s", r.corruption()));
                for (double v : r.curve().accuracy()) b.append(String.format(Locale.ROOT, " %6.2f%%", 100 * v));
                System.out.println(b);
            }
            Path p = out.resolve("robustness-corruption-curves.png");
            List<Curve> curves = corr.stream().map(CorruptionCurves.Result::curve).toList();
            Charts.writePng(RobustnessCharts.severityCurves(name + ": accuracy under corruptions (" + data.name() + "/" + data.split() + ", " + n + " images)", curves), 900, 560, p);
            wrote.add(p);
            for (CorruptionCurves.Result r : corr) {
                p = out.resolve("robustness-corruption-classes-" + r.corruption() + ".png");
                Charts.writePng(RobustnessCharts.classHeatmap(r.curve()), 800, 120 + 38 * data.numClasses(), p);
                wrote.add(p);
            }
            p = out.resolve("robustness-corruption-examples.png");
            Png.write(RobustnessCharts.corruptionExamples(name + ": test image #" + image + " (" + data.className(image) + ") under each corruption",
                    corr, data.classNames(), data.label(image), model.inputShape()), p);
            wrote.add(p);
        }
        Path json = out.resolve("robustness.json");
        JsonOut.write(new Report(data.split(), n, attacks, corr), json);
        wrote.add(json);
        for (Path p : wrote) System.out.println("wrote " + p);
        return 0;
    }

    /** Robust accuracy of a targeted attack (towards the next class): the sample counts as broken when the target is reached. */
    private AttackCurves.Run targetedRun(String name, Model model, Normalization nrm, Dataset data, int n, Attack a, float[] eps, glassbox.viz.Progress prog) {
        long t0 = System.nanoTime();
        int k = data.numClasses();
        int[][] correct = new int[eps.length][k];
        int[] count = new int[k];
        int clean = 0;
        prog.start("images attacked (x " + eps.length + " radii)", (long) n * eps.length);
        try {
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(batch, n - from);
                float[] px = Pixels.of(data, from, b);
                int[] y = Pixels.labels(data, from, b), target = new int[b];
                for (int i = 0; i < b; i++) {
                    target[i] = (y[i] + 1) % k;
                    count[y[i]]++;
                }
                float[] cp = Attack.probabilities(model, nrm, px, b);
                boolean[] right = new boolean[b];
                for (int i = 0; i < b; i++) if (right[i] = glassbox.viz.robustness.Predict.argmax(cp, i, k) == y[i]) clean++;
                for (int e = 0; e < eps.length; e++) {
                    Attack.Result r = a.withEpsilon(eps[e]).run(model, nrm, px, target, true, true, null);
                    for (int i = 0; i < b; i++) if (right[i] && r.predicted()[i] == y[i]) correct[e][y[i]]++;
                    prog.stepTo((long) from * eps.length + (long) b * (e + 1));
                }
            }
        } finally {
            prog.end();
        }
        double[] acc = new double[eps.length];
        double[][] cls = new double[eps.length][k];
        for (int e = 0; e < eps.length; e++) {
            int s = 0;
            for (int j = 0; j < k; j++) {
                s += correct[e][j];
                cls[e][j] = count[j] == 0 ? Double.NaN : (double) correct[e][j] / count[j];
            }
            acc[e] = (double) s / n;
        }
        Curve c = new Curve(name, AttackCurves.describe(a) + " targeted", "epsilon (pixel units 0..1)", eps, acc, cls, data.classNames(), n,
                (double) clean / n);
        return new AttackCurves.Run(c, a, List.of(), (System.nanoTime() - t0) / 1e9);
    }

    private Integer fool(ModelFile f, Model model, Normalization nrm, Dataset data, List<Path> wrote) {
        if (targetClass == null) throw new IllegalArgumentException("--fool needs --class N|NAME (the class to fool the model into)");
        float maxEps = epsilons == null ? 64 / 255f : epsilons(data.channels())[epsilons.size() - 1];
        wrote.addAll(writeFooling(model, nrm, data, image, classIndex(targetClass, data.classNames()), steps, confidence, maxEps, out));
        for (Path w : wrote) System.out.println("wrote " + w);
        return 0;
    }

    /**
     * Makes and writes the fooling image of test image {@code image} towards class {@code target} (targeted
     * PGD, L-inf, the smallest radius up to {@code maxEps} that reaches {@code confidence}); prints one line
     * of what it found and returns the files. Shared by {@code robustness --fool} and {@code explain fool}.
     */
    static List<Path> writeFooling(Model model, Normalization nrm, Dataset data, int image, int target, int steps, float confidence,
                                   float maxEps, Path out) {
        if (image < 0 || image >= data.size()) throw new IllegalArgumentException("--image " + image + " is outside 0.." + (data.size() - 1) + " of " + data.name() + "/" + data.split());
        Fooling fo = Fooling.of(model, nrm, Pixels.of(data, image, 1), image, data.label(image), target, steps, confidence, maxEps, data.classNames());
        System.out.printf(Locale.ROOT, "image #%d (%s) -> '%s': p = %.3f at eps %s (max |d| %.4f), %s%n", image, data.className(image),
                data.classNames().get(target), fo.foolProbs()[target], fmt(fo.epsilon()), fo.linf(), fo.reached() ? "reached" : "not reached");
        Path p = out.resolve("fool-" + image + "-to-" + target + ".png");
        Png.write(RobustnessCharts.fooling(fo), p);
        Path json = out.resolve("fool-" + image + "-to-" + target + ".json");
        JsonOut.write(fo, json);
        return List.of(p, json);
    }

    /** A middle-to-large radius for the gallery: 0.2 of (0, .05, .1, .15, .2, .3), 8/255 of (0, 1/255, .., 16/255). */
    static float galleryEpsilon(float[] eps) {
        return eps[Math.min(eps.length - 1, eps.length / 2 + 1)];
    }

    static int classIndex(String s, List<String> names) {
        int i = names.indexOf(s);
        if (i >= 0) return i;
        try {
            i = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--class " + s + " is neither a class index nor one of " + names);
        }
        if (i < 0 || i >= names.size()) throw new IllegalArgumentException("--class " + i + " is outside 0.." + (names.size() - 1));
        return i;
    }

    private Attack attackAt(float[] eps) {
        float e0 = 0;
        for (float e : eps) if (e > 0) { e0 = e; break; }
        Attack.Norm nm = norm == NormName.L2 ? Attack.Norm.L2 : Attack.Norm.LINF;
        if (attack == AttackName.FGSM) return new Attack(Attack.Method.FGSM, nm, e0, 1, e0, false, seed);
        float a = stepSize != null ? stepSize : 2.5f * e0 / steps;
        return new Attack(Attack.Method.PGD, nm, e0, steps, a, !noRandomStart, seed);
    }

    /** --epsilon parsed (fractions allowed) and checked, or the defaults for the data's channel count. */
    float[] epsilons(int channels) {
        if (epsilons == null) {
            boolean grey = channels == 1;
            if (norm == NormName.L2) return grey ? new float[]{0, .5f, 1, 1.5f, 2, 3} : new float[]{0, .1f, .25f, .5f, 1};
            return grey ? new float[]{0, .05f, .1f, .15f, .2f, .3f} : new float[]{0, 1 / 255f, 2 / 255f, 4 / 255f, 8 / 255f, 16 / 255f};
        }
        float[] e = new float[epsilons.size()];
        for (int i = 0; i < e.length; i++) {
            String s = epsilons.get(i).trim();
            try {
                int slash = s.indexOf('/');
                e[i] = slash < 0 ? Float.parseFloat(s) : Float.parseFloat(s.substring(0, slash)) / Float.parseFloat(s.substring(slash + 1));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("--epsilon " + s + " is not a number (examples: 0.1, 8/255)");
            }
            if (!(e[i] >= 0) || !Float.isFinite(e[i])) throw new IllegalArgumentException("--epsilon " + s + " must be >= 0 (pixel units 0..1)");
        }
        return e;
    }

    static String name(Path p) {
        String s = p.getFileName().toString();
        return s.endsWith(".gbx") ? s.substring(0, s.length() - 4) : s;
    }

    static String fmt(float v) {
        return RobustnessCharts.levelLabel(v);
    }
}
