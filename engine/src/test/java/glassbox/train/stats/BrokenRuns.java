package glassbox.train.stats;

import glassbox.layers.Flatten;
import glassbox.layers.Layer;
import glassbox.layers.Linear;
import glassbox.layers.Sigmoid;
import glassbox.model.Init;
import glassbox.model.Model;
import glassbox.model.Zoo;
import glassbox.train.ImageData;
import glassbox.train.Normalization;
import glassbox.train.Synthetic;
import glassbox.train.TrainConfig;
import glassbox.train.TrainListener;
import glassbox.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deliberately broken training runs (and one healthy one), built with the Java API on small synthetic
 * 28×28 data, each recorded into a run file: the evidence the diagnosis tests and the documentation use.
 */
final class BrokenRuns {
    static final ImageData TRAIN = Synthetic.make(320, 10, 1, 28, 28, 1), TEST = Synthetic.make(32, 10, 1, 28, 28, 2);
    static final Normalization NORM = Normalization.of(TRAIN);

    private BrokenRuns() {
    }

    static Map<String, String> opts() {
        return Zoo.options(new int[]{1, 28, 28}, 10);
    }

    /** Trains {@code m} with {@code cfg}, recording every {@code every} steps into {@code file}; returns the run read back. */
    static Run train(Model m, TrainConfig cfg, int every, Path file) {
        StatsRecorder rec = new StatsRecorder(file, every, null);
        Trainer t = new Trainer(m, opts(), TRAIN, TEST, NORM, cfg).meta("dataset", "synthetic").record(rec);
        try {
            t.fit(TrainListener.NONE);
        } catch (glassbox.train.DivergenceException e) {
            // the run file records it
        }
        return RunReader.read(file);
    }

    static Model lenet5() {
        return Zoo.build("lenet5", opts(), 1);
    }

    /** A deep sigmoid MLP: 8 hidden layers of 32 sigmoid units, Xavier initialization. */
    static Model deepSigmoid() {
        List<Layer> ls = new ArrayList<>(List.of(new Flatten("flatten")));
        int in = 28 * 28;
        for (int i = 1; i <= 8; i++) {
            Linear fc = new Linear("fc" + i, in, 32);
            Init.xavier(fc.weight(), 1);
            ls.add(fc);
            ls.add(new Sigmoid("sig" + i));
            in = 32;
        }
        Linear out = new Linear("fc9", in, 10);
        Init.xavier(out.weight(), 1);
        ls.add(out);
        return new Model("deep-sigmoid", new int[]{1, 28, 28}, ls);
    }

    /** One hidden layer of 32 sigmoid units whose weights are 20× Xavier: most inputs to the sigmoid are far from 0. */
    static Model saturatedSigmoid() {
        Linear fc1 = new Linear("fc1", 28 * 28, 32), fc2 = new Linear("fc2", 32, 10);
        Init.xavier(fc1.weight(), 1);
        Init.xavier(fc2.weight(), 1);
        for (int i = 0; i < fc1.weight().value().size(); i++) fc1.weight().value().data()[i] *= 20;
        return new Model("saturated-sigmoid", new int[]{1, 28, 28},
                List.of(new Flatten("flatten"), fc1, new Sigmoid("sig1"), fc2));
    }

    /** An mlp with hidden layers of 64 and 32 ReLU units, He initialization. */
    static Model mlp() {
        Map<String, String> o = new java.util.LinkedHashMap<>(opts());
        o.put("hidden", "64,32");
        return Zoo.build("mlp", o, 1);
    }

    /** An mlp (hidden 64, 32) whose first bias is -10: the ReLU after it (relu1) outputs zero for every image. */
    static Model deadRelu() {
        Model m = mlp();
        m.param("fc1.bias").value().fill(-10f);
        return m;
    }
}
