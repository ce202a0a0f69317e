package glassbox.viz.robustness;

/** Progress of a long computation: {@code done} of {@code total} units of {@code what}. */
@FunctionalInterface
public interface Progress {
    void update(String what, long done, long total);

    /** Reports nothing. */
    Progress NONE = (what, done, total) -> { };
}
