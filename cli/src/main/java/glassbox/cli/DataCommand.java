package glassbox.cli;

import glassbox.data.Checksums;
import glassbox.data.DataFile;
import glassbox.data.DataOptions;
import glassbox.data.Dataset;
import glassbox.data.DatasetInfo;
import glassbox.data.Datasets;
import glassbox.data.EmbeddedSample;
import glassbox.data.Sources;
import glassbox.data.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox data}: lists each data set, where it was found (or that it is missing, with the files to
 * put where), and the SHA-256 of each file against the known official checksums. {@code --download} fetches
 * what is missing; {@code --load} parses every split found and prints how long it took.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = {"Lists the data sets, where each was found (or what to put where), and their checksums.",
                "Search order: --data DIR, $GLASSBOX_DATA, ~/.cache/glassbox, /usr/share/datasets (Debian),",
                "shared/datasets beside the repository; then a download (with --download)."})
public final class DataCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", arity = "0..*",
            description = "Data sets to show: mnist, fashion-mnist, cifar10, folder:DIR (default: all but folders).")
    List<String> names = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR", description = "Folder searched first; downloads go there.")
    Path dataDir;

    @Option(names = "--download", description = "Download the missing data sets (verified by SHA-256).")
    boolean download;

    @Option(names = "--load", description = "Also parse every split found and print its size, class counts and load time.")
    boolean load;

    @Option(names = "--no-checksums", description = "Skip hashing (hashing CIFAR-10 takes about a second).")
    boolean noChecksums;

    @Option(names = "--mirror", hidden = true, paramLabel = "URL",
            description = "Download every file from URL + folder/name instead of the official sites (tests).")
    String mirror;

    /** Environment, home and search switches before the options above apply (tests replace it). */
    DataOptions base = DataOptions.defaults();

    /** Where output goes (tests replace it). */
    PrintStream out = System.out;

    @Override
    public Integer call() throws IOException {
        DataOptions o = base.withDataDir(dataDir).withDownload(false).withMirror(mirror);
        out.println("Data folders searched, in order:");
        for (Sources.Root r : Sources.roots(o)) out.println("  " + r.origin() + ": " + r.dir());
        out.println("Downloads go to " + o.downloadDir());
        List<DatasetInfo> infos = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith("folder:")) showFolder(Path.of(n.substring("folder:".length())));
            else infos.add(glassbox.data.Catalog.get(n));
        }
        if (!names.isEmpty() && infos.isEmpty()) return 0;
        for (DatasetInfo info : names.isEmpty() ? glassbox.data.Catalog.ALL : infos) {
            out.println();
            out.println(info.name() + " — " + info.title());
            List<String> notes = new ArrayList<>();
            Sources.Found found = Sources.find(info, o, notes);
            if (found == null && download) {
                try {
                    found = Datasets.download(info, o.withDownload(true));
                } catch (IOException e) {
                    throw new glassbox.data.DatasetNotFoundException(Sources.notFoundMessage(info, o, notes,
                            "the download failed (" + e.getMessage().replace("\n", "\n  ") + ")"));
                }
            }
            if (found == null) {
                out.println("  MISSING. " + Sources.notFoundMessage(info, o, notes, null)
                        .lines().skip(1).reduce((a, b) -> a + "\n  " + b).orElse(""));
                continue;
            }
            out.println("  found in " + found.root().dir() + " (" + found.root().origin() + ")");
            for (var e : found.files().entrySet()) describe(e.getKey(), e.getValue());
            if (load) time(info, found);
        }
        out.println();
        out.println("sample — embedded MNIST sample (" + EmbeddedSample.TRAIN_PER_CLASS * 10 + " train / "
                + EmbeddedSample.TEST_PER_CLASS * 10 + " test digits), always available: it is inside the jar");
        return 0;
    }

    /** An image folder: its classes and how many images each split has (all images are decoded: slow for big ones). */
    private void showFolder(Path dir) throws IOException {
        out.println();
        out.println("folder:" + dir + " — images, one sub-folder per class (read as 3x32x32, resized)");
        for (Split s : Split.values()) {
            if (s == Split.TEST && !java.nio.file.Files.isDirectory(dir.resolve("test"))) {
                out.println("  test: none (no train/ and test/ sub-folders)");
                continue;
            }
            long t0 = System.nanoTime();
            Dataset d = glassbox.data.ImageFolder.load(dir, s, glassbox.data.ImageFolder.Options.defaults());
            out.printf("  %s: %d images in %.2f s; classes %s, per class %s%n", s.id(), d.size(),
                    (System.nanoTime() - t0) / 1e9, d.classNames(), java.util.Arrays.toString(d.labelCounts()));
        }
    }

    private void describe(DataFile f, Path p) throws IOException {
        String shown = p.getFileName().toString();
        if (noChecksums) {
            out.println("  " + shown);
            return;
        }
        Checksums.Verdict v = Checksums.verify(f, p);
        if (v.fileSha256() == null) {
            out.println("  " + shown + "/  (extracted folder: checksums apply to the archive; not verified)");
            return;
        }
        out.println("  " + shown + "  sha256 " + v.fileSha256());
        out.println("      " + v.status().label + (v.match() != null ? " (" + v.match().provenance() + ")" : ""));
        if (v.contentSha256() != null && v.status() != Checksums.Status.VERIFIED) {
            out.println("      content sha256 " + v.contentSha256());
        }
    }

    private void time(DatasetInfo info, Sources.Found found) throws IOException {
        for (Split s : Split.values()) {
            long t0 = System.nanoTime();
            Dataset d = Datasets.load(info, s, found);
            double sec = (System.nanoTime() - t0) / 1e9;
            out.printf("  loaded %s: %d images %dx%dx%d in %.2f s; per class %s%n", s.id(), d.size(), d.channels(),
                    d.height(), d.width(), sec, java.util.Arrays.toString(d.labelCounts()));
        }
        Path p = found.files().get(info.files().getFirst());
        if (info.format() == DatasetInfo.Format.CIFAR10 && !java.nio.file.Files.isDirectory(p)) {
            long t0 = System.nanoTime();
            glassbox.data.Cifar10.bothFromArchive(p);
            out.printf("  loaded both splits in one pass (Datasets.loadSplits) in %.2f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }
}
