package glassbox.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one entry point for loading data: {@code Datasets.load("mnist", Split.TRAIN, DataOptions.defaults())}.
 *
 * <p>Names: {@code mnist}, {@code fashion} (Fashion-MNIST), {@code cifar10}, {@code sample} (the embedded MNIST
 * sample, always available offline), {@code folder:DIR} (your own pictures, see {@link ImageFolder}).
 * Files are searched and downloaded as described in {@link DataOptions}; a data set found nowhere and not
 * downloadable fails with a {@link DatasetNotFoundException} whose message says exactly which files to
 * put where. A file in the wrong format fails with a {@link DataFormatException} naming file, offset,
 * expectation and finding.
 *
 * <p>Loading checks formats but does not hash files (that takes longer than parsing); {@code ./glassbox data}
 * shows checksums, and downloads are always verified. Leaves out caching parsed arrays between runs: parsing
 * is already a matter of seconds (see docs/datasets.md).
 */
public final class Datasets {
    private Datasets() {
    }

    /** Loads split {@code split} of data set {@code name}. */
    public static Dataset load(String name, Split split, DataOptions o) throws IOException {
        if (name.equalsIgnoreCase("sample")) return EmbeddedSample.load(split);
        if (name.startsWith("folder:")) return ImageFolder.load(Path.of(name.substring(7)), split, ImageFolder.Options.defaults());
        DatasetInfo info = Catalog.get(name);
        return load(info, split, locate(info, o));
    }

    /** The training and test splits of one data set. */
    public record Splits(Dataset train, Dataset test) {
    }

    /**
     * Loads both splits. Same as two {@link #load} calls, but CIFAR-10's archive is inflated once instead of
     * twice (measured: about 2.4 s instead of 3.2 s for the two calls).
     */
    public static Splits loadSplits(String name, DataOptions o) throws IOException {
        if (name.equalsIgnoreCase("sample") || name.startsWith("folder:")) {
            return new Splits(load(name, Split.TRAIN, o), load(name, Split.TEST, o));
        }
        DatasetInfo info = Catalog.get(name);
        Sources.Found found = locate(info, o);
        Path p = found.files().get(info.files().getFirst());
        if (info.format() == DatasetInfo.Format.CIFAR10 && !Files.isDirectory(p)) {
            var both = Cifar10.bothFromArchive(p);
            return new Splits(both.get(Split.TRAIN), both.get(Split.TEST));
        }
        return new Splits(load(info, Split.TRAIN, found), load(info, Split.TEST, found));
    }

    /** Loads a split from a data set found on disk. */
    public static Dataset load(DatasetInfo info, Split split, Sources.Found found) throws IOException {
        if (info.format() == DatasetInfo.Format.CIFAR10) {
            Dataset d = Cifar10.load(found.files().get(info.files().getFirst()), split);
            return new Dataset(info.name(), d.split(), d.channels(), d.height(), d.width(), d.pixels(), d.labels(),
                    d.classNames());
        }
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Dataset d = Idx.load(info.name(), split, found.path(prefix + "-images-idx3-ubyte.gz"),
                found.path(prefix + "-labels-idx1-ubyte.gz"), info.classNames());
        checkNotSwapped(info, d, found.path(prefix + "-labels-idx1-ubyte.gz"), prefix + "-labels-idx1-ubyte.gz");
        return d;
    }

    /**
     * MNIST and Fashion-MNIST use the same file names and shapes, so a copy in the wrong folder would load
     * silently and train on the wrong task. Hashing the small labels file (60 KB) catches it.
     */
    static void checkNotSwapped(DatasetInfo info, Dataset d, Path labelsFile, String name) throws DataFormatException {
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        try {
            Idx.writeLabels(content, d.labels());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String sha = Checksums.sha256(content.toByteArray());
        for (DatasetInfo other : Catalog.ALL) {
            if (other == info || other.format() != DatasetInfo.Format.IDX) continue;
            for (KnownHash h : other.file(name).hashes()) {
                if (h.ofContent() && h.sha256().equals(sha)) {
                    throw new DataFormatException(labelsFile.toString(), -1, info.title() + " labels",
                            "the labels of " + other.title() + " (move these files to the " + other.folder() + "/ folder)");
                }
            }
        }
    }

    /**
     * Finds {@code info} on disk, downloading it when allowed and missing.
     *
     * @throws DatasetNotFoundException found nowhere and not downloadable; the message lists files and places
     */
    public static Sources.Found locate(DatasetInfo info, DataOptions o) throws IOException {
        List<String> notes = new ArrayList<>();
        if (o.dataDir() == null) notes.add("--data: not given");
        String env = o.env().apply(DataOptions.ENV);
        if (env == null || env.isBlank()) notes.add(DataOptions.ENV + ": not set");
        Sources.Found found = Sources.find(info, o, notes);
        if (found != null) return found;
        if (!o.download()) {
            throw new DatasetNotFoundException(Sources.notFoundMessage(info, o, notes, "downloads are off"));
        }
        try {
            return download(info, o);
        } catch (IOException e) {
            throw new DatasetNotFoundException(Sources.notFoundMessage(info, o, notes,
                    "the download failed (" + e.getMessage().replace("\n", "\n  ") + ")"));
        }
    }

    /** Downloads every file of {@code info} missing from {@link DataOptions#downloadDir()}; verified by SHA-256. */
    public static Sources.Found download(DatasetInfo info, DataOptions o) throws IOException {
        Path root = o.downloadDir();
        Path dir = info.folder().isEmpty() ? root : root.resolve(info.folder());
        for (DataFile f : info.files()) {
            if (Files.isRegularFile(dir.resolve(f.name()))) continue;
            List<String> urls = o.mirror() == null ? f.urls()
                    : List.of(o.mirror() + (info.folder().isEmpty() ? "" : info.folder() + "/") + f.name());
            if (o.log() != null) o.log().println("glassbox: downloading " + f.name() + " into " + dir);
            Downloader.fetch(f, urls, dir, o);
        }
        Sources.Found found = Sources.findIn(info, new Sources.Root(root, "download"), new ArrayList<>());
        if (found == null) throw new IOException("downloaded files are not where expected in " + dir);
        return found;
    }
}
