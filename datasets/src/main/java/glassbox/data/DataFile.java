package glassbox.data;

import java.util.List;

/**
 * One file of a downloadable data set.
 *
 * @param name   file name as published (e.g. {@code train-images-idx3-ubyte.gz})
 * @param size   size in bytes of the official file (for progress; the checksum is what decides)
 * @param urls   official location first, then mirrors
 * @param hashes what the file may match; the first with {@code official && !ofContent} verifies downloads
 */
public record DataFile(String name, long size, List<String> urls, List<KnownHash> hashes) {
    public DataFile {
        urls = List.copyOf(urls);
        hashes = List.copyOf(hashes);
    }

    /** The SHA-256 a download must have. */
    public String officialSha256() {
        for (KnownHash h : hashes) {
            if (h.official() && !h.ofContent()) return h.sha256();
        }
        throw new IllegalStateException("no official file hash for " + name);
    }

    /** The name without {@code .gz}: the uncompressed form, also accepted on disk. */
    public String uncompressedName() {
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }
}
