package glassbox.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox demo}: the README's main command. Trains LeNet-5 on the embedded MNIST sample (offline,
 * recording training statistics), then writes the report on it ({@code ./glassbox report}): one HTML page with
 * every view, each explained, in under a minute on 2 cores. With {@code --open} it then starts the explorer
 * on the trained model ({@code ./glassbox serve}).
 *
 * <p>It is a script over the other commands, run in-process with the same arguments a user would type, so
 * every step printed here can be repeated by hand. Leaves out the long CIFAR-10 runs: see docs/training.md.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a small CNN on the embedded MNIST sample (offline) and write a report on what it learned.",
                "Trains lenet5 with training statistics, then writes an HTML report (index.html in --out) with its",
                "training curves, kernels, activations, explanations, robustness and feature space. --open then starts the explorer."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "out/demo", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--dataset", defaultValue = "sample", paramLabel = "NAME", description = "sample (embedded, offline), mnist or fashion-mnist (any case). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", converter = Checked.AtLeastOne.class, description = "Training epochs (>= 1). Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--quick", description = "A quicker report on smaller subsets (2 images, 50 attacked, 150 in the t-SNE, 50 class-model steps).")
    boolean quick;

    @Option(names = "--open", description = "After the report, start the explorer on the trained model (./glassbox serve) and print its URL.")
    boolean open;

    @Option(names = "--port", defaultValue = "7070", paramLabel = "PORT", converter = Checked.Port.class,
            description = "Explorer port with --open, 0 to 65535 (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Mixin
    ThreadsMixin threads;

    /** One step of the demo: a title and the command line it runs. */
    private record Step(String title, List<String> args) {
    }

    @Override
    public Integer call() {
        dataset = dataset.toLowerCase(Locale.ROOT);
        Outputs.probeDir(out, "--out");
        String model = out.resolve("lenet5-" + dataset + ".gbx").toString();
        String run = out.resolve("lenet5-" + dataset + ".run.jsonl").toString();
        List<Step> steps = new ArrayList<>(List.of(
                // lr 0.03, not train's 0.05: on the sample's 32 steps an epoch, 0.05 pushes the update:parameter ratio
                // past 1e-2 and the run ends with a (fair) "learning rate too high" diagnosis; 0.03 trains cleanly, and better.
                new Step("Train LeNet-5, recording training statistics", withThreads("train", "--model", "lenet5", "--dataset", dataset,
                        "--epochs", String.valueOf(epochs), "--lr", "0.03", "--stats", "on", "--run", run, "--out", model, "--force")),
                new Step("Write the report on what it learned", report(model, run))));
        if (open) steps.add(new Step("Explore the model in the browser", List.of("serve", "--model", model, "--port", String.valueOf(port))));

        long t0 = System.nanoTime();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.args().getFirst().equals("serve")) {
                System.out.printf(Locale.ROOT, "%ndemo done in %.0f s. Open %s to read the report.%n", (System.nanoTime() - t0) / 1e9,
                        out.resolve("index.html").toAbsolutePath().normalize());
            }
            System.out.printf(Locale.ROOT, "%n== %d/%d %s%n   ./glassbox %s%n", i + 1, steps.size(), s.title(), String.join(" ", s.args()));
            int code = Main.run(s.args().toArray(String[]::new));
            if (code != 0) {
                System.err.println("glassbox demo: step " + (i + 1) + " failed (exit " + code + "); stopping");
                return code;
            }
        }
        System.out.printf(Locale.ROOT, "%ndemo done in %.0f s. Open %s to read the report.%n", (System.nanoTime() - t0) / 1e9,
                out.resolve("index.html").toAbsolutePath().normalize());
        return 0;
    }

    private List<String> report(String model, String run) {
        List<String> a = new ArrayList<>(List.of("report", "--model", model, "--run", run, "--out", out.toString()));
        if (quick) a.addAll(List.of("--images", "2", "--attack-images", "50", "--tsne-images", "150", "--class-model-steps", "50"));
        return withThreads(a.toArray(String[]::new));
    }

    private List<String> withThreads(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        if (threads.threads != null) a.addAll(List.of("--threads", threads.threads.toString()));
        return a;
    }
}
