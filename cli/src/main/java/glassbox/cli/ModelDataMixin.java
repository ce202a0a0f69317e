package glassbox.cli;

import glassbox.data.Dataset;
import glassbox.data.Split;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The options of a command that runs a trained model on images of a data set (eval and every viz command):
 * {@code --model FILE}, {@code --dataset} (default: the one the model was trained on, from its metadata),
 * {@code --split} and the data folder options. Checks that the images have the shape the model expects.
 */
public class ModelDataMixin {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file written by ./glassbox train.")
    Path model;
    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10 or sample (any case). Default: the one the model was trained on.")
    String dataset;
    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT", description = "test or train. Default: test.")
    Split split;
    @Mixin
    DataOptionsMixin dataOptions;

    /** Refuses --dataset, --split, --data and --offline for a command that reads no images; {@code why} says so. */
    void refuseDataOptions(String why) {
        String given = dataset != null ? "--dataset" : split != Split.TEST ? "--split"
                : dataOptions.dataDir != null ? "--data" : dataOptions.offline ? "--offline" : null;
        if (given != null) throw new IllegalArgumentException(given + " does not apply: " + why);
    }

    /** The model file named by {@code --model}. */
    ModelFile file() throws IOException {
        if (!Files.isRegularFile(model)) throw new IllegalArgumentException("no model file " + model);
        return ModelIO.load(model);
    }

    /** {@code --dataset}, or the data set {@code f} was trained on. */
    String datasetName(ModelFile f) {
        String name = dataset != null ? dataset : f.meta().get("dataset");
        if (name == null) throw new IllegalArgumentException(model + " does not say which data set it was trained on; pass --dataset");
        return name.startsWith("folder:") ? name : name.toLowerCase(java.util.Locale.ROOT);
    }

    /** The {@code --split} of {@link #datasetName}, checked against the model's input shape [C, H, W]. */
    Dataset data(ModelFile f) throws IOException {
        String name = datasetName(f);
        Dataset d = dataOptions.load(name, split);
        int[] in = f.inputShape();
        if (d.channels() != in[0] || d.height() != in[1] || d.width() != in[2]) {
            throw new IllegalArgumentException(name + " images are " + d.channels() + "x" + d.height() + "x" + d.width()
                    + " but " + model + " expects " + in[0] + "x" + in[1] + "x" + in[2]);
        }
        return d;
    }
}
