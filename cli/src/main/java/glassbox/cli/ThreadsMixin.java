package glassbox.cli;

import glassbox.kernels.Parallel;
import picocli.CommandLine.Option;

/**
 * {@code --threads}: how many worker threads the kernels use, shared by train, eval and demo. Add to a
 * command with {@code @Mixin ThreadsMixin threads;} and call {@link #apply()} before any work.
 */
public final class ThreadsMixin {
    @Option(names = "--threads", paramLabel = "T", converter = Checked.AtLeastOne.class, description = "Worker threads (>= 1). Default: all cores.")
    Integer threads;

    /** Sets {@link Parallel#setThreads} to {@code --threads}, or to every core when it is absent; returns the count. */
    int apply() {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Parallel.setThreads(t);
        return t;
    }
}
