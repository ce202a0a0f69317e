package glassbox.cli;

import glassbox.report.Report;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./glassbox report} on a linear model trained for one epoch on part of the embedded sample (seconds):
 * every section is on the page, every file it references exists and decodes, nothing comes from the network;
 * the sections that do not apply to a linear model say so. Bad input gives one clear line. The demo's report
 * on LeNet-5 is checked in {@link DemoCommandTest}.
 */
class ReportCommandTest {
    @TempDir
    static Path dir;
    static Path model, run;

    @BeforeAll
    static void trainATinyModel() {
        model = dir.resolve("linear.gbx");
        run = dir.resolve("linear.run.jsonl");
        CliRun r = CliRun.of("train", "--model", "linear", "--dataset", "sample", "--limit", "400", "--epochs", "1",
                "--optimizer", "adam", "--lr", "0.002", "--out", model.toString(), "--run", run.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.all());
    }

    @Test
    void everySectionIsThereAndEveryFileItReferencesIsLocalAndDecodes() throws Exception {
        Path out = dir.resolve("report");
        CliRun r = CliRun.of("report", "--model", model.toString(), "--run", run.toString(), "--out", out.toString(),
                "--images", "2", "--limit", "200", "--attack-images", "40", "--tsne-images", "60", "--class-model-steps", "20", "--threads", "2");
        assertEquals(0, r.code(), r.all());
        Path index = out.resolve("index.html");
        assertTrue(r.out().strip().endsWith(index.toAbsolutePath().normalize().toString()), "the last line is the page's path\n" + r.out());
        assertTrue(r.out().contains("[11/11]"), "progress per section\n" + r.out());
        String html = Files.readString(index);
        checkPage(out, html);

        // A linear model: templates shown, the views that need convolutions say why they are absent.
        assertTrue(html.contains("src=\"templates/templates-per-template.png\""), "templates of the linear model");
        assertTrue(section(html, "kernels").contains("Not shown: linear has no convolution layers"), section(html, "kernels"));
        assertTrue(section(html, "top-patches").contains("Not shown"), section(html, "top-patches"));
        assertTrue(section(html, "training").contains("src=\"training/curves.png\""), "training curves from --run");
        assertTrue(section(html, "embedding").contains("--limit 60"), "the subset sizes are in the commands");
    }

    @Test
    void withoutARunFileTheTrainingSectionSaysHowToGetOne() throws Exception {
        Path out = dir.resolve("no-run");
        CliRun r = CliRun.of("report", "--model", model.toString(), "--out", out.toString(), "--image", "7",
                "--limit", "100", "--attack-images", "20", "--tsne-images", "30", "--class-model-steps", "5", "--threads", "2");
        assertEquals(0, r.code(), r.all());
        String html = Files.readString(out.resolve("index.html"));
        checkPage(out, html);
        assertTrue(section(html, "training").contains("Not shown: no run file was given"), section(html, "training"));
        assertTrue(section(html, "explanations").contains("--image 7"), section(html, "explanations"));
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        Path notRun = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        refused("glassbox report: no model file " + dir.resolve("missing.gbx"), "--model", dir.resolve("missing.gbx").toString(), "--out", dir.resolve("o1").toString());
        refused("glassbox report: --run " + notRun + " is not a Glassbox run file", "--model", model.toString(), "--run", notRun.toString(),
                "--out", dir.resolve("o2").toString());
        refused("glassbox report: --run " + dir.resolve("none.jsonl") + ": no such file", "--model", model.toString(), "--run",
                dir.resolve("none.jsonl").toString(), "--out", dir.resolve("o3").toString());
        refused("glassbox report: --out " + file + " is a file, not a folder", "--model", model.toString(), "--out", file.toString());
        refused("glassbox report: Invalid value for option '--images': must be a whole number from 1 to 16, got 0", "--model", model.toString(),
                "--images", "0");
        refused("glassbox report: --image 900 is outside 0..499 of sample/test", "--model", model.toString(), "--image", "900",
                "--out", dir.resolve("o4").toString());
    }

    private static void refused(String start, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "report";
        System.arraycopy(args, 0, all, 1, args.length);
        CliRun r = CliRun.of(all);
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().startsWith(start), "expected '" + start + "'\n" + r.all());
        assertFalse(r.err().contains("\tat "), "no stack trace\n" + r.all());
    }

    /** The body of section {@code id}. */
    static String section(String html, String id) {
        int from = html.indexOf("<section id=\"" + id + "\">");
        assertTrue(from >= 0, "no section " + id);
        return html.substring(from, html.indexOf("</section>", from));
    }

    /**
     * Every section of {@link Report#SECTION_IDS} is on the page, in order and in the contents; every file a
     * src or href names exists (PNGs decode and are not blank); nothing is loaded from the network.
     */
    static void checkPage(Path out, String html) throws Exception {
        int last = -1;
        for (String id : Report.SECTION_IDS) {
            int at = html.indexOf("<section id=\"" + id + "\">");
            assertTrue(at > last, "section " + id + " missing or out of order");
            assertTrue(html.contains("<a href=\"#" + id + "\">"), "section " + id + " not in the contents");
            assertTrue(section(html, id).contains("<div class=\"explain\"><p>"), "section " + id + " has no explanation");
            last = at;
        }
        assertFalse(Pattern.compile("(?i)(src|href)=\"//").matcher(html).find(), "a protocol-relative (network) reference");
        assertFalse(html.toLowerCase().contains("http://") || html.toLowerCase().contains("https://"), "an http(s) URL in the page");
        assertFalse(html.contains("@import") || html.contains("url("), "the style sheet loads nothing");
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"").matcher(html);
        List<String> refs = new ArrayList<>();
        while (m.find()) refs.add(m.group(1));
        assertFalse(refs.isEmpty());
        int pngs = 0;
        for (String ref : refs) {
            Path f = out.resolve(URLDecoder.decode(ref, StandardCharsets.UTF_8));
            assertTrue(Files.isRegularFile(f), "referenced file missing: " + ref);
            assertTrue(f.toAbsolutePath().normalize().startsWith(out.toAbsolutePath().normalize()), "outside the report folder: " + ref);
            if (ref.endsWith(".png")) {
                BufferedImage img = ImageIO.read(f.toFile());
                assertTrue(img != null && img.getWidth() > 50 && img.getHeight() > 50, "not a decodable picture: " + ref);
                assertTrue(colours(img) > 2, "blank picture: " + ref);
                pngs++;
            }
        }
        assertTrue(pngs >= 10, "pictures on the page: " + pngs);
        assertFalse(html.contains("<script"), "the page runs no script");
    }

    /** Distinct colours on a coarse grid: 1 or 2 means an empty picture. */
    private static int colours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) seen.add(img.getRGB(x, y));
        return seen.size();
    }
}
