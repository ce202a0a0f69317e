package glassbox.cli;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.Split;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.train.Normalization;
import glassbox.viz.embedding.Embedding;
import glassbox.viz.embedding.EmbeddingCharts;
import glassbox.viz.embedding.Features;
import glassbox.viz.embedding.Tsne;
import glassbox.viz.render.Charts;
import glassbox.viz.render.JsonOut;
import glassbox.viz.render.Png;
import org.jfree.chart.JFreeChart;
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
 * {@code ./glassbox embed --model FILE}: PCA or t-SNE maps of a split's features at one or more layers
 * (default: raw pixels and the penultimate layer, side by side), with k-NN accuracy and silhouette in the
 * map and in the features. Without {@code --model}, maps the raw pixels of {@code --dataset}. Thin wrapper
 * over {@code glassbox.viz.embedding}.
 */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Feature space of a split as PCA or Barnes-Hut t-SNE maps coloured by class, with k-NN accuracy and silhouette.",
                "Pixels vs learned features side by side, layer by layer; the numbers in the map and in the original features."})
public final class EmbedCommand implements Callable<Integer> {
    enum MethodName { PCA, TSNE }

    @Option(names = "--model", paramLabel = "FILE", description = "Model file. Without it, the raw pixels of --dataset are mapped.")
    Path model;
    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist, fashion, cifar10 or sample. Default: the one the model was trained on.")
    String dataset;
    @Option(names = "--split", defaultValue = "test", description = "test or train. Default: ${DEFAULT-VALUE}.")
    String split;
    @Mixin
    DataOptionsMixin dataOptions;
    @Option(names = "--layer", paramLabel = "NAME", description = "Layer to map, or 'pixels' (repeatable). Default: pixels and the penultimate layer.")
    List<String> layers;
    @Option(names = "--method", defaultValue = "tsne", paramLabel = "pca|tsne", description = "Default: ${DEFAULT-VALUE}.")
    MethodName method;
    @Option(names = "--limit", description = "Use only the first N images of the split. Default: up to 10000.")
    Integer limit;
    @Option(names = "--perplexity", defaultValue = "30", description = "t-SNE perplexity. Default: ${DEFAULT-VALUE}.")
    double perplexity;
    @Option(names = "--iterations", defaultValue = "1000", description = "t-SNE steps. Default: ${DEFAULT-VALUE}.")
    int iterations;
    @Option(names = "--learning-rate", defaultValue = "0", paramLabel = "LR", description = "t-SNE learning rate (0: auto, max(N/48, 50)). Default: auto.")
    double learningRate;
    @Option(names = "--theta", defaultValue = "0.5", description = "Barnes-Hut accuracy (0: exact). Default: ${DEFAULT-VALUE}.")
    double theta;
    @Option(names = "--k", defaultValue = "5", description = "k of the k-NN accuracy. Default: ${DEFAULT-VALUE}.")
    int k;
    @Option(names = "--thumbnails", defaultValue = "0", description = "Image thumbnails drawn at this many random points. Default: none.")
    int thumbnails;
    @Option(names = "--batch", defaultValue = "256", description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
    int batch;
    @Option(names = "--seed", defaultValue = "1", description = "Seed (PCA start, thumbnails). Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--out", defaultValue = "out/embed", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;
    @Mixin
    ThreadsMixin threads;

    /** The JSON: one embedding per layer. */
    record Report(String model, String dataset, String split, List<Embedding> embeddings) {
    }

    @Override
    public Integer call() throws Exception {
        if (!(perplexity > 0)) throw new IllegalArgumentException("--perplexity must be > 0, got " + perplexity);
        if (iterations < 1) throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
        if (!(theta >= 0)) throw new IllegalArgumentException("--theta must be >= 0, got " + theta);
        if (k < 1) throw new IllegalArgumentException("--k must be >= 1, got " + k);
        if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
        threads.apply();
        ModelFile f = null;
        Model m = null;
        if (model != null) {
            if (!Files.isRegularFile(model)) throw new IllegalArgumentException("no model file " + model);
            f = ModelIO.load(model);
            m = f.toModel();
        }
        String name = dataset != null ? dataset : f != null ? f.meta().get("dataset") : null;
        if (name == null) throw new IllegalArgumentException(model == null ? "give --model FILE or --dataset NAME" : model + " does not say which data set it was trained on; pass --dataset");
        Dataset data = Datasets.load(name, Split.of(split), dataOptions.options());
        if (f != null) {
            int[] in = f.inputShape();
            if (data.channels() != in[0] || data.height() != in[1] || data.width() != in[2]) {
                throw new IllegalArgumentException(name + " images are " + data.channels() + "x" + data.height() + "x" + data.width()
                        + " but " + model + " expects " + in[0] + "x" + in[1] + "x" + in[2]);
            }
        }
        int n = limit == null ? Math.min(10000, data.size()) : glassbox.viz.robustness.Pixels.limit(data, limit);
        if (k >= n) throw new IllegalArgumentException("--k " + k + " needs more than " + k + " images, got " + n);
        List<String> ls = layers != null ? layers : m == null ? List.of(Features.PIXELS) : List.of(Features.PIXELS, Features.penultimate(m));
        for (String l : ls) {
            if (!l.equals(Features.PIXELS)) {
                if (m == null) throw new IllegalArgumentException("--layer " + l + " needs --model (only 'pixels' works without one)");
                m.layer(l);
            }
        }
        Tsne tsne = new Tsne(perplexity, iterations, learningRate, 12, Math.min(250, iterations / 4), theta, 50, seed);
        Files.createDirectories(out);
        Charts.install();
        List<Path> wrote = new ArrayList<>();
        List<Embedding> es = new ArrayList<>();
        List<JFreeChart> charts = new ArrayList<>();
        String tag = method.name().toLowerCase(Locale.ROOT);
        for (String l : ls) {
            glassbox.viz.Progress prog = ConsoleProgress.onTerminal();
            Features feats = l.equals(Features.PIXELS) ? Features.pixels(data, n)
                    : Features.of(m, new Normalization(f.mean(), f.std()), data, n, l, batch, prog);
            System.out.printf(Locale.ROOT, "%s: %s of %,d images x %,d features%n", l, method == MethodName.PCA ? "PCA" : "t-SNE", n, feats.d());
            glassbox.viz.Progress tp = method == MethodName.TSNE ? ConsoleProgress.onTerminal() : glassbox.viz.Progress.NONE;
            tp.start("t-SNE steps", iterations);
            Embedding e;
            try {
                e = Embedding.of(feats, data.classNames(), method == MethodName.PCA ? Embedding.Method.PCA : Embedding.Method.TSNE, tsne, k,
                        (it, its, kl) -> tp.stepTo(it));
            } finally {
                tp.end();
            }
            System.out.printf(Locale.ROOT, "  map in %.1f s;  %s%n", e.seconds(), EmbeddingCharts.numbers(e));
            es.add(e);
            String file = l.replaceAll("[^A-Za-z0-9_.-]", "_");
            JFreeChart ch = EmbeddingCharts.scatter(e, data, thumbnails, seed);
            charts.add(EmbeddingCharts.scatter(e, null, 0, seed));
            Path p = out.resolve("embed-" + tag + "-" + file + ".png");
            Charts.writePng(ch, 900, 760, p);
            wrote.add(p);
            if (method == MethodName.PCA && e.pca3().length == 3 * n) {
                p = out.resolve("embed-pca-" + file + "-3d.png");
                Png.write(EmbeddingCharts.sideBySide(List.of(EmbeddingCharts.scatter(e, 0, 1, null, 0, seed), EmbeddingCharts.scatter(e, 0, 2, null, 0, seed),
                        EmbeddingCharts.scatter(e, 1, 2, null, 0, seed)), 640, 600), p);
                wrote.add(p);
            }
        }
        if (charts.size() > 1) {
            Path p = out.resolve("embed-" + tag + "-side-by-side.png");
            Png.write(EmbeddingCharts.sideBySide(charts, 680, 620), p);
            wrote.add(p);
        }
        Path json = out.resolve("embed-" + tag + ".json");
        JsonOut.write(new Report(model == null ? null : model.toString(), name, split, es), json);
        wrote.add(json);
        for (Path p : wrote) System.out.println("wrote " + p);
        return 0;
    }
}
