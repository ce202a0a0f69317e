package glassbox.viz.gradients;

import glassbox.model.Model;
import glassbox.tensor.Param;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adebayo et al.'s model-randomization test tells a real explanation from an edge detector. */
class SanityCheckTest {
    /** A deliberately broken "explanation": the input's gradient magnitude (Sobel), whatever the weights. */
    static final Explainer EDGES = (m, x, t) -> {
        int h = x.dim(2), w = x.dim(3);
        float[] e = new float[h * w], d = x.data();
        for (int y = 1; y < h - 1; y++)
            for (int xx = 1; xx < w - 1; xx++) {
                int i = y * w + xx;
                float gx = d[i - w + 1] + 2 * d[i + 1] + d[i + w + 1] - d[i - w - 1] - 2 * d[i - 1] - d[i + w - 1];
                float gy = d[i + w - 1] + 2 * d[i + w] + d[i + w + 1] - d[i - w - 1] - 2 * d[i - w] - d[i - w + 1];
                e[i] = (float) Math.hypot(gx, gy);
            }
        return Attribution.of("edges", "input", 0, 1, h, w, e, e, false);
    };

    @Test
    void vanillaGradientDecorrelatesAndTheEdgeDetectorIsFlagged() {
        Model m = SquareTask.trained();
        List<float[]> before = new ArrayList<>();
        for (Param p : m.params()) before.add(p.value().data().clone());
        SquareTask.Data d = SquareTask.make(6, 7);
        List<Target> targets = new ArrayList<>();
        for (int l : d.labels()) targets.add(new Target.ClassScore(l));
        Map<String, Explainer> methods = new LinkedHashMap<>();
        methods.put("saliency", (mm, x, t) -> Saliency.saliency(mm, x, t, List.of()));
        methods.put("edges", EDGES);
        SanityCheck.Result r = SanityCheck.run(m, d.x(), targets, methods, 1, null);

        assertEquals(List.of("trained", "+fc", "+conv2", "+conv1"), r.randomized());
        assertEquals(1.0, r.spearman()[0][0], 1e-9);
        assertEquals(1.0, r.ssim()[0][0], 1e-9);
        double last = r.spearman()[0][3];
        assertTrue(last < SanityCheck.FLAG_THRESHOLD && last < r.spearman()[0][1], "saliency after full randomization: " + last);
        assertFalse(r.flagged()[0]);
        assertTrue(r.flagged()[1], "the edge detector ignores the weights");
        assertEquals(List.of("edges"), r.flaggedMethods());
        assertEquals(1.0, r.spearman()[1][3], 1e-9);
        for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), m.params().get(i).value().data(), "weights restored");
    }

    @Test
    void spearmanAndSsimOnKnownMaps() {
        float[] a = {1, 2, 3, 4}, b = {10, 20, 30, 40}, c = {4, 3, 2, 1};
        assertEquals(1.0, Similarity.spearman(a, b), 1e-12);
        assertEquals(-1.0, Similarity.spearman(a, c), 1e-12);
        assertTrue(Double.isNaN(Similarity.spearman(a, new float[]{0, 0, 0, 0})), "an all-zero map has no ranks");
        assertArrayEquals(new double[]{1.5, 1.5, 3}, Similarity.ranks(new float[]{5, 5, 7}), 1e-12);
        float[] img = GradientMapsTest.image(1, 1, 9, 9).data();
        assertEquals(1.0, Similarity.ssim(img, img, 9, 9), 1e-9);
        float[] noise = GradientMapsTest.image(2, 1, 9, 9).data();
        assertTrue(Similarity.ssim(img, noise, 9, 9) < 0.5);
    }
}
