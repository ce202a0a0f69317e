package glassbox.train;

/** Receives progress from the {@link Trainer}: the CLI draws a progress bar, tests record or interrupt. */
public interface TrainListener {
    /** After every optimizer step. */
    record Step(int epoch, int epochs, int batch, int batches, long step, double loss, double accuracy,
                double imagesPerSecond, double epochSeconds, double lr) {
    }

    /** After every epoch (1-based {@code epoch}), once the checkpoint is written. */
    record Epoch(int epoch, int epochs, double trainLoss, double trainAccuracy, double testAccuracy,
                 double seconds, double imagesPerSecond) {
    }

    default void onStep(Step s) {
    }

    default void onEpoch(Epoch e) {
    }

    /** Called when training starts at {@code epoch} (0-based) after loading a checkpoint. */
    default void onResume(int epoch, long step) {
    }

    TrainListener NONE = new TrainListener() {
    };
}
