package glassbox.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train's statistics options and {@code viz training}, on the embedded MNIST sample (offline, seconds). */
class TrainingStatsCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            return new Result(Main.run(args), out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void trainWritesARunFileAndVizTrainingDrawsIt() throws Exception {
        Path model = dir.resolve("linear.gbx");
        Result t = run("train", "--model", "linear", "--dataset", "sample", "--limit", "320", "--epochs", "1",
                "--stats-every", "2", "--threads", "2", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        Path runFile = dir.resolve("linear.run.jsonl");
        assertTrue(Files.isRegularFile(runFile));
        assertTrue(t.out().contains("diagnoses: none (statistics every 2 steps in " + runFile + ")"), t.out());

        Path out = dir.resolve("charts");
        Result v = run("viz", "training", "--run", runFile.toString(), "--out", out.toString());
        assertEquals(0, v.code(), v.err());
        for (String f : new String[]{"curves.png", "grad-norms.png", "ratios.png", "dead.png", "histograms-fc.png",
                "training.json", "steps.csv", "epochs.csv"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing; " + v.out());
            assertTrue(v.out().contains("wrote " + out.resolve(f)), v.out());
        }

        Result bad = run("viz", "training", "--run", model.toString(), "--out", out.toString());
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().startsWith("glassbox viz training: " + model + " is not a Glassbox run file"), bad.err());
    }

    @Test
    void statsOffWritesNoRunFileAndTheIntervalIsChecked() {
        Path model = dir.resolve("off.gbx");
        Result t = run("train", "--model", "linear", "--dataset", "sample", "--limit", "128", "--epochs", "1",
                "--stats", "off", "--threads", "2", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        assertFalse(Files.exists(dir.resolve("off.run.jsonl")));
        assertFalse(t.out().contains("diagnoses"), t.out());

        Result zero = run("train", "--model", "linear", "--dataset", "sample", "--limit", "128", "--epochs", "1",
                "--stats-every", "0", "--out", dir.resolve("z.gbx").toString());
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("'--stats-every': must be a whole number from 1 to 1000000, got 0"), zero.err());
    }
}
