package glassbox.viz.weights;

import glassbox.tensor.Tensor;
import glassbox.viz.render.Colormap;
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

    static ConvKernels weights(Tensor w) {
        return ConvKernels.of("conv", ConvKernels.Quantity.WEIGHTS, w, 0, Double.NaN);
    }

    @Test
    void tinyKernelsAreUpscaledAndUseTheFullRange() {
        Tensor w = random(1, 4, 3, 3, 3);
        List<Raster> tiles = KernelSheets.kernelTiles(weights(w), Scaling.PER_TILE, 40);
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
            // Zero-centred per-tile scaling: the kernel's largest |weight| reaches 0 or 255 in some channel.
            assertTrue(lo == 0 || hi == 255, "per-tile scaling reaches an end of the range: " + lo + ".." + hi);
            assertTrue(colours.size() > 3, "a kernel must not render as one flat grey");
        }
    }

    @Test
    void colourPixelIsTheKernelsRgbWithZeroAtMidGrey() {
        Tensor w = Tensor.zeros(1, 3, 1, 1);
        w.data()[0] = 1;   // red
        w.data()[1] = 0;   // green: 0 is mid grey
        w.data()[2] = -0.5f;
        Raster t = KernelSheets.kernelTiles(weights(w), Scaling.PER_TILE, 1).get(0);
        assertEquals(Raster.rgb(255, 128, 64), t.get(0, 0));
    }

    @Test
    void deadKernelsAreFlaggedAndDrawnAsZero() {
        Tensor g = random(3, 3, 1, 3, 3);
        java.util.Arrays.fill(g.data(), 9, 18, 0f); // kernel 1's gradient is all zero: its channel never activated
        ConvKernels k = ConvKernels.of("conv1", ConvKernels.Quantity.LOSS_GRADIENT, g, 8, 2.3);
        assertEquals(List.of(false, true, false), k.kernels().stream().map(ConvKernels.Kernel::dead).toList());
        assertEquals(1, k.deadCount());
        Raster dead = KernelSheets.kernelTiles(k, Scaling.PER_TILE, 3).get(1);
        for (int p : dead.pixels()) assertEquals(Colormap.DIVERGING.rgb(0.5), p); // the colour of 0, not of "medium"
        assertTrue(KernelSheets.colourGrid(k, Scaling.PER_TILE).height() > 50);
    }

    @Test
    void deepLayersPaginateByOutputKernel() {
        ConvKernels w = weights(random(2, 70, 5, 3, 3));
        assertEquals(3, KernelSheets.pages(w));
        Raster p1 = KernelSheets.channelGrid(w, Scaling.PER_TILE, 0);
        Raster p3 = KernelSheets.channelGrid(w, Scaling.PER_TILE, 2);
        assertTrue(p1.height() > p3.height(), "the last page holds 6 rows, the first 32");
        assertThrows(IllegalArgumentException.class, () -> KernelSheets.channelGrid(w, Scaling.GLOBAL, 3));
        assertThrows(IllegalArgumentException.class, () -> KernelSheets.colourGrid(w, Scaling.GLOBAL));
    }
}
