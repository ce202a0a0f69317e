package glassbox.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a data set's files on disk, in the order of {@link DataOptions}, and says where it looked.
 * Leaves out downloading ({@link Downloader}) and parsing ({@link Datasets}).
 */
public final class Sources {
    private Sources() {
    }

    /** A data folder that may hold data sets, and why it is searched. */
    public record Root(Path dir, String origin) {
    }

    /**
     * A data set found on disk.
     *
     * @param root  where it was found
     * @param files each file of the data set -> its path (the .gz or the uncompressed form), or for CIFAR-10
     *              the archive or the extracted folder
     */
    public record Found(DatasetInfo info, Root root, Map<DataFile, Path> files) {
        /** The path of the data set's {@code name} file. */
        public Path path(String name) {
            return files.get(info.file(name));
        }
    }

    /** The data folders to search, in order; a step that is not configured is left out. */
    public static List<Root> roots(DataOptions o) {
        List<Root> roots = new ArrayList<>();
        if (o.dataDir() != null) roots.add(new Root(o.dataDir(), "--data"));
        String env = o.env().apply(DataOptions.ENV);
        if (env != null && !env.isBlank()) roots.add(new Root(Path.of(env), DataOptions.ENV));
        roots.add(new Root(o.cacheDir(), "user cache"));
        if (o.localInstalls()) {
            roots.add(new Root(Path.of("/usr/share/datasets"), "Debian package"));
            for (Path p : sharedCandidates(o.workDir())) {
                if (Files.isDirectory(p)) roots.add(new Root(p, "development copy ../shared/datasets"));
            }
        }
        return roots;
    }

    /**
     * {@code ../shared/datasets} from the working directory, then {@code shared/datasets} beside the enclosing
     * repository (the folder holding the {@code glassbox} launcher) or beside one of its parent folders,
     * nearest first: a clone in {@code X/repo} finds {@code X/shared/datasets}, a worktree in
     * {@code X/wt/name} also finds it.
     */
    static List<Path> sharedCandidates(Path workDir) {
        List<Path> out = new ArrayList<>();
        Path w = workDir.toAbsolutePath().normalize();
        if (w.getParent() != null) out.add(w.resolveSibling("shared").resolve("datasets"));
        for (Path p = w; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("glassbox")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                for (Path q = p.getParent(); q != null; q = q.getParent()) {
                    Path s = q.resolve("shared").resolve("datasets");
                    if (!out.contains(s)) out.add(s);
                }
                break;
            }
        }
        return out;
    }

    /** The first root holding every file of {@code info}, or null. {@code notes} collects what each root lacked. */
    public static Found find(DatasetInfo info, DataOptions o, List<String> notes) {
        for (Root r : roots(o)) {
            Found f = findIn(info, r, notes);
            if (f != null) return f;
        }
        return null;
    }

    /** {@code info} in one root, or null (with a note saying what is missing). */
    public static Found findIn(DatasetInfo info, Root r, List<String> notes) {
        Path dir = info.folder().isEmpty() ? r.dir() : r.dir().resolve(info.folder());
        Map<DataFile, Path> files = new LinkedHashMap<>();
        if (info.format() == DatasetInfo.Format.CIFAR10) {
            DataFile archive = info.files().getFirst();
            Path tgz = dir.resolve(archive.name()), folder = dir.resolve(Cifar10.FOLDER);
            if (Files.isRegularFile(tgz)) files.put(archive, tgz);
            else if (Files.isDirectory(folder)) files.put(archive, folder);
            else {
                notes.add(r.origin() + " " + dir + ": no " + archive.name() + " or " + Cifar10.FOLDER + "/");
                return null;
            }
            return new Found(info, r, files);
        }
        List<String> missing = new ArrayList<>();
        for (DataFile f : info.files()) {
            Path gz = dir.resolve(f.name()), raw = dir.resolve(f.uncompressedName());
            if (Files.isRegularFile(gz)) files.put(f, gz);
            else if (Files.isRegularFile(raw)) files.put(f, raw);
            else missing.add(f.name());
        }
        if (missing.isEmpty()) return new Found(info, r, files);
        notes.add(r.origin() + " " + dir + ": " + (missing.size() == info.files().size()
                ? "missing" : "incomplete, lacks " + String.join(", ", missing)));
        return null;
    }

    /** The message for a data set found nowhere: exactly which files to put where. */
    public static String notFoundMessage(DatasetInfo info, DataOptions o, List<String> notes, String downloadNote) {
        Path target = info.folder().isEmpty() ? o.downloadDir() : o.downloadDir().resolve(info.folder());
        StringBuilder sb = new StringBuilder();
        sb.append(info.name()).append(" (").append(info.title()).append(") not found");
        sb.append(downloadNote == null ? "." : "; " + downloadNote).append('\n');
        if (info.format() == DatasetInfo.Format.CIFAR10) {
            sb.append("Put ").append(Cifar10.ARCHIVE).append(" (or its extracted ").append(Cifar10.FOLDER)
                    .append("/ folder) in ").append(target).append("/\n");
        } else {
            sb.append("Put these ").append(info.files().size()).append(" files (.gz or uncompressed) in ")
                    .append(target).append("/\n");
        }
        for (DataFile f : info.files()) {
            sb.append("  ").append(f.name()).append("  sha256 ").append(f.officialSha256())
                    .append("\n      from ").append(f.urls().getFirst()).append('\n');
        }
        sb.append("or point to a folder holding them with --data DIR or ").append(DataOptions.ENV)
                .append("=DIR (files in DIR/").append(info.folder().isEmpty() ? "" : info.folder() + "/")
                .append("), or run `./glassbox data --download` where there is a network.\nLooked in:");
        for (String n : notes) sb.append("\n  ").append(n);
        return sb.toString();
    }
}
