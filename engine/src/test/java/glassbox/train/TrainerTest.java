package glassbox.train;

import glassbox.kernels.Parallel;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.model.Zoo;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    static final ImageData TRAIN = Synthetic.make(192, 4, 3, 8, 8, 1), TEST = Synthetic.make(96, 4, 3, 8, 8, 2);
    /** resnet20 is slow with the scalar kernels: a smaller set for it (still 3 steps per epoch, BN in play). */
    static final ImageData TRAIN_SMALL = Synthetic.make(48, 4, 3, 8, 8, 3), TEST_SMALL = Synthetic.make(16, 4, 3, 8, 8, 4);
    static final Normalization NORM = Normalization.of(TRAIN);
    private static int savedThreads;

    @TempDir
    Path dir;

    @BeforeAll
    static void twoThreads() {
        savedThreads = Parallel.threads();
        Parallel.setThreads(2); // determinism is per thread count: exercise the parallel split
    }

    @AfterAll
    static void restore() {
        Parallel.setThreads(savedThreads);
    }

    private static Map<String, String> opts(String arch) {
        Map<String, String> o = new java.util.LinkedHashMap<>(Zoo.options(new int[]{3, 8, 8}, 4));
        if (arch.equals("mlp")) {
            o.put("hidden", "32");
            o.put("dropout", "0.25");
        }
        return o;
    }

    private static Trainer trainer(String arch, TrainConfig cfg) {
        Model m = Zoo.build(arch, opts(arch), cfg.seed());
        boolean small = arch.equals("resnet20");
        return new Trainer(m, opts(arch), small ? TRAIN_SMALL : TRAIN, small ? TEST_SMALL : TEST, NORM, cfg);
    }

    /** Nesterov SGD, weight decay, cosine with warm-up, clipping and augmentation: every random part on. */
    private static TrainConfig busy(int epochs, Path ckpt) {
        return TrainConfig.defaults(epochs, 32, 0.05, 11).withOptimizer("nesterov", 0.9, 5e-4)
                .withSchedule("cosine", 0.5).withClip(5).withAugment(true).withCheckpoint(ckpt);
    }

    private static void assertSameBits(ModelFile a, ModelFile b) {
        for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
            assertArrayEquals(e.getValue().data(), b.tensors().get(e.getKey()).data(), 0f, e.getKey());
        }
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
    }

    @Test
    void learnsTheSyntheticTask() {
        Evaluation ev = trainer("linear", TrainConfig.defaults(3, 16, 0.05, 1)).fit(TrainListener.NONE);
        assertTrue(ev.accuracy() > 0.95, "linear reached only " + ev.accuracy());
        Evaluation mlp = trainer("mlp", TrainConfig.defaults(3, 16, 0.05, 1).withOptimizer("adamw", 0, 0.01).withLr(3e-3))
                .fit(TrainListener.NONE);
        assertTrue(mlp.accuracy() > 0.95, "mlp with AdamW reached only " + mlp.accuracy());
    }

    @Test
    void sameSeedGivesSameBits() {
        for (String arch : new String[]{"mlp", "resnet20"}) {
            Trainer a = trainer(arch, busy(1, null)), b = trainer(arch, busy(1, null));
            a.fit(TrainListener.NONE);
            b.fit(TrainListener.NONE);
            assertSameBits(a.snapshot(Map.of()), b.snapshot(Map.of()));
        }
    }

    @Test
    void sameTrainingWritesByteIdenticalFiles() throws IOException {
        Map<String, String> reversed = new java.util.LinkedHashMap<>();
        List<String> keys = new java.util.ArrayList<>(opts("mlp").keySet());
        java.util.Collections.reverse(keys);
        for (String k : keys) reversed.put(k, opts("mlp").get(k)); // the same options in another order
        Path[] files = {dir.resolve("a.gbx"), dir.resolve("b.gbx")};
        for (int i = 0; i < 2; i++) {
            TrainConfig cfg = busy(1, null);
            Map<String, String> o = i == 0 ? opts("mlp") : reversed;
            Trainer t = new Trainer(Zoo.build("mlp", o, cfg.seed()), o, TRAIN, TEST, NORM, cfg);
            t.fit(TrainListener.NONE);
            ModelIO.save(t.snapshot(Map.of()), files[i]);
        }
        assertArrayEquals(java.nio.file.Files.readAllBytes(files[0]), java.nio.file.Files.readAllBytes(files[1]));
        assertEquals(List.of("classes", "dropout", "hidden", "input"), List.copyOf(ModelIO.load(files[0]).options().keySet()));
    }

    @Test
    void resumeAfterAKillBetweenEpochsEndsWithTheSameBits() throws IOException {
        for (String arch : new String[]{"mlp", "resnet20"}) {
            Trainer whole = trainer(arch, busy(2, dir.resolve(arch + "-whole.ckpt")));
            whole.fit(TrainListener.NONE);

            Path ckpt = dir.resolve(arch + "-killed.ckpt");
            class Killed extends RuntimeException {
            }
            Trainer first = trainer(arch, busy(2, ckpt));
            assertThrows(Killed.class, () -> first.fit(new TrainListener() {
                @Override
                public void onEpoch(Epoch e) {
                    throw new Killed(); // the process dies right after epoch 1's checkpoint
                }
            }));
            ModelFile saved = ModelIO.load(ckpt);
            assertEquals("1", saved.meta().get("checkpoint.epoch"));

            // A new process: fresh model from the zoo, then the checkpoint.
            Trainer second = trainer(arch, busy(2, ckpt));
            second.resume(saved);
            assertEquals(1, second.startEpoch());
            second.fit(TrainListener.NONE);
            assertSameBits(whole.snapshot(Map.of()), second.snapshot(Map.of()));
            assertSameBits(ModelIO.load(dir.resolve(arch + "-whole.ckpt")), ModelIO.load(ckpt)); // optimizer state too
        }
    }

    @Test
    void stopInTheMiddleOfAnEpochCheckpointsThatStepAndResumesToTheSameBits() throws IOException {
        Trainer whole = trainer("mlp", busy(2, dir.resolve("whole.ckpt")));
        whole.fit(TrainListener.NONE);

        Path ckpt = dir.resolve("stopped.ckpt");
        Trainer first = trainer("mlp", busy(2, ckpt));
        StoppedException stop = assertThrows(StoppedException.class, () -> first.fit(new TrainListener() {
            @Override
            public void onStep(Step s) {
                if (s.step() == 8) first.stop(); // 6 batches per epoch: step 8 is batch 2 of epoch 2
            }
        }));
        assertEquals(8, stop.step());
        ModelFile saved = ModelIO.load(ckpt);
        assertEquals("1", saved.meta().get("checkpoint.epoch"));
        assertEquals("8", saved.meta().get("checkpoint.step"));
        assertEquals("2", saved.meta().get("checkpoint.batch"));

        Trainer second = trainer("mlp", busy(2, ckpt));
        second.resume(saved);
        List<Long> steps = new java.util.ArrayList<>();
        second.fit(new TrainListener() {
            @Override
            public void onStep(Step s) {
                steps.add(s.step());
            }
        });
        assertEquals(List.of(9L, 10L, 11L, 12L), steps, "continues with the next batch");
        assertSameBits(whole.snapshot(Map.of()), second.snapshot(Map.of()));
        assertSameBits(ModelIO.load(dir.resolve("whole.ckpt")), ModelIO.load(ckpt));
    }

    @Test
    void resumeWithOtherSettingsIsRefused() throws IOException {
        Path ckpt = dir.resolve("a.ckpt");
        trainer("linear", TrainConfig.defaults(1, 16, 0.05, 1).withCheckpoint(ckpt)).fit(TrainListener.NONE);
        Trainer other = trainer("linear", TrainConfig.defaults(1, 32, 0.05, 1).withCheckpoint(ckpt));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.resume(ModelIO.load(ckpt)));
        assertTrue(e.getMessage().contains("batch = 16 but this run has 32"), e.getMessage());
    }

    @Test
    void hugeLearningRateStopsNamingStepAndLayer() {
        TrainConfig cfg = TrainConfig.defaults(2, 16, 1e30, 1).withSchedule("constant", 0).withCheckpoint(dir.resolve("x.ckpt"));
        DivergenceException e = assertThrows(DivergenceException.class, () -> trainer("mlp", cfg).fit(TrainListener.NONE));
        assertTrue(e.getMessage().startsWith("training diverged at step " + e.step() + " (epoch 1, batch "), e.getMessage());
        assertTrue(e.getMessage().contains("in layer " + e.where()), e.getMessage());
        assertTrue(e.where().matches("fc\\d|relu\\d|drop\\d|loss"), e.where());
        assertTrue(e.getMessage().contains("no checkpoint written yet"), e.getMessage());
    }

    @Test
    void overflowInEpochTwoNamesTheLayerAndKeepsEpochOneCheckpoint() throws IOException {
        Path ckpt = dir.resolve("div.ckpt");
        Trainer t = trainer("lenet5", TrainConfig.defaults(3, 32, 0.02, 1).withCheckpoint(ckpt));
        DivergenceException e = assertThrows(DivergenceException.class, () -> t.fit(new TrainListener() {
            @Override
            public void onEpoch(Epoch ep) {
                // Plant a weight so large that conv2's output overflows to infinity in the next step.
                if (ep.epoch() == 1) plant(t);
            }
        }));
        assertEquals("conv2", e.where(), e.getMessage());
        assertTrue(e.getMessage().contains("(epoch 2, batch 1 of 6)"), e.getMessage());
        assertTrue(e.getMessage().contains("last good checkpoint kept: " + ckpt + " (after epoch 1)"), e.getMessage());
        ModelFile kept = ModelIO.load(ckpt);
        assertEquals("1", kept.meta().get("checkpoint.epoch"));
        for (Tensor v : kept.tensors().values()) assertTrue(v.firstNonFinite() < 0);
    }

    private static void plant(Trainer t) {
        float[] w = t.optimizer().params().stream().filter(p -> p.name().equals("conv2.weight")).findFirst().orElseThrow().value().data();
        java.util.Arrays.fill(w, 3e38f);
    }
}
