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
        Raster crop = TopPatchSheets.crop(data, h.image(), new int[]{rf.first(h.y()), rf.first(h.x()), rf.size()});
        assertEquals(9, crop.width());
        Raster img = Inputs.picture(data, 2);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 9; x++) {
                int iy = -4 + 3 * 2 + y, ix = -4 + x;
                int expected = ix < 0 ? TopPatchSheets.PADDING : img.get(ix, iy);
                assertEquals(expected, crop.get(x, y), "crop pixel " + x + "," + y);
            }
        }
    }

    @Test
    void recordsTheHitsAndRendersASheet() {
        TopPatches tp = TopPatches.of(model, "stem", data, Inputs.UNIT, 3, data.size(), 8);
        TopK top = TopPatches.scan(model, "stem", data, Inputs.UNIT, 3, data.size(), 8, true);
        assertEquals(top.hits(2).getFirst().value(), tp.channels().get(2).patches().getFirst().value());
        assertEquals(top.hits(2).getFirst().image(), tp.channels().get(2).patches().getFirst().image());
        Raster r = TopPatchSheets.render(tp, model, data, 0, 4);
        assertTrue(r.width() > 100 && r.height() > 100);
    }

    @Test
    void aChannelThatNeverActivatesIsDead() {
        Model m = TinyModels.randomize(TinyModels.residual(), 11, 0.5f);
        // stem's channel 1 gets a bias so negative that no image lifts it above 0.
        glassbox.layers.Conv2d stem = (glassbox.layers.Conv2d) m.layer("stem");
        java.util.Arrays.fill(stem.weight().value().data(), 0f);
        stem.bias().value().data()[1] = -5f;
        TopPatches tp = TopPatches.of(m, "stem", data, Inputs.UNIT, 3, data.size(), 8);
        assertTrue(tp.channels().get(1).dead());
        assertTrue(tp.deadCount() >= 1);
        assertTrue(TopPatchSheets.render(tp, m, data, 0, 2).height() > 50);
    }
}
