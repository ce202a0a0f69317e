package glassbox.viz.render;

/**
 * How numbers of a sheet of tiles map to brightness or colour.
 *
 * <p>{@link #GLOBAL}: one range for the whole sheet, so tiles compare (a weak template looks weak), and the
 * colour bar shows real values. {@link #PER_TILE}: each tile stretched to its own range, so every tile shows
 * its pattern; each tile's range is printed under it. On the command line: {@code global}, {@code per-tile}.
 */
public enum Scaling {
    GLOBAL("global"), PER_TILE("per-tile");

    private final String id;

    Scaling(String id) {
        this.id = id;
    }

    /** "global" or "per-tile", as typed on the command line. */
    @Override
    public String toString() {
        return id;
    }

    public String label() {
        return this == GLOBAL ? "global scaling" : "per-tile scaling";
    }
}
