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
 * epoch 1; {@code --resume} must then end with exactly the weights of an uninterrupted run.
 */
class KillResumeTest {
    @TempDir
    Path dir;

    private static final String[] ARGS = {"--model", "lenet5", "--dataset", "sample", "--limit", "256", "--epochs", "3",
            "--threads", "2", "--seed", "5"};

    private static String[] with(String... more) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(ARGS));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
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

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(with("--out", crashed.toString())));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
        ModelFile a = ModelIO.load(whole), b = ModelIO.load(crashed);
        for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
            assertArrayEquals(e.getValue().data(), b.tensors().get(e.getKey()).data(), 0f, e.getKey());
        }
    }
}
