package glassbox.cli;

import glassbox.train.TrainListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The train command's output: a carriage-return progress bar per epoch (loss, accuracy, images/s, ETA)
 * when writing to a terminal (a plain line every tenth of an epoch otherwise, for log files), and one
 * line per epoch (train loss, test accuracy) always.
 * A dozen lines, so no library (me.tongfei:progressbar is not among the vetted artifacts).
 */
final class ProgressBar implements TrainListener {
    private static final int WIDTH = 28;
    private final PrintStream out, bar;
    private final boolean live;
    private long lastDraw;

    /** @param bar where the live bar goes (stderr), or null for none */
    ProgressBar(PrintStream out, PrintStream bar) {
        this.out = out;
        this.bar = bar;
        this.live = bar != null;
    }

    @Override
    public void onStep(Step s) {
        if (!live) {
            logTenths(s);
            return;
        }
        long now = System.nanoTime();
        if (s.batch() < s.batches() && now - lastDraw < 100_000_000L) return; // at most 10 redraws a second
        lastDraw = now;
        double f = (double) s.batch() / s.batches();
        int full = (int) (f * WIDTH);
        String b = "=".repeat(full) + (full < WIDTH ? ">" + " ".repeat(WIDTH - full - 1) : "");
        double eta = s.epochSeconds() / f - s.epochSeconds();
        bar.print(String.format(Locale.ROOT, "\repoch %d/%d [%s] %3.0f%% %d/%d  loss %.4f  acc %5.2f%%  %5.0f img/s  ETA %s ",
                s.epoch(), s.epochs(), b, 100 * f, s.batch(), s.batches(), s.loss(), 100 * s.accuracy(),
                s.imagesPerSecond(), time(eta)));
        bar.flush();
    }

    /** Without a terminal (output to a log file): one plain line at every tenth of an epoch. */
    private void logTenths(Step s) {
        int tenth = (int) (10L * s.batch() / s.batches()), before = (int) (10L * (s.batch() - 1) / s.batches());
        if (tenth == before || tenth == 10) return;
        double eta = s.epochSeconds() * (s.batches() - s.batch()) / s.batch();
        out.printf(Locale.ROOT, "  epoch %d/%d %3d%%  loss %.4f  acc %5.2f%%  %5.0f img/s  ETA %s%n", s.epoch(), s.epochs(),
                10 * tenth, s.loss(), 100 * s.accuracy(), s.imagesPerSecond(), time(eta));
        out.flush();
    }

    @Override
    public void onEpoch(Epoch e) {
        if (live) {
            bar.print("\r" + " ".repeat(110) + "\r");
            bar.flush();
        }
        out.printf(Locale.ROOT, "epoch %d/%d  train loss %.4f  train acc %.2f%%  test acc %.2f%%  %.1f s  %.0f img/s%n",
                e.epoch(), e.epochs(), e.trainLoss(), 100 * e.trainAccuracy(), 100 * e.testAccuracy(), e.seconds(),
                e.imagesPerSecond());
        out.flush();
    }

    @Override
    public void onResume(int epoch, long step) {
        out.printf(Locale.ROOT, "resuming after epoch %d (step %d)%n", epoch, step);
    }

    static String time(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) return "--:--";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
