package glassbox.data;

/**
 * Which half of a data set: the training split (normalization statistics come from it) or the test split.
 * Leaves out validation splits: hold some training samples out with {@link Dataset#subset} if you need one.
 */
public enum Split {
    TRAIN("train"),
    TEST("test");

    private final String id;

    Split(String id) {
        this.id = id;
    }

    /** "train" or "test", the form used in {@link Dataset#split()} and on the command line. */
    public String id() {
        return id;
    }

    /** Parses "train" or "test" (case-insensitive). */
    public static Split of(String s) {
        for (Split sp : values()) {
            if (sp.id.equalsIgnoreCase(s)) return sp;
        }
        throw new IllegalArgumentException("unknown split '" + s + "': expected train or test");
    }
}
