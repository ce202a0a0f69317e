package glassbox.cli;

import glassbox.viz.Progress;
import me.tongfei.progressbar.ProgressBar;

import java.io.PrintStream;

/**
 * A {@link Progress} shown as a live bar on stderr (the same bar as training's, see
 * {@link TrainProgress#bar}) when stderr is a terminal; silent otherwise, so log files stay clean.
 */
final class ConsoleProgress implements Progress {
    private final PrintStream to;
    private ProgressBar bar;

    private ConsoleProgress(PrintStream to) {
        this.to = to;
    }

    /** A bar on stderr when the command runs in a terminal, else {@link Progress#NONE}. */
    static Progress onTerminal() {
        return System.console() != null && System.console().isTerminal() ? new ConsoleProgress(System.err) : Progress.NONE;
    }

    @Override
    public void start(String task, long total) {
        bar = TrainProgress.bar(task, total, "images", to);
    }

    @Override
    public void stepTo(long done) {
        if (bar != null) bar.stepTo(done);
    }

    @Override
    public void end() {
        if (bar != null) bar.close();
        bar = null;
    }
}
