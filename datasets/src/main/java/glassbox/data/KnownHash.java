package glassbox.data;

/**
 * A SHA-256 that a data file may match, and what a match means.
 *
 * @param sha256     lowercase hex
 * @param ofContent  true: the hash of the uncompressed IDX content (so a re-gzipped copy still matches);
 *                   false: the hash of the file's bytes as stored
 * @param official   true when the hash identifies the data as published by its authors; false for a
 *                   known unofficial copy (reported as such, never used to accept a download)
 * @param provenance where the hash comes from, shown by {@code ./glassbox data}
 */
public record KnownHash(String sha256, boolean ofContent, boolean official, String provenance) {
    /** SHA-256 of the official file itself: the one a download must match. */
    public static KnownHash file(String sha256, String provenance) {
        return new KnownHash(sha256, false, true, provenance);
    }

    /** SHA-256 of the official uncompressed content. */
    public static KnownHash content(String sha256, String provenance) {
        return new KnownHash(sha256, true, true, provenance);
    }

    /** SHA-256 of a known unofficial copy's file bytes. */
    public static KnownHash fileCopy(String sha256, String provenance) {
        return new KnownHash(sha256, false, false, provenance);
    }

    /** SHA-256 of a known unofficial copy's uncompressed content. */
    public static KnownHash contentCopy(String sha256, String provenance) {
        return new KnownHash(sha256, true, false, provenance);
    }
}
