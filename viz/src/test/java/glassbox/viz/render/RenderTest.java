package glassbox.viz.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RenderTest {
    @Test
    void upscaleIsNearestNeighbour() {
        Raster r = new Raster(2, 1, 0);
        r.set(0, 0, 0x112233);
        r.set(1, 0, 0x445566);
        Raster u = r.upscale(3);
        assertEquals(6, u.width());
        assertEquals(3, u.height());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 6; x++) assertEquals(x < 3 ? 0x112233 : 0x445566, u.get(x, y));
        }
    }

    @Test
    void colormapsHitTheirEndsAndCentre() {
        assertEquals(0x440154, Colormap.VIRIDIS.rgb(0));
        assertEquals(0xfde725, Colormap.VIRIDIS.rgb(1));
        assertEquals(0xf7f7f7, Colormap.DIVERGING.rgb(0.5));
        assertEquals(0x000000, Colormap.GRAY.rgb(-3));
        assertEquals(0xFF00FF, Colormap.VIRIDIS.rgb(Double.NaN));
        // viridis gets brighter monotonically (perceptual ordering): check luma rises
        double prev = -1;
        for (int i = 0; i <= 20; i++) {
            int c = Colormap.VIRIDIS.rgb(i / 20.0);
            double luma = 0.299 * (c >> 16 & 255) + 0.587 * (c >> 8 & 255) + 0.114 * (c & 255);
            assertTrue(luma > prev, "viridis luma must increase at " + i);
            prev = luma;
        }
    }

    @Test
    void rangesScaleAndSurviveConstants() {
        ValueRange r = ValueRange.of(new float[]{-2, 0, 6});
        assertEquals(0, r.byteValue(-2));
        assertEquals(255, r.byteValue(6));
        assertEquals(64, r.byteValue(0));
        ValueRange c = ValueRange.of(new float[]{3, 3});
        assertEquals(128, c.byteValue(3)); // mid-grey, not a division by zero
        assertEquals(new ValueRange(-6, 6), ValueRange.symmetric(new float[]{-2, 0, 6}));
        assertSame(Colormap.DIVERGING, Colormap.forRange(new ValueRange(-1, 2)));
        assertSame(Colormap.VIRIDIS, Colormap.forRange(new ValueRange(0, 2)));
    }

    @Test
    void longTextIsShortenedOrWrappedToFit() {
        String s = Text.fit("abcdefghijklmnopqrstuvwxyz", 60, Text.SMALL);
        assertTrue(s.endsWith("…") && Text.width(s, Text.SMALL) <= 60, s);
        assertEquals("abc", Text.fit("abc", 100, Text.SMALL));
        List<String> lines = Text.wrap("one two three four five six seven eight nine ten", 80, Text.BODY);
        assertTrue(lines.size() > 2, lines.toString());
        for (String l : lines) assertTrue(Text.width(l, Text.BODY) <= 80 || !l.contains(" "), l);
        assertEquals("one two three four five six seven eight nine ten", String.join(" ", lines));
    }

    @Test
    void colourBarTicksAreRealValuesWithZero() {
        assertEquals(List.of("-0.500", "-0.250", "0", "0.250", "0.500"),
                ColorBar.ticks(new ValueRange(-0.5f, 0.5f)).stream().map(ColorBar.Tick::label).toList());
        List<ColorBar.Tick> skewed = ColorBar.ticks(new ValueRange(-1f, 3f));
        assertTrue(skewed.stream().anyMatch(t -> t.label().equals("0") && Math.abs(t.t() - 0.25) < 1e-9), skewed.toString());
        assertEquals("3.00", skewed.stream().filter(t -> t.t() == 1).findFirst().orElseThrow().label());
        Raster bar = ColorBar.render(Colormap.DIVERGING, new ValueRange(-0.5f, 0.5f), 200, "weight value");
        assertTrue(bar.width() >= 200 && bar.height() > 20);
    }

    @Test
    void gridPlacesTilesWithGapsAndLabels() {
        List<Grid.Tile> tiles = new ArrayList<>();
        for (int i = 0; i < 5; i++) tiles.add(new Grid.Tile(new Raster(10, 10, 0x0000FF), "" + i));
        Raster g = new Grid(3).gap(2).render(tiles);
        int cell = Math.max(10, Text.width("0", Text.SMALL) + 2);
        assertEquals(3 * cell + 2 * 2, g.width());
        assertEquals(2 * (10 + Text.height(Text.SMALL) + 2) + 2, g.height());
        assertEquals(0x0000FF, g.get(cell + 2 + (cell - 10) / 2, 0)); // second tile starts after the gap
        assertEquals(Raster.WHITE, g.get(cell, 0));                     // the gap itself
    }

    @Test
    void pageGrowsToFitItsTitleAndWritesPng(@TempDir Path dir) {
        String title = "A rather long title that is much wider than the content, so that it has to wrap onto a second line of the page";
        Raster page = new Page(title).add(new Raster(8, 8, 0)).render();
        // The title wraps instead of widening the page beyond its pictures (no sheet empty on the right).
        assertTrue(page.width() < Text.width(title, Text.TITLE), "page " + page.width() + " px wide");
        assertTrue(page.width() >= Page.MIN_WIDTH);
        Raster wide = new Page("t").add(new Raster(900, 8, 0)).render();
        assertTrue(wide.width() >= 900 && wide.width() < 950, "as wide as its widest picture plus margins: " + wide.width());
        Path f = dir.resolve("sub/p.png");
        Png.write(page, f);
        Raster back = Png.read(f);
        assertEquals(page.width(), back.width());
        assertArrayEquals(page.pixels(), back.pixels());
    }
}
