package glassbox.cli;

import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.train.Evaluation;
import glassbox.train.ImageData;
import glassbox.train.Normalization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./glassbox eval --model FILE}: accuracy and per-class accuracy of a trained model on its test set. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a model file on a test set: overall and per-class accuracy.")
public final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelDataMixin input;

    @Option(names = "--batch", defaultValue = "256", paramLabel = "N", converter = Checked.AtLeastOne.class, description = "Images per forward pass (>= 1). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Mixin
    ThreadsMixin threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        ModelFile f = input.file();
        Model m = f.toModel();
        String name = input.datasetName(f), split = input.split.id();
        ImageData data = input.data(f).asImageData();
        long t0 = System.nanoTime();
        Evaluation ev = Evaluation.of(m, data, new Normalization(f.mean(), f.std()), batch);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%s (%s, %,d parameters) on %s/%s: %,d images in %.1f s%n", input.model, f.arch(), m.paramCount(),
                name, split, data.size(), secs);
        int w = Math.max(5, f.classNames().stream().mapToInt(String::length).max().orElse(5));
        System.out.printf(Locale.ROOT, "  %-" + w + "s  %8s  %6s%n", "class", "accuracy", "images");
        for (int c = 0; c < f.classNames().size(); c++) {
            System.out.printf(Locale.ROOT, "  %-" + w + "s  %7.2f%%  %6d%n", f.classNames().get(c), 100 * ev.classAccuracy(c), ev.classCount(c));
        }
        System.out.printf(Locale.ROOT, "%s accuracy: %.2f%%%n", split, 100 * ev.accuracy());
        return 0;
    }
}
