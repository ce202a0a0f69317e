package glassbox.viz.gradients;

import glassbox.model.Model;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On the bright-square task, Grad-CAM and occlusion point at the square. */
class LocalizationTest {
    static final int N = 20;

    static int squares(SquareTask.Data d) {
        int n = 0;
        for (int l : d.labels()) if (l != 0) n++;
        return n;
    }

    @Test
    void theTaskIsLearned() {
        Model m = SquareTask.trained();
        SquareTask.Data d = SquareTask.make(200, 99);
        float[] logits = m.forward(d.x(), false).data();
        int right = 0;
        for (int i = 0; i < 200; i++) if (SquareTask.argmax(java.util.Arrays.copyOfRange(logits, 3 * i, 3 * i + 3)) == d.labels()[i]) right++;
        assertTrue(right >= 190, right + "/200 right");
    }

    @Test
    void gradCamPeaksOnTheSquare() {
        Model m = SquareTask.trained();
        SquareTask.Data d = SquareTask.make(N, 42);
        int hits = 0;
        for (int i = 0; i < N; i++) {
            if (d.labels()[i] == 0) continue;
            GradCam.Result r = GradCam.compute(m, d.x().sample(i), new Target.ClassScore(d.labels()[i]), null, List.of());
            assertEquals("relu2", r.layer(), "default: the last layer with spatial extent");
            assertEquals(8, r.camHeight());
            if (SquareTask.onSquare(d.corners()[i], SquareTask.argmax(r.attribution().map()), 1)) hits++;
        }
        assertTrue(hits >= squares(d) * 9 / 10, "Grad-CAM peak on the square in " + hits + "/" + squares(d));
    }

    @Test
    void occlusionDropsMostOnTheSquare() {
        Model m = SquareTask.trained();
        SquareTask.Data d = SquareTask.make(N, 43);
        int hits = 0;
        for (int i = 0; i < N; i++) {
            if (d.labels()[i] == 0) continue;
            Occlusion.Result r = Occlusion.compute(m, d.x().sample(i), new Target.ClassScore(d.labels()[i]), 6, 2, new float[1], List.of(), null);
            assertEquals(36, r.positions()); // 6 x 6 positions: 0, 2, ..., 10; a patch larger than the square can hide it
            if (SquareTask.onSquare(d.corners()[i], SquareTask.argmax(r.attribution().map()), 1)) hits++;
        }
        assertTrue(hits >= squares(d) * 9 / 10, "occlusion peak on the square in " + hits + "/" + squares(d));
    }

    @Test
    void occlusionCoversEveryPixelAndIsZeroForANeutralPatch() {
        assertEquals(List.of(0, 3, 6, 7), Occlusion.starts(10, 3, 3));
        Model m = SquareTask.trained();
        Tensor blank = Tensor.zeros(1, 1, 16, 16);
        Occlusion.Result r = Occlusion.compute(m, blank, new Target.ClassScore(0), 5, 3, new float[1], List.of(), null);
        for (float v : r.attribution().map()) assertEquals(0f, v, 0f, "occluding zeros with zeros changes nothing");
    }

    @Test
    void saliencyConcentratesOnTheSquare() {
        Model m = SquareTask.trained();
        SquareTask.Data d = SquareTask.make(N, 44);
        int hits = 0;
        for (int i = 0; i < N; i++) {
            if (d.labels()[i] == 0) continue;
            Attribution a = Saliency.saliency(m, d.x().sample(i), new Target.ClassScore(d.labels()[i]), List.of());
            if (SquareTask.onSquare(d.corners()[i], SquareTask.argmax(a.map()), 2)) hits++;
        }
        assertTrue(hits >= squares(d) * 7 / 10, "saliency peak near the square in " + hits + "/" + squares(d));
    }
}
