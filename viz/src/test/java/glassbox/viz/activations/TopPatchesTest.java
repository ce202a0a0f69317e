package glassbox.viz.activations;

import glassbox.data.Dataset;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.viz.render.Raster;
import glassbox.viz.testing.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TopPatchesTest {
    private final Model model = TinyModels.randomize(TinyModels.residual(), 11, 0.5f);
    private final Dataset data = TinyModels.randomImages(3, 13, 1, 16, 16, 3);

    /** Every (value, image, y, x) of channel c of layer, one image at a time. */
    private List<TopK.Hit> bruteForce(String layer, int c, boolean onePerImage) {
        List<TopK.Hit> all = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            model.forward(Inputs.batch(data, new int[]{i}, Inputs.UNIT), false);
            Tensor a = model.activation(layer);
            TopK.Hit best = null;
            for (int y = 0; y < a.dim(2); y++) {
                for (int x = 0; x < a.dim(3); x++) {
                    TopK.Hit h = new TopK.Hit(a.get(0, c, y, x), i, y, x);
                    if (!onePerImage) all.add(h);
                    else if (best == null || h.value() > best.value()) best = h;
                }
            }
            if (onePerImage) all.add(best);
        }
        all.sort(TopK.STRONGEST_FIRST);
        return all;
    }

    @Test
    void scanFindsTheTrueMaxima() {
        for (String layer : List.of("stem", "res1.conv2", "res1")) {
            for (boolean one : new boolean[]{true, false}) {
                TopK top = TopPatches.scan(model, layer, data, Inputs.UNIT, 4, data.size(), 5, one); // 5 does not divide 13
                for (int c = 0; c < 4; c++) {
                    assertEquals(bruteForce(layer, c, one).subList(0, 4), top.hits(c), layer + " channel " + c + " onePerImage " + one);
                }
            }
        }
    }

    @Test
    void cropIsTheReceptiveFieldWindow() {
        ReceptiveField rf = LayerGeometry.receptiveField(model, "res1"); // size 9, jump 2, start -4
        TopK.Hit h = new TopK.Hit(1f, 2, 3, 0);
        Raster crop = TopPatches.crop(data, h, rf);
        assertEquals(9, crop.width());
        Raster img = Inputs.picture(data, 2);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 9; x++) {
                int iy = -4 + 3 * 2 + y, ix = -4 + x;
                int expected = ix < 0 ? TopPatches.PADDING : img.get(ix, iy);
                assertEquals(expected, crop.get(x, y), "crop pixel " + x + "," + y);
            }
        }
    }

    @Test
    void rendersASheet() {
        TopK top = TopPatches.scan(model, "stem", data, Inputs.UNIT, 3, data.size(), 8, true);
        Raster r = TopPatches.render(model, "stem", top, data, 0, 4);
        assertTrue(r.width() > 100 && r.height() > 100);
    }
}
