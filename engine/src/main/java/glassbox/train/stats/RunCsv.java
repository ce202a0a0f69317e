package glassbox.train.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scalar series of a run as CSV, for a spreadsheet or matplotlib: {@code steps.csv} (one row per stats
 * record: step, epoch, learning rate, losses, accuracy, then per parameter its value, gradient and update norms
 * and the update:parameter ratio, then per layer its output's mean, std, zero share, dead share and, for sigmoid
 * and tanh, saturated share) and {@code epochs.csv} (one row per epoch). Empty cells where a value is absent.
 * Leaves out the histograms (they are in the run file).
 */
public final class RunCsv {
    private RunCsv() {
    }

    /** Writes {@code steps.csv} and {@code epochs.csv} into {@code dir}; returns the two paths. */
    public static List<Path> write(Run run, Path dir) {
        try {
            Files.createDirectories(dir);
            Path steps = dir.resolve("steps.csv"), epochs = dir.resolve("epochs.csv");
            Files.writeString(steps, steps(run), StandardCharsets.UTF_8);
            Files.writeString(epochs, epochs(run), StandardCharsets.UTF_8);
            return List.of(steps, epochs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write CSV into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The stats records as CSV text, header line first. */
    public static String steps(Run run) {
        List<String> cols = new ArrayList<>(List.of("step", "epoch", "lr", "loss", "mean_loss", "accuracy"));
        for (RunRecord.ParamInfo p : run.header().params()) {
            for (String s : List.of("value_norm", "grad_norm", "update_norm", "ratio")) cols.add(p.name() + "." + s);
        }
        List<RunRecord.LayerInfo> layers = run.header().layers();
        for (RunRecord.LayerInfo l : layers) {
            for (String s : List.of("mean", "std", "zeros", "dead")) cols.add(l.name() + "." + s);
            if (saturable(l)) cols.add(l.name() + ".saturated");
        }
        StringBuilder b = new StringBuilder(String.join(",", cols)).append('\n');
        for (RunRecord.Stats s : run.stats()) {
            b.append(s.step()).append(',').append(s.epoch()).append(',').append(num(s.lr())).append(',').append(num(s.loss()))
                    .append(',').append(num(s.meanLoss())).append(',').append(num(s.accuracy()));
            for (RunRecord.ParamStats p : s.params()) {
                b.append(',').append(num(p.value().norm())).append(',').append(num(p.grad().norm())).append(',')
                        .append(num(p.update().norm())).append(',').append(p.ratio() == null ? "" : num(p.ratio()));
            }
            for (int i = 0; i < layers.size(); i++) {
                RunRecord.LayerStats l = s.layers().get(i);
                b.append(',').append(num(l.out().mean())).append(',').append(num(l.out().std())).append(',')
                        .append(num(l.out().zeros())).append(',').append(num(l.dead()));
                if (saturable(layers.get(i))) b.append(',').append(l.saturated() == null ? "" : num(l.saturated()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The epoch records as CSV text, header line first. */
    public static String epochs(Run run) {
        StringBuilder b = new StringBuilder("epoch,step,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds,images_per_second\n");
        for (RunRecord.Epoch e : run.epochs()) {
            b.append(e.epoch()).append(',').append(e.step()).append(',').append(num(e.trainLoss())).append(',')
                    .append(num(e.trainAccuracy())).append(',').append(num(e.testLoss())).append(',').append(num(e.testAccuracy()))
                    .append(',').append(num(e.lr())).append(',').append(num(e.seconds())).append(',').append(num(e.imagesPerSecond()))
                    .append('\n');
        }
        return b.toString();
    }

    private static boolean saturable(RunRecord.LayerInfo l) {
        return l.kind().equals("Sigmoid") || l.kind().equals("Tanh");
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : Double.isNaN(v) ? "" : v > 0 ? "inf" : "-inf";
    }
}
