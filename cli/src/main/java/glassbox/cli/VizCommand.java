package glassbox.cli;

import glassbox.data.Dataset;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.viz.Renderings;
import glassbox.viz.activations.Inputs;
import glassbox.viz.activations.LayerGeometry;
import glassbox.viz.render.Png;
import glassbox.viz.render.Scaling;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox viz ...}: renders what a trained model learned into PNG files (plus a JSON of the
 * numbers shown). Thin wrapper over {@link Renderings}; errors print as {@code glassbox viz <command>: <message>}.
 */
@Command(name = "viz", mixinStandardHelpOptions = true,
        description = "Render what a trained model learned: weight templates, kernels, activations, top patches.",
        subcommands = {VizCommand.Templates.class, VizCommand.Kernels.class, VizCommand.CompareKernels.class,
                VizCommand.Activations.class, VizCommand.TopPatchesCmd.class, VizCommand.Stats.class,
                VizTrainingCommand.class})
public final class VizCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Options every viz command that reads a model shares: those of {@link ModelDataMixin}, and {@code --out}. */
    static final class Common extends ModelDataMixin {
        @Option(names = "--out", defaultValue = "out/viz", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
        Path out;
    }

    /**
     * Checks that {@code out} is a writable folder, runs {@code body} and prints the files it wrote. Errors go to
     * {@link Main}'s handler: one line, {@code glassbox viz <command>: message}.
     */
    static int run(Path out, Callable<List<Path>> body) throws Exception {
        Outputs.probeDir(out, "--out");
        List<Path> files = body.call();
        for (Path p : files) System.out.println("wrote " + p);
        return 0;
    }

    @Command(name = "templates", mixinStandardHelpOptions = true,
            description = "Weight templates of the first fully connected layer (linear, mlp), global and per-template scaling.")
    static final class Templates implements Callable<Integer> {
        @Mixin
        Common c;

        @Override
        public Integer call() throws Exception {
            c.refuseDataOptions("templates draws the model's weights only");
            return run(c.out, () -> Renderings.of(c.file()).templates(c.out));
        }
    }

    @Command(name = "kernels", mixinStandardHelpOptions = true,
            description = "Convolution kernels: first layer as a colour grid, deeper layers per input channel; with --gradients also dL/dW.")
    static final class Kernels implements Callable<Integer> {
        @Mixin
        Common c;
        @Option(names = "--layer", description = "One conv layer (default: all).")
        String layer;
        @Option(names = "--scaling", defaultValue = "per-tile", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
        Scaling scaling;
        @Option(names = "--gradients", paramLabel = "N", converter = Checked.AtLeastOne.class,
                description = "Also draw the loss gradient dL/dW over a batch of the first N images (>= 1) of the split.")
        Integer gradients;

        @Override
        public Integer call() throws Exception {
            if (gradients == null) c.refuseDataOptions("kernels reads images only with --gradients N");
            return run(c.out, () -> {
                ModelFile f = c.file();
                Dataset batch = null;
                if (gradients != null) {
                    Dataset d = c.data(f);
                    int n = Math.min(gradients, d.size());
                    int[] idx = new int[n];
                    for (int i = 0; i < n; i++) idx[i] = i;
                    batch = d.subset(idx);
                }
                return Renderings.of(f).kernels(c.out, layer, scaling, batch);
            });
        }
    }

    @Command(name = "compare-kernels", mixinStandardHelpOptions = true,
            description = "First-layer kernels of several models side by side, with orientation, frequency, colour and smoothness.")
    static final class CompareKernels implements Callable<Integer> {
        @Option(names = "--model", required = true, arity = "1..*", paramLabel = "FILE",
                description = "Two or more model files (--model a.gbx b.gbx, or --model a.gbx --model b.gbx).")
        List<Path> models;
        @Option(names = "--out", defaultValue = "out/viz", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (models.size() < 2) {
                throw new IllegalArgumentException("compares two or more models; got one (" + models.getFirst()
                        + "). For one model's kernels: ./glassbox viz kernels --model " + models.getFirst());
            }
            return run(out, () -> {
                List<String> labels = new ArrayList<>();
                List<Model> ms = new ArrayList<>();
                for (Path p : models) {
                    if (!Files.isRegularFile(p)) throw new IllegalArgumentException("no model file " + p);
                    ModelFile f = ModelIO.load(p);
                    String ds = f.meta().get("dataset");
                    String label = f.arch() + (ds != null ? "/" + ds : "");
                    if (labels.contains(label)) label = label + " (" + p.getFileName() + ")";
                    labels.add(label);
                    ms.add(f.toModel());
                }
                return Renderings.compareKernels(labels, ms, out);
            });
        }
    }

    @Command(name = "activations", mixinStandardHelpOptions = true,
            description = "Every layer's activation maps for one image, beside the input.")
    static final class Activations implements Callable<Integer> {
        @Mixin
        Common c;
        @Option(names = "--image", defaultValue = "0", paramLabel = "N|FILE", description = "Image index in the split (from 0), or an image file (PNG/JPEG). Default: ${DEFAULT-VALUE}.")
        String image;
        @Option(names = "--layer", description = "Only this layer (default: every layer).")
        String layer;
        @Option(names = "--scaling", defaultValue = "per-tile",
                description = "${COMPLETION-CANDIDATES} (per-tile: each map on its own range). Default: ${DEFAULT-VALUE}.")
        Scaling scaling;

        @Override
        public Integer call() throws Exception {
            return run(c.out, () -> {
                ModelFile f = c.file();
                Renderings r = Renderings.of(f);
                Path p = Path.of(image);
                if (!image.matches("\\d+") && Files.isRegularFile(p)) {
                    int[] in = f.inputShape();
                    Inputs.Converted one = Inputs.convert(Png.read(p), p.getFileName().toString(), in[0], in[1], in[2], f.classNames());
                    for (String note : one.notes()) System.out.println("note: " + p.getFileName() + " " + note);
                    return r.activations(c.out, one.data(), 0, scaling, layer, one.notes());
                }
                if (!image.matches("\\d+")) {
                    throw new IllegalArgumentException("--image " + image + " is neither an image index (0, 1, ...) nor an image file (no such file)");
                }
                Dataset d = c.data(f);
                return r.activations(c.out, d, imageIndex(image, d), scaling, layer, List.of());
            });
        }
    }

    /** {@code --image N} checked against the split: "--image 10000 is not an image of mnist/test (0 to 9999)". */
    static int imageIndex(String image, Dataset d) {
        java.math.BigInteger i = new java.math.BigInteger(image);
        if (i.compareTo(java.math.BigInteger.valueOf(d.size())) >= 0) {
            throw new IllegalArgumentException("--image " + image + " is not an image of " + d.name() + "/" + d.split()
                    + " (indices 0 to " + (d.size() - 1) + ")");
        }
        return i.intValueExact();
    }

    @Command(name = "top-patches", mixinStandardHelpOptions = true,
            description = "For each channel of a layer, the k image patches (receptive fields) that activate it most.")
    static final class TopPatchesCmd implements Callable<Integer> {
        @Mixin
        Common c;
        @Option(names = "--layer", required = true, paramLabel = "NAME", description = "A layer with spatial maps, e.g. conv1 (convolutional models only).")
        String layer;
        @Option(names = "-k", defaultValue = "8", paramLabel = "K", converter = Checked.AtLeastOne.class, description = "Patches per channel (>= 1). Default: ${DEFAULT-VALUE}.")
        int k;
        @Option(names = "--images", defaultValue = "2000", paramLabel = "N", converter = Checked.AtLeastOne.class, description = "How many images of the split to scan (>= 1). Default: ${DEFAULT-VALUE}.")
        int images;

        @Override
        public Integer call() throws Exception {
            return run(c.out, () -> {
                ModelFile f = c.file();
                List<String> spatial = LayerGeometry.spatialLayers(f.toModel());
                if (spatial.isEmpty()) {
                    throw new IllegalArgumentException(c.model + " (" + f.arch() + ") has no layer with spatial maps: top-patches needs "
                            + "a convolutional model such as lenet5");
                }
                if (!spatial.contains(layer)) {
                    throw new IllegalArgumentException("'" + layer + "' is not a layer with spatial maps in " + f.arch()
                            + "; choose one of " + String.join(", ", spatial));
                }
                return Renderings.of(f).progress(ConsoleProgress.onTerminal()).topPatches(c.out, layer, c.data(f), k, images);
            });
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Per-layer activation statistics on a batch: mean, std, fraction of zeros, dead channels.")
    static final class Stats implements Callable<Integer> {
        @Mixin
        Common c;
        @Option(names = "--images", defaultValue = "256", paramLabel = "N", converter = Checked.AtLeastOne.class,
                description = "How many images of the split to run, as one batch (>= 1). Default: ${DEFAULT-VALUE}.")
        int images;

        @Override
        public Integer call() throws Exception {
            return run(c.out, () -> {
                ModelFile f = c.file();
                return Renderings.of(f).stats(c.out, c.data(f), images);
            });
        }
    }
}
