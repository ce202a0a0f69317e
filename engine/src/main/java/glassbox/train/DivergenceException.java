package glassbox.train;

/**
 * Training stopped at the first NaN or infinity. The message names the step, the epoch and batch, the
 * layer (or parameter) where the value first appeared, and the last good checkpoint, which is kept.
 */
public class DivergenceException extends RuntimeException {
    private final long step;
    private final String where;

    public DivergenceException(long step, String where, String message) {
        super(message);
        this.step = step;
        this.where = where;
    }

    /** Global optimizer step (0-based) at which the non-finite value appeared. */
    public long step() {
        return step;
    }

    /** Layer or parameter name where it appeared ("loss" when only the loss was non-finite). */
    public String where() {
        return where;
    }
}
