package glassbox.shell;

import glassbox.data.Split;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.model.Zoo;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ./glassbox shell --load}: the startup script and a student's script run through JShell's own API
 * ({@code jdk.jshell}, executing in this JVM, so no launcher or built jar is needed) and print what the
 * engine computes directly.
 */
class ShellTest {
    @TempDir
    Path dir;

    @Test
    void startupAndScriptPrintExpectedValues() throws Exception {
        assumeTrue(ModuleLayer.boot().findModule("jdk.jshell").isPresent(), "this JDK has no jdk.jshell module (a JRE?)");
        Path file = dir.resolve("lenet5.gbx");
        Model built = Zoo.build("lenet5", Zoo.options(new int[]{1, 28, 28}, 10), 7);
        List<String> classes = new ArrayList<>();
        for (int k = 0; k < 10; k++) classes.add(Integer.toString(k));
        ModelIO.save(new ModelFile("lenet5", Zoo.options(new int[]{1, 28, 28}, 10), new int[]{1, 28, 28}, classes,
                new float[]{0.1307f}, new float[]{0.3081f}, Map.of("dataset", "sample"), built.state()), file);

        // What the script must print, computed without the shell.
        Model m = Shell.model(file.toString());
        int predicted = Shell.predict(m, Shell.image(3));
        String conv1 = Shell.stats(m.activation("conv1")).toString();
        int label = glassbox.data.EmbeddedSample.load(Split.TEST).label(3);

        String out = runShell("""
                var m = model("%s");
                var x = image(3);
                System.out.println("predicted " + predict(m, x) + " true " + label(3));
                show(m.activation("conv1"));
                png(m.activation("conv1"), "%s");
                """.formatted(file.toString().replace("\\", "/"), dir.resolve("conv1.png").toString().replace("\\", "/")));
        assertTrue(out.contains("predicted " + predicted + " true " + label), out);
        assertTrue(out.contains(conv1), out);
        assertTrue(out.contains("[1, 6, 28, 28]"), out);
        assertTrue(Files.size(dir.resolve("conv1.png")) > 1000);
    }

    @Test
    void shippedModelsByNameAndTensorsAsNpy() throws Exception {
        var shipped = glassbox.cli.Gallery.find().entry("lenet5-mnist");
        assumeTrue(shipped.isPresent(), "no shipped gallery found from " + Path.of("").toAbsolutePath());
        Model m = Shell.model("lenet5-mnist");
        assertEquals("lenet5", Shell.modelFile().arch());
        Path npy = Shell.npy(m.param("conv1.weight").value(), dir.resolve("conv1.npy").toString());
        byte[] b = Files.readAllBytes(npy);
        assertEquals("\u0093NUMPY", new String(b, 0, 6, StandardCharsets.ISO_8859_1));
        assertTrue(new String(b, 0, 128, StandardCharsets.ISO_8859_1).contains("(6, 1, 5, 5)"), "shape in the header");
        assertEquals(6 * 25 * 4, b.length - (b[8] & 0xFF | (b[9] & 0xFF) << 8) - 10, "float32 data after the header");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Shell.model("no-such-model"));
        assertTrue(e.getMessage().contains("no shipped model of that name"), e.getMessage());
    }

    @Test
    void bannerNamesTheHelpers() throws Exception {
        assumeTrue(ModuleLayer.boot().findModule("jdk.jshell").isPresent(), "this JDK has no jdk.jshell module (a JRE?)");
        System.clearProperty("glassbox.shell.quiet");
        String out = runShell("");
        for (String helper : List.of("model(", "image(i)", "show(t)", "png(t", "npy(t")) assertTrue(out.contains(helper), out);
    }

    /** Evaluates the launcher's startup script, then {@code script}, snippet by snippet; returns what they printed. */
    private String runShell(String script) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<String> errors = new ArrayList<>();
        PrintStream stdout = System.out;
        System.setOut(out); // the local engine runs snippets in this JVM: they print to System.out
        try (JShell js = JShell.builder().executionEngine("local").out(out).err(out)
                .compilerOptions("--add-modules", "jdk.incubator.vector").build()) {
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) js.addToClasspath(entry);
            String startup = Files.readString(Path.of("src/main/jshell/startup.jsh"));
            for (String source : List.of(startup, script)) {
                SourceCodeAnalysis a = js.sourceCodeAnalysis();
                String rest = source;
                while (!rest.isBlank()) {
                    SourceCodeAnalysis.CompletionInfo c = a.analyzeCompletion(rest);
                    for (SnippetEvent e : js.eval(c.source())) {
                        if (e.status() == Snippet.Status.REJECTED) errors.add("rejected: " + e.snippet().source()
                                + js.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList());
                        if (e.exception() != null) errors.add("threw: " + e.exception());
                    }
                    rest = c.remaining();
                }
            }
        } finally {
            System.setOut(stdout);
        }
        assertEquals(List.of(), errors);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
