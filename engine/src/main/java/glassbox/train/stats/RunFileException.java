package glassbox.train.stats;

/** A file that is not a readable run file (foreign, corrupt, or from a newer build); the message is one line naming the file. */
public final class RunFileException extends IllegalArgumentException {
    public RunFileException(String message) {
        super(message);
    }
}
