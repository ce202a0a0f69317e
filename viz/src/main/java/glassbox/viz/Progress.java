package glassbox.viz;

/**
 * Where a long computation reports how far it got (the CLI shows a progress bar; tests and the explorer
 * pass {@link #NONE}). Counts are in the task's own unit, e.g. images scanned.
 */
public interface Progress {
    /** Reports nothing. */
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) {
        }

        @Override
        public void stepTo(long done) {
        }

        @Override
        public void end() {
        }
    };

    /** A task of {@code total} units begins. */
    void start(String task, long total);

    /** {@code done} of the total units are finished. */
    void stepTo(long done);

    /** The task is over (also after an error). */
    void end();
}
