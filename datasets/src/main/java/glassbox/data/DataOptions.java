package glassbox.data;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Where {@link Datasets} looks for data and whether it may download. Immutable; change with the
 * {@code with...} methods.
 *
 * <p>Search order: (1) {@code dataDir} (the {@code --data DIR} option); (2) the {@code GLASSBOX_DATA}
 * environment variable; (3) the user cache {@code ~/.cache/glassbox}; (4) known local installs: Debian's
 * {@code /usr/share/datasets} (package {@code dataset-fashion-mnist}) and, for development,
 * {@code ../shared/datasets} next to the working directory or the repository; (5) download into the first of
 * (1), (2), (3) that is set, verified by SHA-256.
 *
 * @param dataDir        explicit data folder, or null
 * @param env            environment lookup (tests replace it)
 * @param home           the user's home folder (holds {@code .cache/glassbox})
 * @param workDir        the working directory ({@code ../shared/datasets} is resolved from it)
 * @param localInstalls  whether to look in the known local installs (step 4)
 * @param download       whether step 5 may run
 * @param mirror         if not null, download every file from {@code mirror + folder + "/" + name} instead of
 *                       the official URLs (tests use a local HTTP server)
 * @param progress       show a progress bar while downloading
 * @param log            where download progress and notes go
 * @param timeout        connect and idle timeout of downloads
 */
public record DataOptions(Path dataDir, Function<String, String> env, Path home, Path workDir, boolean localInstalls,
                          boolean download, String mirror, boolean progress, PrintStream log, Duration timeout) {
    /** Environment variable naming a data folder. */
    public static final String ENV = "GLASSBOX_DATA";

    /** The real environment, home and working directory; downloads allowed; progress on stderr. */
    public static DataOptions defaults() {
        return new DataOptions(null, System::getenv, Path.of(System.getProperty("user.home")),
                Path.of(System.getProperty("user.dir")), true, true, null, true, System.err, Duration.ofSeconds(30));
    }

    public DataOptions withDataDir(Path dir) {
        return new DataOptions(dir, env, home, workDir, localInstalls, download, mirror, progress, log, timeout);
    }

    public DataOptions withEnv(Function<String, String> e) {
        return new DataOptions(dataDir, e, home, workDir, localInstalls, download, mirror, progress, log, timeout);
    }

    public DataOptions withHome(Path h) {
        return new DataOptions(dataDir, env, h, workDir, localInstalls, download, mirror, progress, log, timeout);
    }

    public DataOptions withWorkDir(Path w) {
        return new DataOptions(dataDir, env, home, w, localInstalls, download, mirror, progress, log, timeout);
    }

    public DataOptions withLocalInstalls(boolean on) {
        return new DataOptions(dataDir, env, home, workDir, on, download, mirror, progress, log, timeout);
    }

    public DataOptions withDownload(boolean on) {
        return new DataOptions(dataDir, env, home, workDir, localInstalls, on, mirror, progress, log, timeout);
    }

    public DataOptions withMirror(String m) {
        return new DataOptions(dataDir, env, home, workDir, localInstalls, download, m, progress, log, timeout);
    }

    public DataOptions withProgress(boolean on) {
        return new DataOptions(dataDir, env, home, workDir, localInstalls, download, mirror, on, log, timeout);
    }

    public DataOptions withLog(PrintStream l) {
        return new DataOptions(dataDir, env, home, workDir, localInstalls, download, mirror, progress, l, timeout);
    }

    public DataOptions withTimeout(Duration t) {
        return new DataOptions(dataDir, env, home, workDir, localInstalls, download, mirror, progress, log, t);
    }

    /** The user cache, {@code ~/.cache/glassbox}. */
    public Path cacheDir() {
        return home.resolve(".cache").resolve("glassbox");
    }

    /** Where downloads go: {@code dataDir}, else {@code GLASSBOX_DATA}, else the user cache. */
    public Path downloadDir() {
        if (dataDir != null) return dataDir;
        String e = env.apply(ENV);
        if (e != null && !e.isBlank()) return Path.of(e);
        return cacheDir();
    }
}
