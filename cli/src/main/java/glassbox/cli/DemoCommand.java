package glassbox.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./glassbox demo}: the README's main command. Trains two small models on the embedded MNIST
 * sample (offline, about a minute on 2 cores), then renders what they learned and writes an
 * {@code index.html} that shows every picture on one page.
 *
 * <p>It is a script over the other commands (train, eval, viz), run in-process with the same arguments a
 * user would type, so every step printed here can be repeated by hand. Leaves out the long CIFAR-10 runs:
 * see docs/training.md for those.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train two small models on the embedded MNIST sample (offline) and render what they learned.",
                "Trains linear and lenet5, then renders weights, kernels, activations and top-activating patches",
                "into an output folder with an index.html that shows every picture."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "out/demo", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--dataset", defaultValue = "sample", paramLabel = "NAME", description = "sample (embedded, offline), mnist or fashion-mnist (any case). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", converter = Checked.AtLeastOne.class, description = "Epochs for each model (>= 1). Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Mixin
    ThreadsMixin threads;

    /** One step of the demo: a title and the command line it runs. */
    private record Step(String title, String folder, List<String> args) {
    }

    @Override
    public Integer call() throws IOException {
        dataset = dataset.toLowerCase(java.util.Locale.ROOT);
        Outputs.probeDir(out, "--out");
        String linear = out.resolve("linear-" + dataset + ".gbx").toString();
        String lenet = out.resolve("lenet5-" + dataset + ".gbx").toString();
        List<Step> steps = List.of(
                new Step("Train a linear softmax classifier on raw pixels", null,
                        train("linear", linear, "--optimizer", "adam", "--lr", "0.002")),
                new Step("Train LeNet-5", null, train("lenet5", lenet)),
                new Step("Linear classifier weights as class templates", "templates",
                        List.of("viz", "templates", "--model", linear, "--out", dir("templates"))),
                new Step("LeNet-5 kernels, and their loss gradients on 64 images", "kernels",
                        List.of("viz", "kernels", "--model", lenet, "--gradients", "64", "--out", dir("kernels"))),
                new Step("LeNet-5 activation maps of every layer for test image 0", "activations",
                        List.of("viz", "activations", "--model", lenet, "--image", "0", "--out", dir("activations"))),
                new Step("Test patches that most activate each conv2 channel", "top-patches",
                        List.of("viz", "top-patches", "--model", lenet, "--layer", "conv2", "--out", dir("top-patches"))),
                new Step("Activation statistics per layer", "stats",
                        List.of("viz", "stats", "--model", lenet, "--out", dir("stats"))));

        long t0 = System.nanoTime();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            System.out.printf(Locale.ROOT, "%n== %d/%d %s%n   ./glassbox %s%n", i + 1, steps.size(), s.title(), String.join(" ", s.args()));
            int code = Main.run(s.args().toArray(String[]::new));
            if (code != 0) {
                System.err.println("glassbox demo: step " + (i + 1) + " failed (exit " + code + "); stopping");
                return code;
            }
        }
        Path index = writeIndex(steps);
        System.out.printf(Locale.ROOT, "%ndemo done in %.0f s. Open %s to see every picture.%n",
                (System.nanoTime() - t0) / 1e9, index.toAbsolutePath());
        return 0;
    }

    private List<String> train(String model, String file, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--model", model, "--dataset", dataset,
                "--epochs", String.valueOf(epochs), "--out", file, "--force"));
        a.addAll(List.of(extra));
        if (threads.threads != null) a.addAll(List.of("--threads", threads.threads.toString()));
        return a;
    }

    private String dir(String name) {
        return out.resolve(name).toString();
    }

    /** A static page with every PNG of every step, in order, under the step's title. */
    private Path writeIndex(List<Step> steps) throws IOException {
        StringBuilder h = new StringBuilder("""
                <!doctype html><meta charset="utf-8"><title>Glassbox demo</title>
                <style>body{font-family:sans-serif;max-width:1200px;margin:2em auto;background:#fafafa}
                img{max-width:100%;image-rendering:pixelated;border:1px solid #ddd;margin:.5em 0}
                code{background:#eee;padding:2px 4px}</style>
                <h1>Glassbox demo</h1>
                """);
        for (Step s : steps) {
            if (s.folder() == null) continue;
            h.append("<h2>").append(s.title()).append("</h2>\n<p><code>./glassbox ")
                    .append(String.join(" ", s.args())).append("</code></p>\n");
            try (Stream<Path> files = Files.list(out.resolve(s.folder()))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
                    h.append("<div><img src=\"").append(s.folder()).append('/').append(p.getFileName()).append("\"></div>\n");
                }
            }
        }
        Path index = out.resolve("index.html");
        Files.writeString(index, h);
        return index;
    }
}
