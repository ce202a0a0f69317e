package glassbox.cli;

import glassbox.data.Dataset;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.train.Normalization;
import glassbox.viz.bias.Confusion;
import glassbox.viz.bias.ConfusionCharts;
import glassbox.viz.render.Charts;
import glassbox.viz.render.JsonOut;
import glassbox.viz.render.Png;
import glassbox.viz.robustness.Pixels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox confusion --model FILE}: where a model is weak or biased: confusion matrix, per-class
 * precision and recall, the most confused pairs with examples, and the hardest examples. Thin wrapper over
 * {@link Confusion} and {@link ConfusionCharts}.
 */
@Command(name = "confusion", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Confusion matrix, per-class precision/recall, most-confused pairs and hardest examples of a model on a split.")
public final class ConfusionCommand implements Callable<Integer> {
    @Mixin
    ModelDataMixin input;
    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N images of the split (0: all). Default: all.")
    int limit;
    @Option(names = "--pairs", defaultValue = "6", description = "Most confused pairs to show. Default: ${DEFAULT-VALUE}.")
    int pairs;
    @Option(names = "--examples", defaultValue = "6", description = "Example images per pair. Default: ${DEFAULT-VALUE}.")
    int examples;
    @Option(names = "--hardest", defaultValue = "24", description = "Hardest examples to show. Default: ${DEFAULT-VALUE}.")
    int hardest;
    @Option(names = "--batch", defaultValue = "256", description = "Images per pass. Default: ${DEFAULT-VALUE}.")
    int batch;
    @Option(names = "--out", defaultValue = "out/confusion", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;
    @Mixin
    ThreadsMixin threads;

    @Override
    public Integer call() throws Exception {
        for (int[] v : new int[][]{{pairs, 0}, {examples, 1}, {hardest, 0}, {batch, 1}}) {
            if (v[0] < v[1]) throw new IllegalArgumentException("--pairs, --hardest must be >= 0 and --examples, --batch >= 1");
        }
        threads.apply();
        ModelFile f = input.file();
        Model m = f.toModel();
        Dataset data = input.data(f);
        int n = Pixels.limit(data, limit);
        glassbox.viz.Progress prog = ConsoleProgress.onTerminal();
        Confusion c = Confusion.of(m, new Normalization(f.mean(), f.std()), data, n, batch, pairs, examples, hardest, prog);
        String name = RobustnessCommand.name(input.model), where = data.name() + "/" + data.split() + ", " + n + " images";
        System.out.printf(Locale.ROOT, "%s on %s: accuracy %.2f%%%n", name, where, 100 * c.accuracy());
        int w = Math.max(5, c.classNames().stream().mapToInt(String::length).max().orElse(5));
        System.out.printf(Locale.ROOT, "  %-" + w + "s  %9s  %9s%n", "class", "precision", "recall");
        for (int k = 0; k < c.classNames().size(); k++) {
            System.out.printf(Locale.ROOT, "  %-" + w + "s  %8.2f%%  %8.2f%%%n", c.classNames().get(k), 100 * c.precision()[k], 100 * c.recall()[k]);
        }
        for (Confusion.Pair p : c.pairs()) {
            System.out.printf(Locale.ROOT, "  %s -> %s: %d images (%.1f%% of %s)%n", c.classNames().get(p.trueClass()), c.classNames().get(p.predicted()),
                    p.count(), 100 * p.fractionOfTrue(), c.classNames().get(p.trueClass()));
        }
        Files.createDirectories(out);
        Charts.install();
        List<Path> wrote = new ArrayList<>();
        int k = c.classNames().size();
        Path p = out.resolve("confusion-matrix.png");
        Charts.writePng(ConfusionCharts.matrix(name + ": confusion matrix (" + where + String.format(Locale.ROOT, ", accuracy %.2f%%)", 100 * c.accuracy()), c),
                Math.max(760, 110 + 62 * k), Math.max(640, 90 + 52 * k), p);
        wrote.add(p);
        p = out.resolve("confusion-per-class.png");
        Charts.writePng(ConfusionCharts.perClass(name + ": precision and recall per class (" + where + ")", c), 900, 480, p);
        wrote.add(p);
        if (!c.pairs().isEmpty()) {
            p = out.resolve("confusion-pairs.png");
            Png.write(ConfusionCharts.pairs(name + ": the " + c.pairs().size() + " most confused pairs (true -> predicted), one per row", c, data, examples), p);
            wrote.add(p);
        }
        if (!c.hardest().isEmpty()) {
            p = out.resolve("confusion-hardest.png");
            Png.write(ConfusionCharts.hardest(name + ": the " + c.hardest().size() + " hardest images (highest loss -log p(true))", c, data, 8), p);
            wrote.add(p);
        }
        p = out.resolve("confusion.json");
        JsonOut.write(c, p);
        wrote.add(p);
        for (Path x : wrote) System.out.println("wrote " + x);
        return 0;
    }
}
