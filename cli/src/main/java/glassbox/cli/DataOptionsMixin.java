package glassbox.cli;

import glassbox.data.Catalog;
import glassbox.data.DataOptions;
import glassbox.data.Dataset;
import glassbox.data.DatasetInfo;
import glassbox.data.Datasets;
import glassbox.data.Sources;
import glassbox.data.Split;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data options every command that reads data shares: {@code --data DIR} and {@code --offline}.
 * Add to a command with {@code @Mixin DataOptionsMixin data;} and load through {@link #load} or
 * {@link #loadSplits}: they print which folder the data came from on every run, and warn when {@code --data}
 * was given but the data was found elsewhere.
 */
public final class DataOptionsMixin {
    @Option(names = "--data", paramLabel = "DIR",
            description = {"Folder of data sets: DIR/mnist/, DIR/fashion-mnist/, DIR/cifar-10-binary.tar.gz.",
                    "Searched first; downloads go there. Default: $GLASSBOX_DATA, ~/.cache/glassbox."})
    Path dataDir;

    @Option(names = "--offline", description = "Never download; fail with a message saying which files to put where.")
    boolean offline;

    /** Options for {@link glassbox.data.Datasets}: the real environment plus these flags. */
    public DataOptions options() {
        return DataOptions.defaults().withDataDir(dataDir).withDownload(!offline);
    }

    /** Split {@code split} of data set {@code name}, after saying where it comes from. */
    Dataset load(String name, Split split) throws IOException {
        say(name, System.out, System.err);
        return Datasets.load(name, split, options());
    }

    /** Both splits of data set {@code name}, after saying where they come from. */
    Datasets.Splits loadSplits(String name) throws IOException {
        say(name, System.out, System.err);
        return Datasets.loadSplits(name, options());
    }

    /**
     * Prints "data: mnist from DIR (origin)" to {@code out} (finding, or downloading, the data set first), and
     * to {@code err} a warning when {@code --data} was given but is not where the data comes from.
     */
    void say(String name, PrintStream out, PrintStream err) throws IOException {
        if (name.equalsIgnoreCase("sample")) {
            out.println("data: the embedded MNIST sample (inside the jar)");
            if (dataDir != null) err.println("warning: --data " + dataDir + " is not used: the sample is inside the jar");
            return;
        }
        if (name.startsWith("folder:")) {
            out.println("data: your images in " + name.substring(7));
            if (dataDir != null) err.println("warning: --data " + dataDir + " is not used: folder: names the images itself");
            return;
        }
        DatasetInfo info = Catalog.get(name);
        DataOptions o = options();
        List<String> notes = new ArrayList<>();
        if (dataDir != null && Sources.findIn(info, new Sources.Root(dataDir, "--data"), notes) == null) {
            err.println("warning: --data " + dataDir + " has no " + info.name() + " (" + notes.getFirst().replaceFirst("^--data ", "")
                    + "); looking elsewhere");
        }
        Sources.Found found = Datasets.locate(info, o);
        Path dir = found.files().values().iterator().next().getParent();
        out.println("data: " + info.name() + " from " + dir + " (" + found.root().origin() + ")");
    }
}
