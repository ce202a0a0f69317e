package glassbox.cli;

import glassbox.data.DataOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The data options every command that reads data shares: {@code --data DIR} and {@code --offline}.
 * Add to a command with {@code @Mixin DataOptionsMixin data;} and call {@link #options()}.
 */
public final class DataOptionsMixin {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder holding data sets (mnist/, fashion-mnist/, cifar-10-binary.tar.gz); searched first, "
                    + "downloads go there. Default: $GLASSBOX_DATA, then ~/.cache/glassbox.")
    Path dataDir;

    @Option(names = "--offline", description = "Never download; fail with a message saying which files to put where.")
    boolean offline;

    /** Options for {@link glassbox.data.Datasets}: the real environment plus these flags. */
    public DataOptions options() {
        return DataOptions.defaults().withDataDir(dataDir).withDownload(!offline);
    }
}
