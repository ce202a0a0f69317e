package glassbox.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox models}: lists the shipped models (see {@link Gallery}) with data set, test accuracy,
 * training time and the command that trained each; {@code --verify} also checks every file's SHA-256.
 * Any command's {@code --model} takes the names listed here.
 */
@Command(name = "models", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the shipped models (each name works as --model NAME) with accuracy, training time and command."})
public final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--verify", description = "Also check each model file's SHA-256 against the index.")
    boolean verify;

    @Override
    public Integer call() throws Exception {
        Gallery g = Gallery.find();
        if (g.entries().isEmpty()) {
            System.out.println("no shipped models found (looked for " + g.dir().resolve(Gallery.INDEX) + "; set GLASSBOX_GALLERY to the folder)");
            return 0;
        }
        System.out.println("shipped models in " + g.dir() + " (use the name as --model NAME):");
        int w = g.entries().stream().mapToInt(e -> e.name().length()).max().orElse(4);
        System.out.printf(Locale.ROOT, "  %-" + w + "s  %-8s  %9s  %10s  %s%n", "name", "dataset", "test acc", "train time", "size");
        int bad = 0;
        for (Gallery.Entry e : g.entries()) {
            var p = g.path(e);
            String size = !Files.isRegularFile(p) ? "MISSING" : Files.size(p) >= 1e6 ? String.format(Locale.ROOT, "%.1f MB", Files.size(p) / 1e6)
                    : String.format(Locale.ROOT, "%.0f kB", Files.size(p) / 1e3);
            System.out.printf(Locale.ROOT, "  %-" + w + "s  %-8s  %8.2f%%  %10s  %s%n", e.name(), e.dataset(), e.testAccuracy(),
                    duration(e.trainSeconds()), size);
            System.out.println("      " + e.command());
            if (verify && Files.isRegularFile(p)) {
                boolean ok = Gallery.sha256(p).equals(e.sha256());
                System.out.println("      sha256 " + (ok ? "ok" : "MISMATCH") + " " + e.sha256());
                if (!ok) bad++;
            }
        }
        if (bad > 0) throw new IllegalStateException(bad + " shipped model file(s) do not match their SHA-256");
        return 0;
    }

    private static String duration(double secs) {
        long s = Math.round(secs);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60) : s + " s";
    }
}
