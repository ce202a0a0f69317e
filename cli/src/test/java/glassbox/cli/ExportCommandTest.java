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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./glassbox export on an untrained lenet5 and the embedded MNIST sample (offline, a few seconds). */
class ExportCommandTest {
    @TempDir
    static Path dir;
    static Path lenet;

    @BeforeAll
    static void model() throws Exception {
        Map<String, String> opts = Zoo.options(new int[]{1, 28, 28}, 10);
        Model m = Zoo.build("lenet5", opts, 3);
        ModelFile f = new ModelFile("lenet5", opts, m.inputShape(), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                new float[]{0.13f}, new float[]{0.31f}, Map.of("dataset", "sample"), new LinkedHashMap<>(m.state()));
        lenet = dir.resolve("lenet5.gbx");
        ModelIO.save(f, lenet);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            return new Run(Main.run(args), out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The shape in a .npy header. */
    private static String npyShape(Path p) throws Exception {
        byte[] b = Files.readAllBytes(p);
        int len = ByteBuffer.wrap(b, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String h = new String(b, 10, len, StandardCharsets.US_ASCII);
        return h.substring(h.indexOf("'shape': ") + 9, h.indexOf(')') + 1);
    }

    @Test
    void writesOnnx() throws Exception {
        Path out = dir.resolve("m/lenet5.onnx");
        Run r = run("export", "--model", lenet.toString(), "--onnx", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + out), r.out());
        assertTrue(Files.size(out) > 4 * 61706, "holds every weight");
    }

    @Test
    void writesTensorsActivationsAndGradientsAsNpy() throws Exception {
        Path w = dir.resolve("w.npy"), a = dir.resolve("a.npy"), g = dir.resolve("g.npy"), s = dir.resolve("s.npy");
        assertEquals(0, run("export", "--model", lenet.toString(), "--tensor", "conv1.weight", "--npy", w.toString()).code());
        assertEquals("(6, 1, 5, 5)", npyShape(w));
        Run ra = run("export", "--model", lenet.toString(), "--activation", "relu1", "--image", "0", "--image", "3", "--npy", a.toString());
        assertEquals(0, ra.code(), ra.err());
        assertEquals("(2, 6, 28, 28)", npyShape(a));
        Run rg = run("export", "--model", lenet.toString(), "--gradient", "conv2", "--images", "4", "--target", "Predicted", "--npy", g.toString());
        assertEquals(0, rg.code(), rg.err());
        assertEquals("(4, 16, 10, 10)", npyShape(g));
        assertEquals(0, run("export", "--model", lenet.toString(), "--gradient", "input", "--npy", s.toString()).code());
        assertEquals("(1, 1, 28, 28)", npyShape(s));
        float[] sal = new float[28 * 28];
        ByteBuffer.wrap(Files.readAllBytes(s)).order(ByteOrder.LITTLE_ENDIAN).position(128).asFloatBuffer().get(sal);
        double norm = 0;
        for (float v : sal) norm += v * v;
        assertTrue(norm > 0, "the saliency map is not all zero");
    }

    @Test
    void takesAnImageFile() throws Exception {
        Path png = dir.resolve("digit.png"), out = dir.resolve("file-grad.npy");
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_INT_RGB);
        img.setRGB(10, 10, 0xFFFFFF);
        javax.imageio.ImageIO.write(img, "png", png.toFile());
        Run noLabel = run("export", "--model", lenet.toString(), "--gradient", "input", "--image", png.toString(), "--npy", out.toString());
        assertEquals(2, noLabel.code());
        assertTrue(noLabel.err().contains("use --target predicted"), noLabel.err());
        Run r = run("export", "--model", lenet.toString(), "--gradient", "input", "--image", png.toString(), "--target", "predicted",
                "--npy", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("(1, 1, 28, 28)", npyShape(out));
    }

    @Test
    void listsTensorsAndNamesBadOnes() {
        Run r = run("export", "--model", lenet.toString(), "--list");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("conv1.weight [6, 1, 5, 5]") && r.out().contains("relu1 (ReLU)"), r.out());
        Run bad = run("export", "--model", lenet.toString(), "--tensor", "conv9.weight", "--npy", dir.resolve("x.npy").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("glassbox export: no tensor 'conv9.weight'"), bad.err());
        Run target = run("export", "--model", lenet.toString(), "--gradient", "input", "--target", "guess", "--npy", dir.resolve("x.npy").toString());
        assertEquals(2, target.code());
        assertTrue(target.err().contains("expected one of predicted, true but was 'guess'"), target.err());
    }
}
