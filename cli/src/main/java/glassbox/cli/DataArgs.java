package glassbox.cli;

import glassbox.data.DataOptions;
import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.Split;
import glassbox.train.ImageData;

import java.io.IOException;
import java.nio.file.Path;

/** Loads a data set split for the train and eval commands and hands it to the engine as {@link ImageData}. */
final class DataArgs {
    private DataArgs() {
    }

    static Dataset load(String name, Split split, Path dataDir) throws IOException {
        DataOptions o = DataOptions.defaults();
        if (dataDir != null) o = o.withDataDir(dataDir);
        return Datasets.load(name, split, o);
    }

    /** Same arrays, engine-side record (the engine module cannot see glassbox.data). */
    static ImageData images(Dataset d) {
        return new ImageData(d.channels(), d.height(), d.width(), d.pixels(), d.labels(), d.classNames());
    }
}
