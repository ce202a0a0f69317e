package glassbox.cli;

import glassbox.train.TrainListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The train command's output: on a terminal, a live progress bar per epoch (me.tongfei:progressbar, the
 * library the data downloads use too) with loss, accuracy and images/s beside it; without a terminal (output
 * to a log file), a plain line every tenth of an epoch instead; and one line per epoch (train loss, test
 * accuracy) always. Leaves out nested bars (evaluation is a second or two).
 */
final class TrainProgress implements TrainListener {
    private final PrintStream out, live;
    private ProgressBar bar;

    /** @param live where the live bar goes (stderr on a terminal), or null to log tenths to {@code out} */
    TrainProgress(PrintStream out, PrintStream live) {
        this.out = out;
        this.live = live;
    }

    /** A live bar in Glassbox's style on {@code to}: task name, ASCII bar, count, elapsed and remaining time. */
    static ProgressBar bar(String task, long max, String unit, PrintStream to) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(to, 110)).setUpdateIntervalMillis(100)
                .setUnit(" " + unit, 1).setMaxRenderedLength(110).build();
    }

    @Override
    public void onStep(Step s) {
        if (live == null) {
            logTenths(s);
            return;
        }
        if (bar == null) bar = bar(String.format(Locale.ROOT, "epoch %d/%d", s.epoch(), s.epochs()), s.batches(), "batches", live);
        bar.stepTo(s.batch());
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f acc %5.2f%% %5.0f img/s", s.loss(), 100 * s.accuracy(), s.imagesPerSecond()));
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
        if (bar != null) {
            bar.close();
            bar = null;
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
