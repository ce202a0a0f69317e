package glassbox.train.stats;

import glassbox.model.Model;
import glassbox.model.Zoo;
import glassbox.tensor.Param;
import glassbox.train.ImageData;
import glassbox.train.Normalization;
import glassbox.train.Synthetic;
import glassbox.train.TrainConfig;
import glassbox.train.TrainListener;
import glassbox.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The recorded update is the optimizer's actual step: compared with the weights of an identical run without a
 * recorder, copied after every step, for SGD, SGD with momentum and Adam; and recording changes nothing.
 */
class UpdateRatioTest {
    static final ImageData TRAIN = Synthetic.make(48, 4, 3, 8, 8, 1), TEST = Synthetic.make(16, 4, 3, 8, 8, 2);
    static final Normalization NORM = Normalization.of(TRAIN);

    @TempDir
    Path dir;

    private static Map<String, String> opts() {
        Map<String, String> o = new java.util.LinkedHashMap<>(Zoo.options(new int[]{3, 8, 8}, 4));
        o.put("hidden", "16");
        return o;
    }

    private static TrainConfig config(String optimizer) {
        TrainConfig c = TrainConfig.defaults(1, 16, optimizer.equals("adam") ? 0.01 : 0.1, 3).withSchedule("constant", 0);
        return switch (optimizer) {
            case "sgd" -> c.withOptimizer("sgd", 0, 0);
            case "momentum" -> c.withOptimizer("sgd", 0.9, 5e-4);
            default -> c.withOptimizer("adam", 0, 0);
        };
    }

    /** Every parameter's values after each step of a run without a recorder (index 0: before training). */
    private static List<float[][]> weightsPerStep(TrainConfig cfg) {
        Model m = Zoo.build("mlp", opts(), cfg.seed());
        List<float[][]> out = new ArrayList<>();
        out.add(copy(m.params()));
        new Trainer(m, opts(), TRAIN, TEST, NORM, cfg).fit(new TrainListener() {
            @Override
            public void onStep(Step s) {
                out.add(copy(m.params()));
            }
        });
        return out;
    }

    private static float[][] copy(List<Param> ps) {
        float[][] c = new float[ps.size()][];
        for (int i = 0; i < c.length; i++) c[i] = ps.get(i).value().data().clone();
        return c;
    }

    private static double norm(float[] a) {
        double s = 0;
        for (float v : a) s += (double) v * v;
        return Math.sqrt(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "adam"})
    void ratioIsTheActualStep(String optimizer) {
        TrainConfig cfg = config(optimizer);
        List<float[][]> w = weightsPerStep(cfg);
        Model m = Zoo.build("mlp", opts(), cfg.seed());
        StatsRecorder rec = new StatsRecorder(dir.resolve("run.jsonl"), 1, null);
        new Trainer(m, opts(), TRAIN, TEST, NORM, cfg).record(rec).fit(TrainListener.NONE);
        // Recording changes nothing: same final weights, bit for bit.
        float[][] end = copy(m.params());
        for (int i = 0; i < end.length; i++) assertArrayEquals(w.getLast()[i], end[i], 0f, m.params().get(i).name());

        Run run = RunReader.read(dir.resolve("run.jsonl"));
        assertEquals(3, run.stats().size()); // 48 images, batch 16
        for (RunRecord.Stats s : run.stats()) {
            float[][] before = w.get((int) s.step() - 1), after = w.get((int) s.step());
            for (int i = 0; i < before.length; i++) {
                String name = run.header().params().get(i).name();
                float[] d = new float[before[i].length];
                for (int j = 0; j < d.length; j++) d[j] = after[i][j] - before[i][j];
                RunRecord.ParamStats p = s.params().get(i);
                assertEquals(norm(before[i]), p.value().norm(), 1e-5 * norm(before[i]), name);
                assertEquals(norm(d), p.update().norm(), 1e-4 * norm(d) + 1e-12, name + " update at step " + s.step());
                if (norm(before[i]) == 0) {
                    assertNull(p.ratio(), name); // a bias before its first step
                } else {
                    assertEquals(norm(d) / norm(before[i]), p.ratio(), 1e-4 * norm(d) / norm(before[i]) + 1e-12, name + " ratio");
                }
            }
        }
        // By the update rules themselves, at the first step: plain SGD moves by lr·g; Adam by lr per weight with a gradient.
        RunRecord.Stats first = run.stats().getFirst();
        for (RunRecord.ParamStats p : first.params()) {
            if (optimizer.equals("sgd")) assertEquals(cfg.lr() * p.grad().norm(), p.update().norm(), 1e-4 * p.update().norm());
            if (optimizer.equals("adam")) {
                double nonzero = p.grad().n() * (1 - p.grad().zeros());
                assertEquals(cfg.lr() * Math.sqrt(nonzero), p.update().norm(), 1e-3 * p.update().norm());
            }
        }
    }

    @Test
    void recordsOnPowersOfTwoThenEveryN() {
        StatsRecorder r = new StatsRecorder(dir.resolve("x"), 20, null);
        List<Long> steps = new ArrayList<>();
        for (long s = 1; s <= 65; s++) if (r.records(s)) steps.add(s);
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 20L, 40L, 60L), steps);
        assertEquals(50, StatsRecorder.defaultEvery(938));
        assertEquals(3, StatsRecorder.defaultEvery(32));
        assertEquals(1, StatsRecorder.defaultEvery(5));
    }
}
