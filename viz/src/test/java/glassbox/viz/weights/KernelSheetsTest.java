package glassbox.viz.weights;

import glassbox.tensor.Tensor;
import glassbox.viz.render.Raster;
import glassbox.viz.render.Scaling;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class KernelSheetsTest {
    static Tensor random(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        Random r = new Random(seed);
        for (int i = 0; i < t.size(); i++) t.data()[i] = (float) r.nextGaussian();
        return t;
    }

    @Test
    void tinyKernelsAreUpscaledAndUseTheFullRange() {
        Tensor w = random(1, 4, 3, 3, 3);
        List<Raster> tiles = KernelSheets.kernelTiles(w, Scaling.PER_TILE, 40);
        assertEquals(4, tiles.size());
        assertEquals(39, tiles.get(0).width()); // 3x3 kernel x13, not a 3-pixel speck
        for (Raster t : tiles) {
            Set<Integer> colours = new HashSet<>();
            int lo = 255, hi = 0;
            for (int p : t.pixels()) {
                colours.add(p);
                for (int sh : new int[]{16, 8, 0}) {
                    lo = Math.min(lo, p >> sh & 255);
                    hi = Math.max(hi, p >> sh & 255);
                }
            }
            assertEquals(0, lo, "per-tile scaling reaches 0 in some channel");
            assertEquals(255, hi, "and 255 in some channel");
            assertTrue(colours.size() > 3, "a kernel must not render as one flat grey");
        }
    }

    @Test
    void colourPixelIsTheKernelsRgb() {
        Tensor w = Tensor.zeros(1, 3, 1, 1);
        w.data()[0] = 1;   // red
        w.data()[1] = 0;   // green
        w.data()[2] = 0.5f;
        Raster t = KernelSheets.kernelTiles(w, Scaling.PER_TILE, 1).get(0);
        assertEquals(Raster.rgb(255, 0, 128), t.get(0, 0));
    }

    @Test
    void deepLayersPaginateByOutputKernel() {
        Tensor w = random(2, 70, 5, 3, 3);
        assertEquals(3, KernelSheets.pages(w));
        Raster p1 = KernelSheets.channelGrid("conv3", w, Scaling.PER_TILE, "weights", 0);
        Raster p3 = KernelSheets.channelGrid("conv3", w, Scaling.PER_TILE, "weights", 2);
        assertTrue(p1.height() > p3.height(), "the last page holds 6 rows, the first 32");
        assertThrows(IllegalArgumentException.class, () -> KernelSheets.channelGrid("conv3", w, Scaling.GLOBAL, "weights", 3));
        assertThrows(IllegalArgumentException.class, () -> KernelSheets.colourGrid("conv3", w, Scaling.GLOBAL, "weights"));
    }
}
