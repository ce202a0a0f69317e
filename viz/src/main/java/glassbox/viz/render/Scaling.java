package glassbox.viz.render;

/**
 * How numbers of a sheet of tiles map to brightness or colour.
 *
 * <p>{@link #GLOBAL}: one range for the whole sheet, so tiles compare (a weak template looks weak).
 * {@link #PER_TILE}: each tile stretched to its own range, so every tile shows its pattern.
 */
public enum Scaling {
    GLOBAL, PER_TILE;

    /** Parses "global" / "per-tile" (also "shared", "per-map", "per-template"), case-insensitive. */
    public static Scaling parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "global", "shared" -> GLOBAL;
            case "per-tile", "per-map", "per-template", "per-kernel", "tile" -> PER_TILE;
            default -> throw new IllegalArgumentException("unknown scaling '" + s + "'; use global or per-tile");
        };
    }

    public String label() {
        return this == GLOBAL ? "global scaling" : "per-tile scaling";
    }
}
