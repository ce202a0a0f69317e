package glassbox.cli;

import glassbox.model.ModelIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's main command, shortened to 1 epoch and a quick report, offline on the embedded sample: it trains LeNet-5
 * with statistics and writes the report, whose every section is there and whose every file exists and decodes.
 */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsLenet5AndWritesTheReport() throws Exception {
        CliRun r = CliRun.of("demo", "--epochs", "1", "--quick", "--out", dir.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("== 2/2 Write the report"), r.out());
        Path index = dir.resolve("index.html");
        assertTrue(r.out().strip().endsWith("Open " + index.toAbsolutePath().normalize() + " to read the report."), r.out());

        // LeNet-5 learned something on the embedded sample, even in 1 epoch.
        double acc = Double.parseDouble(ModelIO.load(dir.resolve("lenet5-sample.gbx")).meta().get("test_accuracy"));
        assertTrue(acc > 0.5, "lenet5 test accuracy " + acc);

        String html = Files.readString(index);
        ReportCommandTest.checkPage(dir, html);
        for (String png : new String[]{"training/curves.png", "kernels/kernels-conv1.png", "top-patches/top-patches-conv2.png",
                "explanations/compare.png", "class-models/class-model.png", "robustness/attack-curves.png",
                "confusion/confusion-matrix.png", "embedding/tsne.png"}) {
            assertTrue(html.contains("src=\"" + png + "\""), png + " missing from the report");
        }
        assertTrue(ReportCommandTest.section(html, "templates").contains("Not shown"), "lenet5's first layer is a convolution");
    }

    @Test
    void impossibleEpochsIsAClearError() {
        CliRun r = CliRun.of("demo", "--epochs", "0", "--out", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("glassbox demo: Invalid value for option '--epochs': must be a whole number >= 1, got 0"), r.err());
    }
}
