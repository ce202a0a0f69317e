package glassbox.viz.render;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared rendering pieces: bundled fonts, text into a Raster, JFreeChart to PNG, Jackson output. */
class RenderInfraTest {
    record Sample(String name, float[] values, double gap, int[] shape) {
    }

    @Test
    void bundledFontIsDejaVuAndDrawsIntoTheRastersOwnPixels() {
        assertEquals("DejaVu Sans", Fonts.sans(12).getFamily());
        assertEquals("DejaVu Sans Bold", Fonts.bold(12).getFontName());
        Raster r = new Raster(80, 20, Raster.WHITE);
        int w = r.drawText("conv2 7", 2, 2, Fonts.sans(12), Raster.BLACK);
        assertTrue(w > 20 && w < 78, "advance " + w);
        assertEquals(w, Raster.textWidth("conv2 7", Fonts.sans(12)));
        long dark = Arrays.stream(r.pixels()).filter(p -> (p & 0xFF) < 128).count();
        assertTrue(dark > 20, "text left " + dark + " dark pixels");
        assertTrue(Arrays.stream(r.pixels()).allMatch(p -> (p >>> 24) == 0), "no alpha bits written into 0xRRGGBB pixels");
        // Nothing drawn right of the advance: the text really starts at x = 2.
        for (int y = 0; y < r.height(); y++) assertEquals(Raster.WHITE, r.get(2 + w + 3, y));
    }

    @Test
    void chartIsWrittenAsAReadablePngWithContent(@TempDir Path dir) {
        XYSeries s = new XYSeries("loss");
        for (int i = 0; i < 20; i++) s.add(i, Math.exp(-i / 5.0));
        JFreeChart chart = Charts.style(ChartFactory.createXYLineChart("Training loss", "step", "loss",
                new XYSeriesCollection(s)));
        Path file = dir.resolve("sub/loss.png");
        Charts.writePng(chart, 400, 300, file);
        Raster back = Png.read(file);
        assertEquals(400, back.width());
        assertEquals(300, back.height());
        assertTrue(Arrays.stream(back.pixels()).distinct().count() > 10, "a chart, not a blank image");
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left beside the picture");
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void jsonWritesRecordsArraysAndNonFiniteAsNull(@TempDir Path dir) {
        Sample s = new Sample("saliency", new float[]{1.5f, Float.NaN, -2f}, Double.POSITIVE_INFINITY, new int[]{1, 3});
        String json = JsonOut.toJson(s);
        assertTrue(json.contains("\"values\" : [ 1.5, null, -2.0 ]"), json);
        assertTrue(json.contains("\"gap\" : null"), json);
        assertTrue(json.contains("\"shape\" : [ 1, 3 ]"), json);
        assertTrue(json.indexOf("\"name\"") < json.indexOf("\"values\""), "declaration order");
        Path file = dir.resolve("s.json");
        JsonOut.write(s, file);
        Sample back = JsonOut.read(file, Sample.class);
        assertEquals("saliency", back.name());
        assertEquals(-2f, back.values()[2]);
    }

    @Test
    void writeFailureNamesTheRealCause(@TempDir Path dir) throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        var e = assertThrows(UncheckedIOException.class, () -> Png.write(new Raster(2, 2, 0), notADir.resolve("a.png")));
        assertTrue(e.getMessage().startsWith("cannot write " + notADir.resolve("a.png") + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("ImageOutputStream"), e.getMessage());
    }

    @Test
    void picturesAndJsonGetTheUsualPermissionsNotOwnerOnly(@TempDir Path dir) throws Exception {
        Path plain = Files.createFile(dir.resolve("plain.txt")); // what the umask gives any new file
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        var usual = Files.getPosixFilePermissions(plain);
        Png.write(new Raster(2, 2, 0), dir.resolve("p.png"));
        JsonOut.write(new Sample("s", new float[0], 0, new int[0]), dir.resolve("s.json"));
        assertEquals(usual, Files.getPosixFilePermissions(dir.resolve("p.png")));
        assertEquals(usual, Files.getPosixFilePermissions(dir.resolve("s.json")));
    }
}
