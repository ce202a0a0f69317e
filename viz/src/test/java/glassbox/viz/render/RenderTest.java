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
    void fontDrawsInkInsideItsBox() {
        Raster r = new Raster(40, 10, Raster.WHITE);
        BitmapFont.draw(r, 1, 1, "Hi 7", Raster.BLACK, 1);
        int ink = 0;
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 40; x++) {
                if (r.get(x, y) == Raster.BLACK) {
                    ink++;
                    assertTrue(x >= 1 && x < 1 + BitmapFont.width("Hi 7", 1) && y >= 1 && y < 9);
                }
            }
        }
        assertTrue(ink > 20, "glyphs must put ink on the raster");
        assertEquals("abc~", BitmapFont.fit("abcdefgh", 23, 1));
        assertEquals("abc", BitmapFont.fit("abc", 100, 1));
    }

    @Test
    void gridPlacesTilesWithGapsAndLabels() {
        List<Grid.Tile> tiles = new ArrayList<>();
        for (int i = 0; i < 5; i++) tiles.add(new Grid.Tile(new Raster(10, 10, 0x0000FF), "" + i));
        Raster g = new Grid(3).gap(2).render(tiles);
        assertEquals(3 * 10 + 2 * 2, g.width());
        assertEquals(2 * (10 + BitmapFont.height(1) + 3) + 2, g.height());
        assertEquals(0x0000FF, g.get(12, 0));     // second tile starts after the gap
        assertEquals(Raster.WHITE, g.get(10, 0)); // the gap itself
    }

    @Test
    void pageGrowsToFitItsTitleAndWritesPng(@TempDir Path dir) {
        Raster page = new Page("A rather long title that is wider than the content").add(new Raster(8, 8, 0)).render();
        assertTrue(page.width() >= BitmapFont.width("A rather long title that is wider than the content", 2));
        Path f = dir.resolve("sub/p.png");
        Png.write(page, f);
        Raster back = Png.read(f);
        assertEquals(page.width(), back.width());
        assertArrayEquals(page.pixels(), back.pixels());
    }
}
