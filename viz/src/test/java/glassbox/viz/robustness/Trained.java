package glassbox.viz.robustness;

import glassbox.data.Dataset;
import glassbox.data.EmbeddedSample;
import glassbox.data.Split;
import glassbox.model.Model;
import glassbox.model.Zoo;
import glassbox.train.Normalization;
import glassbox.train.TrainConfig;
import glassbox.train.TrainListener;
import glassbox.train.Trainer;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A small MLP trained for two epochs on the embedded MNIST sample (about a second), shared by the tests. */
final class Trained {
    static final Dataset TRAIN, TEST;
    static final Model MODEL;
    static final Normalization NORM;

    static {
        try {
            TRAIN = EmbeddedSample.load(Split.TRAIN);
            TEST = EmbeddedSample.load(Split.TEST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var opts = Zoo.options(new int[]{1, 28, 28}, 10);
        opts.put("hidden", "64");
        MODEL = Zoo.build("mlp", opts, 1);
        NORM = Normalization.of(TRAIN.asImageData());
        new Trainer(MODEL, opts, TRAIN.asImageData(), TEST.asImageData(), NORM, TrainConfig.defaults(3, 32, 0.05, 1))
                .fit(new TrainListener() { });
    }

    private Trained() {
    }
}
