package glassbox.cli;

import glassbox.data.Dataset;
import glassbox.data.Split;
import glassbox.kernels.Parallel;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.train.Evaluation;
import glassbox.train.ImageData;
import glassbox.train.Normalization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./glassbox eval --model FILE}: accuracy and per-class accuracy of a trained model on its test set. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a model file on a test set: overall and per-class accuracy.")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model file written by ./glassbox train.")
    Path file;

    @Option(names = "--dataset", description = "Data set to evaluate on. Default: the one the model was trained on.")
    String dataset;

    @Option(names = "--split", defaultValue = "test", description = "test or train. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--data", description = "Folder holding the data set files.")
    Path dataDir;

    @Option(names = "--batch", defaultValue = "256", description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        Parallel.setThreads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
        ModelFile f = ModelIO.load(file);
        Model m = f.toModel();
        String name = dataset != null ? dataset : f.meta().get("dataset");
        if (name == null) throw new IllegalArgumentException(file + " does not say which data set it was trained on; pass --dataset");
        Dataset d = DataArgs.load(name, Split.of(split), dataDir);
        if (!Arrays.equals(new int[]{d.channels(), d.height(), d.width()}, m.inputShape())) {
            throw new IllegalArgumentException(file + " expects images " + Arrays.toString(m.inputShape()) + " but " + name
                    + " has " + Arrays.toString(new int[]{d.channels(), d.height(), d.width()}));
        }
        ImageData data = d.asImageData();
        long t0 = System.nanoTime();
        Evaluation ev = Evaluation.of(m, data, new Normalization(f.mean(), f.std()), batch);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%s (%s, %,d parameters) on %s/%s: %,d images in %.1f s%n", file, f.arch(), m.paramCount(),
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
