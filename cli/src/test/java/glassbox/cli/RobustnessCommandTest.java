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

/** ./glassbox robustness, confusion and embed on an untrained lenet5 and the embedded MNIST sample: files and one-line errors. */
class RobustnessCommandTest {
    @TempDir
    static Path dir;
    static Path lenet, cifarNet;

    static Path save(String arch, int[] input, String name) throws Exception {
        Map<String, String> opts = Zoo.options(input, 10);
        Model m = Zoo.build(arch, opts, 3);
        Map<String, Tensor> t = new LinkedHashMap<>(m.state());
        ModelFile f = new ModelFile(arch, opts, m.inputShape(), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                new float[input[0]], ones(input[0]), Map.of("dataset", "sample"), t);
        Path p = dir.resolve(name);
        ModelIO.save(f, p);
        return p;
    }

    static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    @BeforeAll
    static void models() throws Exception {
        lenet = save("lenet5", new int[]{1, 28, 28}, "lenet5.gbx");
        cifarNet = save("lenet5", new int[]{3, 32, 32}, "lenet5-cifar.gbx");
    }

    /** Runs the CLI: exit code, stdout, stderr. */
    static String[] run(String... args) {
        PrintStream err = System.err, out = System.out;
        ByteArrayOutputStream e = new ByteArrayOutputStream(), o = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e));
            System.setOut(new PrintStream(o));
            int code = Main.run(args);
            return new String[]{Integer.toString(code), o.toString(), e.toString()};
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
    }

    @Test
    void robustnessWritesCurvesGalleriesAndJson() throws Exception {
        Path out = dir.resolve("rob");
        String[] r = run("robustness", "--model", lenet.toString(), "--limit", "20", "--epsilon", "0,0.1", "--steps", "2",
                "--corruption", "rotate,noise", "--attack", "PGD", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        for (String f : List.of("robustness-attack-curves.png", "robustness-attack-classes-lenet5.png", "robustness-corruption-curves.png",
                "robustness-corruption-examples.png", "robustness-corruption-classes-rotate.png", "robustness.json")) {
            assertTrue(Files.size(out.resolve(f)) > 1000, f);
        }
        assertTrue(r[1].contains("wrote " + out.resolve("robustness.json")));
        r = run("robustness", "--model", lenet.toString(), "--fool", "--image", "3", "--class", "5", "--steps", "5", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.exists(out.resolve("fool-3-to-5.png")));
    }

    @Test
    void confusionAndEmbedWriteTheirFiles() throws Exception {
        Path out = dir.resolve("conf");
        String[] r = run("confusion", "--model", lenet.toString(), "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.size(out.resolve("confusion-matrix.png")) > 1000);
        assertTrue(r[1].contains("accuracy"));
        Path emb = dir.resolve("emb");
        r = run("embed", "--model", lenet.toString(), "--method", "pca", "--limit", "200", "--layer", "pixels", "--layer", "relu3", "--out", emb.toString());
        assertEquals("0", r[0], r[2]);
        for (String f : List.of("embed-pca-pixels.png", "embed-pca-relu3.png", "embed-pca-relu3-3d.png", "embed-pca-side-by-side.png", "embed-pca.json")) {
            assertTrue(Files.size(emb.resolve(f)) > 1000, f);
        }
    }

    @Test
    void badInputIsOneClearLine() {
        String[][] cases = {
                {"embed", "--model", lenet.toString(), "--layer", "conv9", "--limit", "50"},
                {"robustness", "--model", lenet.toString(), "--limit", "501"},
                {"robustness", "--model", lenet.toString(), "--epsilon", "-0.1", "--attack", "fgsm"},
                {"confusion", "--model", cifarNet.toString()},
                {"embed", "--model", lenet.toString(), "--limit", "100000"},
        };
        String[] expect = {
                "glassbox embed: no layer named 'conv9'",
                "glassbox robustness: --limit 501 is larger than sample/test, which has 500 images",
                "glassbox robustness: --epsilon -0.1 must be >= 0",
                "glassbox confusion: sample images are 1x28x28 but",
                "glassbox embed: --limit 100000 is larger than sample/test",
        };
        for (int i = 0; i < cases.length; i++) {
            String[] r = run(cases[i]);
            assertEquals("2", r[0], String.join(" ", cases[i]) + ": " + r[2]);
            assertTrue(r[2].startsWith(expect[i]), r[2]);
            assertEquals(1, r[2].strip().lines().count(), "one line: " + r[2]);
        }
    }
}
