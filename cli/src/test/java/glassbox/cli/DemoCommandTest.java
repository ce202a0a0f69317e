package glassbox.cli;

import glassbox.model.ModelIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main command, shortened to 2 epochs: it trains, renders, and its page shows what it wrote. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsBothModelsAndIndexesEveryPicture() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        int code;
        try {
            code = Main.run("demo", "--epochs", "2", "--out", dir.toString(), "--threads", "2");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString();
        assertEquals(0, code, out);
        assertTrue(out.contains("== 7/7"), out);

        // Both models learned something on the embedded sample, even in 2 epochs.
        for (String m : List.of("linear", "lenet5")) {
            double acc = Double.parseDouble(ModelIO.load(dir.resolve(m + "-sample.gbx")).meta().get("test_accuracy"));
            assertTrue(acc > 0.75, m + " test accuracy " + acc);
        }

        // Every image the page links exists, and every rendered PNG is on the page.
        String html = Files.readString(dir.resolve("index.html"));
        Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        int linked = 0;
        while (img.find()) {
            assertTrue(Files.size(dir.resolve(img.group(1))) > 1000, img.group(1));
            linked++;
        }
        long rendered;
        try (var files = Files.walk(dir)) {
            rendered = files.filter(p -> p.toString().endsWith(".png")).count();
        }
        assertEquals(rendered, linked);
        for (String folder : List.of("templates", "kernels", "activations", "top-patches", "stats")) {
            assertTrue(html.contains("src=\"" + folder + "/"), folder + " missing from the page");
        }
    }

    @Test
    void impossibleEpochsIsAClearError() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            assertEquals(2, Main.run("demo", "--epochs", "0", "--out", dir.toString()));
        } finally {
            System.setErr(old);
        }
        assertTrue(err.toString().startsWith("glassbox demo: Invalid value for option '--epochs': must be a whole number >= 1, got 0"), err.toString());
    }
}
