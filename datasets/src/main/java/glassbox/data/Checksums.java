package glassbox.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of files and of their uncompressed content, and what a file's hashes say about it against the
 * {@link KnownHash}es of the {@link Catalog}. Loading does not hash (it checks formats); {@code ./glassbox data}
 * and downloads do.
 */
public final class Checksums {
    private Checksums() {
    }

    /** How far a local file is known to be the real thing. */
    public enum Status {
        /** The file's bytes are the official file's. */
        VERIFIED("verified: official file"),
        /** The uncompressed content is the official content; the compression differs. */
        CONTENT_VERIFIED("verified: official content, re-compressed"),
        /** Matches a known unofficial copy (named in the provenance). */
        KNOWN_COPY("unverified: known unofficial copy"),
        /** Matches nothing known. It still loads if its format is valid. */
        UNVERIFIED("unverified: matches no known checksum");

        public final String label;

        Status(String label) {
            this.label = label;
        }
    }

    /** The verdict on one local file. {@code match} is null for UNVERIFIED; contentSha256 null if not computed. */
    public record Verdict(Status status, KnownHash match, String fileSha256, String contentSha256) {
    }

    /** Hashes {@code path} (and, if any known hash is of content, its uncompressed content) and compares. */
    public static Verdict verify(DataFile f, Path path) throws IOException {
        if (Files.isDirectory(path)) return new Verdict(Status.UNVERIFIED, null, null, null);
        String fileSha = sha256(path);
        for (KnownHash h : f.hashes()) {
            if (!h.ofContent() && h.sha256().equals(fileSha)) {
                return new Verdict(h.official() ? Status.VERIFIED : Status.KNOWN_COPY, h, fileSha, null);
            }
        }
        boolean anyContent = f.hashes().stream().anyMatch(KnownHash::ofContent);
        if (!anyContent) return new Verdict(Status.UNVERIFIED, null, fileSha, null);
        String contentSha;
        try (InputStream in = Streams.open(path)) {
            contentSha = sha256(in);
        } catch (IOException e) {
            return new Verdict(Status.UNVERIFIED, null, fileSha, "unreadable: " + e.getMessage());
        }
        for (KnownHash h : f.hashes()) {
            if (h.ofContent() && h.sha256().equals(contentSha)) {
                return new Verdict(h.official() ? Status.CONTENT_VERIFIED : Status.KNOWN_COPY, h, fileSha, contentSha);
            }
        }
        return new Verdict(Status.UNVERIFIED, null, fileSha, contentSha);
    }

    public static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return sha256(in);
        }
    }

    public static String sha256(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        int r;
        while ((r = in.read(buf)) >= 0) md.update(buf, 0, r);
        return hex(md.digest());
    }

    public static String sha256(byte[] data) {
        return hex(sha256().digest(data));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
