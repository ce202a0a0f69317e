package glassbox.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's Java example, {@code examples/Predict.java}, runs as the README says (source-file mode). */
class ExamplesTest {
    @TempDir
    Path dir;

    @Test
    void predictRunsOnATrainedModel() throws Exception {
        Path model = dir.resolve("lenet5.gbx");
        CliRun t = CliRun.of("train", "--model", "lenet5", "--dataset", "sample", "--limit", "128", "--epochs", "1",
                "--threads", "1", "--out", model.toString());
        assertEquals(0, t.code(), t.all());
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("examples/Predict.java"))) root = root.getParent();
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                root.resolve("examples/Predict.java").toString(), model.toString(), "3"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.matches("(?s).*test image 3: predicted \\d, true \\d\nconv1 output shape \\[1, 6, 28, 28\\]\n.*"), out);
    }
}
