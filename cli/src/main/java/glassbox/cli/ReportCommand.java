package glassbox.cli;

import glassbox.data.Dataset;
import glassbox.data.Split;
import glassbox.model.ModelFile;
import glassbox.report.Report;
import glassbox.report.Section;
import glassbox.train.stats.Run;
import glassbox.train.stats.RunFileException;
import glassbox.train.stats.RunReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox report --model NAME|FILE [--run FILE] --out DIR}: one HTML page about a trained model, every
 * view in a section with its explanation and command line, pictures and JSON beside it; it opens from disk with
 * no network. Thin wrapper over {@link Report}: loads the model, its data and the run file, prints one line per
 * section and the path of the page.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a self-contained HTML report on a trained model, every view with what to look for.",
                "Sections: the model and its data, training curves and diagnoses (--run), templates, kernels, activation maps,",
                "top patches, saliency / Grad-CAM / Integrated Gradients, class models, robustness, confusion matrix, t-SNE;",
                "each with the command that renders it alone. Opens from disk with no network; prints to PDF from the browser."})
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    ModelDataMixin input;

    @Option(names = "--run", paramLabel = "FILE", description = "Run file written by train (<model>.run.jsonl) for the training section. Default: none.")
    Path run;

    @Option(names = "--out", defaultValue = "out/report", paramLabel = "DIR", description = "Output folder (index.html and its pictures). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--images", defaultValue = "3", paramLabel = "N", converter = ImageCount.class,
            description = "Test images shown with their activation maps and explanations (1 to 16). Default: ${DEFAULT-VALUE}.")
    int images;

    @Option(names = "--image", paramLabel = "N", converter = Checked.AtLeastZero.class,
            description = "Show this test image instead of the first --images (repeatable).")
    List<Integer> image = new ArrayList<>();

    @Option(names = "--limit", defaultValue = "1000", paramLabel = "N", converter = Checked.AtLeastZero.class,
            description = "Images for the accuracy, confusion matrix and top patches (>= 0; 0: the whole split). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--attack-images", defaultValue = "200", paramLabel = "N", converter = Subset.class,
            description = "Images attacked (FGSM, PGD) and corrupted (1 to 100000). Default: ${DEFAULT-VALUE}.")
    int attackImages;

    @Option(names = "--tsne-images", defaultValue = "500", paramLabel = "N", converter = Subset.class,
            description = "Images in the t-SNE map (1 to 100000). Default: ${DEFAULT-VALUE}.")
    int tsneImages;

    @Option(names = "--class-model-steps", defaultValue = "200", paramLabel = "N", converter = Subset.class,
            description = "Gradient-ascent steps of each class-model image (1 to 100000). Default: ${DEFAULT-VALUE}.")
    int classModelSteps;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", converter = Checked.AnyLong.class,
            description = "Seed of attacks, corruptions and t-SNE. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    ThreadsMixin threads;

    /** --images: 1 to 16 (each image adds a row of pictures to two sections). */
    static final class ImageCount implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return (int) Checked.whole(text, 1, 16);
        }
    }

    /** --attack-images, --tsne-images, --class-model-steps: 1 to 100000. */
    static final class Subset implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return (int) Checked.whole(text, 1, 100_000);
        }
    }

    @Override
    public Integer call() throws Exception {
        Outputs.probeDir(out, "--out");
        if (run != null && !Files.isRegularFile(run)) {
            throw new IllegalArgumentException("--run " + run + (Files.isDirectory(run) ? " is a folder, not a run file" : ": no such file"));
        }
        int t = threads.apply();
        ModelFile f = input.file();
        Run r = null;
        if (run != null) {
            try {
                r = RunReader.read(run);
            } catch (RunFileException e) {
                throw new IllegalArgumentException("--run " + e.getMessage().replaceFirst("^run file ", ""), e);
            }
        }
        Dataset data = input.data(f);
        Report.Settings s = new Report.Settings(image.isEmpty() ? images : image.size(),
                image.isEmpty() ? null : image.stream().mapToInt(Integer::intValue).toArray(), limit, attackImages, tsneImages, classModelSteps, seed);
        Report.Input in = new Report.Input(f, input.model.toString(), data, dataArgs(), r, run != null ? run.toString() : null);
        System.out.printf(Locale.ROOT, "report on %s (%s) over %s/%s, %d thread%s%n", input.model, f.arch(), data.name(), data.split(), t, t == 1 ? "" : "s");
        Report.Result res = Report.write(in, s, out, new Report.Listener() {
            @Override
            public void started(int index, int count, Section section) {
                System.out.printf(Locale.ROOT, "[%2d/%d] %s ...%n", index, count, section.title());
            }

            @Override
            public void finished(Section section, List<Path> written, double seconds) {
                long pngs = written.stream().filter(p -> p.toString().endsWith(".png")).count();
                System.out.printf(Locale.ROOT, "        %s: %d picture%s in %.1f s%n", section.id(), pngs, pngs == 1 ? "" : "s", seconds);
            }
        }, ConsoleProgress.onTerminal());
        System.out.printf(Locale.ROOT, "report written in %.1f s (%d files beside it). Open it in a browser:%n%s%n",
                res.seconds(), res.files().size() - 1, res.index().toAbsolutePath().normalize());
        return 0;
    }

    /** The data options given, to repeat in the report's command lines. */
    private String dataArgs() {
        List<String> a = new ArrayList<>();
        if (input.dataset != null) a.add("--dataset " + input.dataset);
        if (input.split != Split.TEST) a.add("--split " + input.split.id());
        if (input.dataOptions.dataDir != null) a.add("--data " + input.dataOptions.dataDir);
        return String.join(" ", a);
    }
}
