package glassbox.cli;

import glassbox.data.DataOptions;
import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.Split;

import java.io.IOException;
import java.nio.file.Path;

/** Loads a data set split for the train and eval commands (the engine sees it through {@link Dataset#asImageData()}). */
final class DataArgs {
    private DataArgs() {
    }

    static Dataset load(String name, Split split, Path dataDir) throws IOException {
        DataOptions o = DataOptions.defaults();
        if (dataDir != null) o = o.withDataDir(dataDir);
        return Datasets.load(name, split, o);
    }
}
