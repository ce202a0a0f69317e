package glassbox.cli;

import glassbox.viz.robustness.Progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of the robustness, confusion and embed commands on stderr: a line redrawn in place at most
 * ten times a second on a terminal, a plain line at every tenth otherwise (log files). Shows the rate and
 * the time left once a second has passed.
 */
final class StepProgress implements Progress {
    private final PrintStream err = System.err;
    private final boolean live = System.console() != null;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastTenth = -1;
    private boolean drawn;

    @Override
    public void update(String what, long done, long total) {
        long now = System.nanoTime();
        double secs = (now - start) / 1e9, f = total == 0 ? 1 : (double) done / total;
        String eta = f > 0 && secs > 1 ? ProgressBar.time(secs / f - secs) : "--:--";
        String line = String.format(Locale.ROOT, "%s: %,d/%,d (%3.0f%%)  %.0f s  ETA %s", what, done, total, 100 * f, secs, eta);
        if (live) {
            if (done < total && now - lastDraw < 100_000_000L) return;
            lastDraw = now;
            err.print("\r" + line + "   ");
            drawn = true;
            if (done >= total) {
                err.println();
                drawn = false;
            }
        } else {
            int tenth = (int) (10 * f);
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            err.println(line);
        }
        err.flush();
    }

    /** Ends a live line left open. */
    void finish() {
        if (drawn) err.println();
        drawn = false;
    }
}
