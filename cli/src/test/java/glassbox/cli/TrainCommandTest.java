package glassbox.cli;

import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Train and eval on the embedded MNIST sample (offline, a few seconds). */
class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsOnTheSampleAndEvaluates() throws Exception {
        Path model = dir.resolve("linear.gbx");
        CliRun r = CliRun.of("train", "--model", "linear", "--dataset", "sample", "--epochs", "2", "--out", model.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch 2/2  train loss "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("test accuracy: \\d+\\.\\d\\d%")), r.out());
        ModelFile f = ModelIO.load(model);
        assertEquals("sample", f.meta().get("dataset"));
        assertTrue(Double.parseDouble(f.meta().get("test_accuracy")) > 0.8, f.meta().toString());
        assertTrue(Files.exists(Path.of(model + ".ckpt")));

        CliRun e = CliRun.of("eval", "--model", model.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("test accuracy: "), e.out());
        assertTrue(e.out().lines().filter(l -> l.matches("\\s+\\d\\s+\\d+\\.\\d\\d%\\s+50")).count() == 10, e.out());

        // the shared options (ModelDataMixin, DataOptionsMixin, ThreadsMixin) reach eval: same numbers offline, 1 thread
        CliRun e1 = CliRun.of("eval", "--model", model.toString(), "--split", "test", "--offline", "--threads", "1");
        assertEquals(0, e1.code(), e1.err());
        assertEquals(e.out().lines().filter(l -> l.startsWith("test accuracy")).toList(),
                e1.out().lines().filter(l -> l.startsWith("test accuracy")).toList());
    }

    @Test
    void theSameTrainingTwiceWritesTheSameBytes() throws Exception {
        byte[][] files = new byte[2][];
        for (int i = 0; i < 2; i++) {
            Path model = dir.resolve("same" + i + ".gbx");
            CliRun r = CliRun.of("train", "--model", "linear", "--dataset", "sample", "--epochs", "1", "--out", model.toString(), "--threads", "2");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("trained in "), r.out()); // the wall clock is in the run's output ...
            files[i] = Files.readAllBytes(model);
            assertTrue(!ModelIO.load(model).meta().containsKey("train.seconds")); // ... not in the file
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(files[0], files[1]);
    }

    @Test
    void resumeFromTheLastCheckpointWritesTheSameModel() throws Exception {
        Path model = dir.resolve("mlp.gbx");
        String[] args = {"train", "--model", "mlp", "--hidden", "32", "--dataset", "sample", "--limit", "500",
                "--epochs", "2", "--threads", "2", "--seed", "3", "--out", model.toString()};
        assertEquals(0, CliRun.of(args).code());
        ModelFile first = ModelIO.load(model);
        // Resuming a finished run trains nothing and rewrites the same weights (the engine tests cover a
        // resume after a kill between epochs; README shows it with a real kill of the process).
        CliRun again = CliRun.of(concat(args, new String[]{"--resume"}));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("resuming after epoch 2 (step 16)"), again.out());
        ModelFile second = ModelIO.load(model);
        for (String k : first.tensors().keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(first.tensors().get(k).data(), second.tensors().get(k).data(), 0f, k);
        }
        CliRun other = CliRun.of(concat(args, new String[]{"--resume", "--lr", "0.1"}));
        assertEquals(2, other.code());
        assertTrue(other.err().contains("checkpoint was made with lr = 0.05 but this run has 0.1"), other.err());
    }

    @Test
    void zooBuildOptionsReachTheModelFile() throws Exception {
        Path model = dir.resolve("lenet7.gbx");
        CliRun r = CliRun.of("train", "--model", "lenet5", "--kernel1", "7", "--dataset", "sample", "--limit", "64", "--epochs", "1",
                "--out", model.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        ModelFile f = ModelIO.load(model);
        assertEquals("7", f.options().get("kernel1"));
        assertEquals(7, f.tensors().get("conv1.weight").shape()[3]);
        CliRun even = CliRun.of("train", "--model", "lenet5", "--kernel1", "4", "--dataset", "sample", "--out", model.toString());
        assertEquals(2, even.code());
        assertTrue(even.err().startsWith("glassbox train: --kernel1 must be odd, 1 to 15, got 4"), even.err());
        CliRun linear = CliRun.of("train", "--model", "linear", "--kernel1", "5", "--dataset", "sample", "--limit", "64", "--epochs", "1",
                "--out", dir.resolve("l.gbx").toString());
        assertEquals(2, linear.code());
        assertTrue(linear.err().contains("linear takes no option 'kernel1'"), linear.err());
    }

    @Test
    void badModelFileIsAClearError() throws Exception {
        Path bad = dir.resolve("bad.gbx");
        Files.writeString(bad, "hello");
        CliRun r = CliRun.of("eval", "--model", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("glassbox eval: " + bad + ": "), r.err());
        CliRun missing = CliRun.of("eval", "--model", dir.resolve("none.gbx").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("glassbox eval: no model file "), missing.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
