package glassbox.cli;

import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.model.Zoo;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** ./glassbox viz on untrained zoo models and the embedded MNIST sample (offline, a few seconds). */
class VizCommandTest {
    @TempDir
    static Path dir;
    static Path linear, lenet;

    static Path save(String arch) throws Exception {
        Map<String, String> opts = Zoo.options(new int[]{1, 28, 28}, 10);
        Model m = Zoo.build(arch, opts, 3);
        Map<String, Tensor> t = new LinkedHashMap<>(m.state());
        ModelFile f = new ModelFile(arch, opts, m.inputShape(), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                new float[]{0.13f}, new float[]{0.31f}, Map.of("dataset", "sample"), t);
        Path p = dir.resolve(arch + ".gbx");
        ModelIO.save(f, p);
        return p;
    }

    @BeforeAll
    static void models() throws Exception {
        linear = save("linear");
        lenet = save("lenet5");
    }

    @Test
    void templatesWritePngsAndJson() {
        Path out = dir.resolve("t");
        assertEquals(0, CliRun.of("viz", "templates", "--model", linear.toString(), "--out", out.toString()).code());
        assertTrue(Files.exists(out.resolve("templates-global.png")));
        assertTrue(Files.exists(out.resolve("templates-per-template.png")));
        assertTrue(Files.exists(out.resolve("templates.json")));
    }

    @Test
    void kernelsActivationsTopPatchesAndStatsOnLenet() {
        Path out = dir.resolve("l");
        assertEquals(0, CliRun.of("viz", "kernels", "--model", lenet.toString(), "--gradients", "16", "--out", out.toString()).code());
        assertTrue(Files.exists(out.resolve("kernels-conv1.png")));
        assertTrue(Files.exists(out.resolve("kernels-conv2-grad.png")));
        assertEquals(0, CliRun.of("viz", "activations", "--model", lenet.toString(), "--image", "3", "--out", out.toString()).code());
        assertTrue(Files.exists(out.resolve("act-01-conv1.png")));
        assertTrue(Files.exists(out.resolve("activations.json")));
        assertEquals(0, CliRun.of("viz", "top-patches", "--model", lenet.toString(), "--layer", "pool1", "-k", "3", "--images", "40", "--out", out.toString()).code());
        assertTrue(Files.exists(out.resolve("top-patches-pool1.png")));
        assertEquals(0, CliRun.of("viz", "stats", "--model", lenet.toString(), "--images", "32", "--out", out.toString()).code());
        assertTrue(Files.exists(out.resolve("activation-stats.json")));
        assertEquals(0, CliRun.of("viz", "compare-kernels", "--model", lenet.toString(), lenet.toString(), "--out", out.toString()).code());
        assertTrue(Files.exists(out.resolve("compare-kernels.png")));
    }

    @Test
    void errorsNameTheProblem() {
        CliRun r = CliRun.of("viz", "top-patches", "--model", lenet.toString(), "--layer", "conv9", "--out", dir.resolve("e").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("glassbox viz top-patches: "), r.err());
        assertTrue(r.err().contains("conv1"), "should list valid layers: " + r.err());
        r = CliRun.of("viz", "templates", "--model", lenet.toString(), "--out", dir.resolve("e").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("viz kernels"), r.err());
        r = CliRun.of("viz", "kernels", "--model", dir.resolve("missing.gbx").toString());
        assertTrue(r.err().contains("no model file"), r.err());
    }

    @Test
    void choicesAreEnumsCaseInsensitiveAndTheErrorListsThem() throws Exception {
        Path out = dir.resolve("s");
        assertEquals(0, CliRun.of("viz", "kernels", "--model", lenet.toString(), "--layer", "conv1", "--scaling", "GLOBAL", "--out", out.toString()).code());
        assertTrue(Files.exists(out.resolve("kernels-conv1.png")));
        CliRun r = CliRun.of("viz", "kernels", "--model", lenet.toString(), "--scaling", "median", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("expected one of global, per-tile but was 'median'"), r.err());
        TrainCommand t = new TrainCommand();
        Choices.register(new picocli.CommandLine(t)).parseArgs("--model", "lenet5", "--optimizer", "AdamW", "--schedule", "Cosine");
        assertEquals(Choices.Optimizer.ADAMW, t.optimizer);
        assertEquals("cosine", t.schedule.toString());
        assertEquals(0, CliRun.of("viz", "stats", "--model", lenet.toString(), "--images", "8", "--split", "Train", "--out", out.toString()).code());
        assertTrue(Files.readString(out.resolve("activation-stats.json")).contains("/train"));
    }

    @Test
    void anImageFileIsFittedAndTheChangesAreSaid() throws Exception {
        glassbox.viz.render.Raster pic = new glassbox.viz.render.Raster(60, 60, glassbox.viz.render.Raster.WHITE);
        pic.fillRect(25, 10, 10, 40, glassbox.viz.render.Raster.BLACK); // a black "1" on white
        Path png = dir.resolve("one.png");
        glassbox.viz.render.Png.write(pic, png);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        int code;
        try {
            code = Main.run("viz", "activations", "--model", lenet.toString(), "--image", png.toString(), "--layer", "conv1",
                    "--out", dir.resolve("f").toString());
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code, buf.toString());
        assertTrue(buf.toString().contains("resized 60x60 to 28x28"), buf.toString());
        assertTrue(buf.toString().contains("inverted"), buf.toString());
        assertTrue(Files.readString(dir.resolve("f/activations.json")).contains("inverted"));
    }
}
