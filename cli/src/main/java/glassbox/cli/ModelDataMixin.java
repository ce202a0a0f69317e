package glassbox.cli;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
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
    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist, fashion, cifar10 or sample. Default: the one the model was trained on.")
    String dataset;
    @Option(names = "--split", defaultValue = "test", description = "test or train. Default: test.")
    Split split;
    @Mixin
    DataOptionsMixin dataOptions;

    /** The model file named by {@code --model}. */
    ModelFile file() throws IOException {
        if (!Files.isRegularFile(model)) throw new IllegalArgumentException("no model file " + model);
        return ModelIO.load(model);
    }

    /** {@code --dataset}, or the data set {@code f} was trained on. */
    String datasetName(ModelFile f) {
        String name = dataset != null ? dataset : f.meta().get("dataset");
        if (name == null) throw new IllegalArgumentException(model + " does not say which data set it was trained on; pass --dataset");
        return name;
    }

    /** The {@code --split} of {@link #datasetName}, checked against the model's input shape [C, H, W]. */
    Dataset data(ModelFile f) throws IOException {
        String name = datasetName(f);
        Dataset d = Datasets.load(name, split, dataOptions.options());
        int[] in = f.inputShape();
        if (d.channels() != in[0] || d.height() != in[1] || d.width() != in[2]) {
            throw new IllegalArgumentException(name + " images are " + d.channels() + "x" + d.height() + "x" + d.width()
                    + " but " + model + " expects " + in[0] + "x" + in[1] + "x" + in[2]);
        }
        return d;
    }
}
