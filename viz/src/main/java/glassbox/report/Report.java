package glassbox.report;

import glassbox.data.Dataset;
import glassbox.model.ModelFile;
import glassbox.train.stats.Run;
import glassbox.viz.Progress;
import glassbox.viz.render.Charts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A report on one trained model: {@code DIR/index.html} with one section per view (see {@link #SECTION_IDS}),
 * each with our explanation, the command that renders it alone, and its pictures, written beside the page with
 * a JSON of their numbers. Every picture comes from the view's own computation and renderer in
 * {@code glassbox.viz}: {@link Sections} makes each section (what to show, on how many images), this class
 * runs them in order and writes the page ({@link Html}).
 *
 * <p>Sizes are kept small so that a report on LeNet-5 takes seconds: attacks, corruptions and t-SNE run on a
 * subset of the test split (the section says how many). A section that does not apply to the model (templates
 * of a convolutional first layer, kernels of a network without convolutions, training curves without a run
 * file) says why and how to get it instead. Leaves out feature inversion, the sanity check and occlusion
 * (see {@code ./glassbox explain}).
 */
public final class Report {
    /** Anchors of the sections in page order ({@code index.html#kernels}); the same in every report. */
    public static final List<String> SECTION_IDS = List.of("model", "training", "templates", "kernels", "activations",
            "top-patches", "explanations", "class-models", "robustness", "confusion", "embedding");

    /**
     * How much of the data each section uses.
     *
     * @param images          test images shown in the activation and explanation sections
     * @param imageIndices    those images' indices in the split, or null for the first {@code images}
     * @param limit           images used for the accuracy, the confusion matrix and the top-patch scan (0: the whole split)
     * @param attackImages    images attacked and corrupted
     * @param tsneImages      images mapped by t-SNE
     * @param classModelSteps gradient-ascent steps of each class-model image
     * @param seed            seed of the attacks' random starts, the corruption noise and t-SNE
     */
    public record Settings(int images, int[] imageIndices, int limit, int attackImages, int tsneImages, int classModelSteps, long seed) {
        public Settings {
            if (images < 1) throw new IllegalArgumentException("images must be >= 1, got " + images);
            if (limit < 0 || attackImages < 1 || tsneImages < 1 || classModelSteps < 1) {
                throw new IllegalArgumentException("limit must be >= 0, attack images, t-SNE images and class-model steps >= 1");
            }
            imageIndices = imageIndices == null ? null : imageIndices.clone();
        }

        /** 3 images, 1,000 for the confusion matrix and top patches, 200 attacked, 500 in the t-SNE, 200 ascent steps. */
        public static Settings defaults() {
            return new Settings(3, null, 1000, 200, 500, 200, 1);
        }
    }

    /**
     * What the report is about.
     *
     * @param file     the model file
     * @param modelArg the model as the user named it ({@code --model}), repeated in the command lines shown
     * @param data     the split the views run on (usually the test split of the model's data set)
     * @param dataArgs data options to repeat in the command lines (e.g. {@code "--dataset sample"}), or ""
     * @param run      the training run file's records, or null
     * @param runArg   the run file as the user named it, or null
     */
    public record Input(ModelFile file, String modelArg, Dataset data, String dataArgs, Run run, String runArg) {
    }

    /** Hears which section is being made and how long it took (the CLI prints one line each). */
    public interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void started(int index, int count, Section section) {
            }

            @Override
            public void finished(Section section, List<Path> written, double seconds) {
            }
        };

        /** Section {@code index} (1-based) of {@code count} is being made; only its id and title are known yet. */
        void started(int index, int count, Section section);

        /** Section {@code section} is done; it wrote {@code written} (pictures and JSON). */
        void finished(Section section, List<Path> written, double seconds);
    }

    /** The page and every file written beside it. */
    public record Result(Path index, List<Path> files, double seconds) {
    }

    /**
     * Writes the report on {@code in} into {@code dir} (created if needed; files of an earlier report there are
     * replaced). {@code listener} hears of each section, {@code progress} of long scans within one.
     */
    public static Result write(Input in, Settings s, Path dir, Listener listener, Progress progress) {
        long t0 = System.nanoTime();
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        Charts.install();
        Sections r = new Sections(in, s, dir, progress);
        r.checkImages();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < SECTION_IDS.size(); i++) {
            String id = SECTION_IDS.get(i);
            listener.started(i + 1, SECTION_IDS.size(), new Section(id, Sections.title(id), "", List.of(), ""));
            long ts = System.nanoTime();
            int before = r.files().size();
            Section sec = r.section(id);
            sections.add(sec);
            listener.finished(sec, List.copyOf(r.files().subList(before, r.files().size())), (System.nanoTime() - ts) / 1e9);
        }
        Path index = dir.resolve("index.html");
        try {
            Files.writeString(index, Html.page("Glassbox report: " + r.label(), r.subtitle(), sections));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + index + ": " + e.getMessage(), e);
        }
        r.files().add(index);
        return new Result(index, List.copyOf(r.files()), (System.nanoTime() - t0) / 1e9);
    }

}
