package glassbox.cli;

import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real crash: {@code ./glassbox train} runs in a child JVM that is killed (SIGKILL) right after it reports
 * epoch 1; {@code --resume} must then end with exactly the weights of an uninterrupted run. And Ctrl-C or a
 * plain kill (SIGTERM) in the middle of an epoch: the child stops at a step with a checkpoint of that step,
 * and {@code --resume} again ends with the weights of an uninterrupted run.
 */
class KillResumeTest {
    @TempDir
    Path dir;

    private static final String[] ARGS = {"--model", "lenet5", "--dataset", "sample", "--limit", "256", "--epochs", "3",
            "--threads", "2", "--seed", "5"};

    private static String[] with(String... more) {
        return with(ARGS, more);
    }

    private static String[] with(String[] args, String... more) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(args));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** A child JVM running the CLI, its output merged. */
    private static Process child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static void assertSameWeights(Path expected, Path actual) throws Exception {
        ModelFile a = ModelIO.load(expected), b = ModelIO.load(actual);
        for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
            assertArrayEquals(e.getValue().data(), b.tensors().get(e.getKey()).data(), 0f, e.getKey());
        }
    }

    private static int runHere(String... args) {
        PrintStream old = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try {
            return Main.run(args);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void killedBetweenEpochsThenResumedGivesTheSameBits() throws Exception {
        Path whole = dir.resolve("whole.gbx"), crashed = dir.resolve("crashed.gbx");
        assertEquals(0, runHere(with("--out", whole.toString())));

        Process p = child(with("--out", crashed.toString()));
        boolean sawEpoch1 = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("epoch 1/3")) {
                    sawEpoch1 = true;
                    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                    break;
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(sawEpoch1, "the child printed its first epoch");
        String epochsDone = ModelIO.load(Path.of(crashed + ".ckpt")).meta().get("checkpoint.epoch");
        assertTrue(Integer.parseInt(epochsDone) < 3 || p.exitValue() == 0, "killed before the end (checkpoint epoch " + epochsDone + ")");

        assertEquals(0, runHere(with("--out", crashed.toString(), "--resume")));
        assertSameWeights(whole, crashed);
    }

    @Test
    void stoppedBySigtermMidEpochThenResumedGivesTheSameBits() throws Exception {
        // 32 steps an epoch; the child is asked for many epochs so that it is surely still training when the
        // signal lands, and resumed as a 3-epoch run (a constant learning rate does not depend on the length).
        String[] args = {"--model", "lenet5", "--dataset", "sample", "--schedule", "constant", "--lr", "0.02", "--stats", "off",
                "--threads", "2", "--seed", "7"};
        Path whole = dir.resolve("whole3.gbx"), stopped = dir.resolve("stopped.gbx");
        assertEquals(0, runHere(with(args, "--epochs", "3", "--out", whole.toString())));

        Process p = child(with(args, "--epochs", "100", "--out", stopped.toString()));
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            boolean signalled = false;
            for (String line; (line = r.readLine()) != null; ) {
                out.append(line).append('\n');
                if (!signalled && line.startsWith("  epoch 2/100")) { // a progress line inside epoch 2
                    signalled = true;
                    p.toHandle().destroy(); // SIGTERM, as kill sends (Process.destroy would also close our end of its output)
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.toString().contains("stopped at step "), "the child says where it stopped:\n" + out);
        ModelFile ckpt = ModelIO.load(Path.of(stopped + ".ckpt"));
        assertEquals("1", ckpt.meta().get("checkpoint.epoch"), "stopped inside epoch 2:\n" + out);
        assertTrue(Integer.parseInt(ckpt.meta().getOrDefault("checkpoint.batch", "0")) > 0, "a mid-epoch checkpoint: " + ckpt.meta());

        assertEquals(0, runHere(with(args, "--epochs", "3", "--out", stopped.toString(), "--resume")));
        assertSameWeights(whole, stopped);
    }
}
