package glassbox.cli;

import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.model.Zoo;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./glassbox explain on an untrained LeNet-5 and the embedded MNIST sample (offline, a few seconds). */
class ExplainCommandTest {
    @TempDir
    static Path dir;
    static Path lenet;

    @BeforeAll
    static void model() throws Exception {
        Map<String, String> opts = Zoo.options(new int[]{1, 28, 28}, 10);
        Model m = Zoo.build("lenet5", opts, 3);
        Map<String, Tensor> t = new LinkedHashMap<>(m.state());
        ModelFile f = new ModelFile("lenet5", opts, m.inputShape(), List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
                new float[]{0.13f}, new float[]{0.31f}, Map.of("dataset", "sample"), t);
        lenet = dir.resolve("lenet5.gbx");
        ModelIO.save(f, lenet);
    }

    static CliRun explain(String method, Path out, String... more) {
        String[] base = {"explain", method, "--model", lenet.toString(), "--offline", "--out", out.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRun.of(all);
    }

    @Test
    void everyPerImageMethodWritesItsPicturesAndJson() throws Exception {
        for (String m : List.of("saliency", "gradient-x-input", "guided-backprop", "deconvnet", "smoothgrad", "integrated-gradients",
                "gradcam", "guided-gradcam", "occlusion")) {
            Path out = dir.resolve("m-" + m);
            CliRun r = switch (m) { // each method has only its own options
                case "smoothgrad" -> explain(m, out, "--image", "3", "--samples", "4");
                case "integrated-gradients" -> explain(m, out, "--image", "3", "--steps", "4");
                default -> explain(m, out, "--image", "3");
            };
            assertEquals(0, r.code(), m + ": " + r.err());
            assertTrue(Files.size(out.resolve(m + "-test3.png")) > 1000, m);
            String json = Files.readString(out.resolve(m + ".json"));
            assertTrue(json.contains("\"probabilities\"") && json.contains("\"map\""), m);
            assertTrue(r.out().contains("wrote " + out.resolve(m + ".json")), m);
        }
        assertTrue(Files.exists(dir.resolve("m-saliency").resolve("gradient-test3.png")), "the signed gradient comes with saliency");
        assertTrue(Files.readString(dir.resolve("m-integrated-gradients").resolve("integrated-gradients.json")).contains("\"gap\""));
    }

    @Test
    void channelTargetsAndClassNames() throws Exception {
        Path out = dir.resolve("chan");
        CliRun r = explain("saliency", out, "--image", "0", "--layer", "conv2", "--channel", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out.resolve("saliency.json")).contains("conv2 channel 5"));
        r = explain("gradcam", out, "--image", "0", "--class", "seven", "--cam-layer", "relu1");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out.resolve("gradcam.json")).contains("class 7 (seven) at relu1"));
    }

    @Test
    void compareClassModelInvertAndSanity() throws Exception {
        Path out = dir.resolve("sheets");
        CliRun r = explain("compare", out, "--images", "2", "--methods", "saliency,gradcam,occlusion", "--target", "TRUE");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(out.resolve("compare.png")) > 1000);
        r = explain("class-model", out, "--class", "3", "--steps", "12");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("class-model.png")) && Files.exists(out.resolve("class-model-class3-steps.png")));
        r = explain("invert", out, "--image", "1", "--layer", "relu1,fc3", "--steps", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out.resolve("invert-test1.json")).contains("\"featureError\""));
        r = explain("sanity", out, "--images", "2", "--methods", "saliency,gradcam");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("sanity-spearman.png")) && Files.exists(out.resolve("sanity-maps.png")));
        assertTrue(Files.readString(out.resolve("sanity.json")).contains("\"spearman\""));
    }

    @Test
    void foolMakesTheModelAnswerTheChosenClass() throws Exception {
        Path out = dir.resolve("fool");
        CliRun r = explain("fool", out, "--image", "2", "--class", "eight", "--steps", "10", "--confidence", "0.6");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("image #2") && r.out().contains("-> '8'"), r.out());
        assertTrue(Files.size(out.resolve("fool-2-to-8.png")) > 1000);
        assertTrue(Files.readString(out.resolve("fool-2-to-8.json")).contains("\"foolProbs\""));
        r = explain("fool", out, "--image", "2", "--class", "eleven");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("glassbox explain: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void aUsersOwnPictureIsResizedAndExplained() throws Exception {
        BufferedImage img = new BufferedImage(90, 60, BufferedImage.TYPE_INT_RGB);
        for (int y = 20; y < 40; y++) for (int x = 30; x < 60; x++) img.setRGB(x, y, 0xFFFFFF);
        Path png = dir.resolve("my digit.png"), jpg = dir.resolve("mine.jpg");
        ImageIO.write(img, "png", png.toFile());
        ImageIO.write(img, "jpg", jpg.toFile());
        Path out = dir.resolve("own");
        for (Path p : List.of(png, jpg)) {
            CliRun r = explain("saliency", out, "--image", p.toString());
            assertEquals(0, r.code(), r.err());
        }
        assertTrue(Files.exists(out.resolve("saliency-my_digit.png")) && Files.exists(out.resolve("saliency-mine.png")));
        CliRun r = explain("saliency", out, "--image", png.toString(), "--target", "true");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("has no known true class"), r.err());
    }

    @Test
    void badFilesAndOptionsAreOneClearLine() throws Exception {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        Path bomb = dir.resolve("bomb.png"), big = dir.resolve("big.png");
        Files.write(bomb, pngHeader(30_000, 30_000));
        Files.write(big, pngHeader(8_000, 8_000));
        CliRun[] cases = {
                explain("saliency", dir.resolve("bad"), "--image", text.toString()),
                explain("saliency", dir.resolve("bad"), "--image", bomb.toString()),
                explain("saliency", dir.resolve("bad"), "--image", big.toString()),
                explain("saliency", dir.resolve("bad"), "--image", dir.resolve("missing.png").toString()),
                explain("saliency", dir.resolve("bad"), "--image", "999999"),
                explain("saliency", dir.resolve("bad"), "--class", "42"),
                explain("saliency", dir.resolve("bad"), "--layer", "nope"),
                explain("integrated-gradients", dir.resolve("bad"), "--steps", "0"),
                explain("smoothgrad", dir.resolve("bad"), "--noise", "3"),
                explain("class-model", dir.resolve("bad"), "--steps", "0"),
        };
        String[] expect = {"not an image", "refused", "refused", "no image file", "outside", "outside 0..9", "no layer named",
                "--steps must be in 1..10000", "--noise must be in 0..1", "--steps must be in 1..10000"};
        for (int i = 0; i < cases.length; i++) {
            String err = cases[i].err().strip();
            assertEquals(2, cases[i].code(), err);
            assertTrue(err.startsWith("glassbox explain: ") && err.contains(expect[i]) && !err.contains("\n") , "case " + i + ": " + err);
        }
    }

    /** A PNG signature and IHDR chunk declaring w x h pixels (and no image data): a decompression-bomb header. */
    static byte[] pngHeader(int w, int h) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream c = new DataOutputStream(chunk);
        c.write("IHDR".getBytes(StandardCharsets.US_ASCII));
        c.writeInt(w);
        c.writeInt(h);
        c.write(new byte[]{8, 2, 0, 0, 0});
        byte[] body = chunk.toByteArray();
        d.writeInt(13);
        d.write(body);
        CRC32 crc = new CRC32();
        crc.update(body);
        d.writeInt((int) crc.getValue());
        return b.toByteArray();
    }
}
