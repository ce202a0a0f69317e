package glassbox.train;

import java.nio.file.Path;

/**
 * Training was stopped on request ({@link Trainer#stop()}) at a step boundary, after writing a checkpoint of
 * that step (when the run has a checkpoint file): resuming it continues with the next batch of the same epoch.
 */
public class StoppedException extends RuntimeException {
    private final long step;
    private final Path checkpoint;

    public StoppedException(long step, Path checkpoint, String message) {
        super(message);
        this.step = step;
        this.checkpoint = checkpoint;
    }

    /** Optimizer steps taken before the stop. */
    public long step() {
        return step;
    }

    /** The checkpoint written at the stop, or null when the run has none. */
    public Path checkpoint() {
        return checkpoint;
    }
}
