package glassbox.data;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Downloads a {@link DataFile} safely: into a temporary file beside the target, hashing while writing, and
 * renaming it to its real name only when its SHA-256 equals the official one. A wrong checksum, an HTTP
 * error or a connection cut mid-file leaves no file under the real name (and no temporary file); the
 * next mirror is tried. Leaves out resuming partial downloads.
 */
public final class Downloader {
    private Downloader() {
    }

    /**
     * Fetches {@code file} into {@code dir/file.name()}, trying each URL in turn.
     *
     * @throws IOException naming every URL tried and why it failed
     */
    public static Path fetch(DataFile file, List<String> urls, Path dir, DataOptions o) throws IOException {
        Path target = dir.resolve(file.name());
        List<String> failures = new ArrayList<>();
        for (String url : urls) {
            try {
                fetchOne(file, url, target, o);
                return target;
            } catch (IOException e) {
                failures.add(url + ": " + e.getMessage());
                if (o.log() != null) o.log().println("glassbox: " + url + ": " + e.getMessage());
            }
        }
        throw new IOException("could not download " + file.name() + ":\n  " + String.join("\n  ", failures));
    }

    /**
     * Creates {@code dir} and its missing parents; returns those it created, deepest first, so a failed
     * download can remove them again ({@link #removeEmpty}): no empty cache folders are left behind.
     */
    static List<Path> createFolders(Path dir) throws IOException {
        List<Path> created = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) created.add(p);
        Files.createDirectories(dir);
        return created;
    }

    /** Deletes the folders of {@code created} (deepest first) that are still empty. */
    static void removeEmpty(List<Path> created) {
        for (Path p : created) {
            try {
                Files.deleteIfExists(p); // fails, and stops, at the first folder that is not empty
            } catch (IOException e) {
                return;
            }
        }
    }

    // HttpURLConnection rather than java.net.http: it has an idle read timeout, so a stalled connection
    // fails after o.timeout() instead of hanging the lecture.
    private static void fetchOne(DataFile file, String url, Path target, DataOptions o) throws IOException {
        HttpURLConnection c;
        int status;
        try {
            c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            // Offline laptops should hear "cannot connect" quickly; a slow but live link may still take its time.
            c.setConnectTimeout((int) Math.min(o.timeout().toMillis(), 10_000));
            c.setReadTimeout((int) o.timeout().toMillis());
            c.setInstanceFollowRedirects(true);
            status = c.getResponseCode();
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("cannot connect (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        if (status != 200) {
            c.disconnect();
            throw new IOException("HTTP " + status);
        }
        List<Path> created = createFolders(target.getParent()); // only now that there is something to write
        Path tmp = Files.createTempFile(target.getParent(), "." + file.name() + ".", ".part");
        boolean ok = false;
        try (InputStream in = c.getInputStream()) {
            long length = c.getContentLengthLong() > 0 ? c.getContentLengthLong() : file.size();
            MessageDigest sha = Checksums.sha256();
            long got = 0;
            try (OutputStream out = Files.newOutputStream(tmp); ProgressBar bar = bar(file, length, o)) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) >= 0) {
                    out.write(buf, 0, r);
                    sha.update(buf, 0, r);
                    got += r;
                    if (bar != null) bar.stepTo(got);
                }
            } catch (IOException e) {
                throw new IOException("connection lost after " + got + " of " + length + " bytes (" + describe(e) + ")", e);
            }
            if (got != length && c.getContentLengthLong() > 0) {
                throw new IOException("connection lost after " + got + " of " + length + " bytes");
            }
            String hex = Checksums.hex(sha.digest());
            if (!hex.equals(file.officialSha256())) {
                throw new IOException("checksum mismatch: expected sha256 " + file.officialSha256() + ", got " + hex
                        + " (" + got + " bytes); file discarded");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            ok = true;
            readableByAll(target); // temp files are created owner-only; data files are not secrets
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
                removeEmpty(created);
            }
            c.disconnect();
        }
    }

    private static void readableByAll(Path p) {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
    }

    private static ProgressBar bar(DataFile file, long length, DataOptions o) {
        if (!o.progress() || o.log() == null) return null;
        return new ProgressBarBuilder().setTaskName(file.name()).setInitialMax(length).setUnit("MB", 1 << 20)
                .setConsumer(new ConsoleProgressBarConsumer(o.log(), 100)).setUpdateIntervalMillis(250)
                .showSpeed().build();
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
