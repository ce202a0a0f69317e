package glassbox.viz.gradients;

import glassbox.model.Model;
import glassbox.train.Normalization;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Activation maximization raises the score, and each regularizer does what it says on its own. */
class ClassModelTest {
    static final InputRange RANGE = InputRange.of(new Normalization(new float[]{0.5f}, new float[]{0.25f})); // [-2, 2]
    static final ClassModel.Settings PLAIN = ClassModel.Settings.defaults().plain().withSteps(30);

    static ClassModel.Result run(ClassModel.Settings s, int cls) {
        return ClassModel.compute(SquareTask.trained(), new Target.ClassScore(cls), RANGE, s, List.of(), null);
    }

    @Test
    void plainAscentRaisesEveryClassScoreNearlyMonotonically() {
        int up = 0, steps = 0;
        for (int cls = 0; cls < 3; cls++) {
            ClassModel.Result r = run(PLAIN, cls);
            assertTrue(r.finalScore() > r.scores()[0] + 1, "class " + cls + ": " + r.scores()[0] + " -> " + r.finalScore());
            for (int i = 1; i < r.scores().length; i++, steps++) if (r.scores()[i] >= r.scores()[i - 1]) up++;
        }
        assertTrue(up >= 0.9 * steps, up + " of " + steps + " steps raised the score");
    }

    @Test
    void classModelOfLeftSquareIsBrightOnTheLeft() {
        ClassModel.Result r = run(ClassModel.Settings.defaults().withSteps(60), 1);
        double left = 0, right = 0;
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++) {
                if (x < 8) left += r.image()[y * 16 + x];
                else right += r.image()[y * 16 + x];
            }
        assertTrue(left > right, "left " + left + " right " + right);
        assertEquals(List.of(1, 10, 50), r.snapshots().stream().map(ClassModel.Snapshot::step).toList(), "100 and 200 lie past the end");
    }

    @Test
    void l2DecayAloneShrinksTheImage() {
        ClassModel.Result plain = run(PLAIN, 1), l2 = run(PLAIN.withL2(0.05), 1);
        assertTrue(l2.finalScore() > l2.scores()[0]);
        assertTrue(norm(l2.image()) < norm(plain.image()), norm(l2.image()) + " vs " + norm(plain.image()));
    }

    @Test
    void blurAloneSmoothsTheImage() {
        ClassModel.Result plain = run(PLAIN, 2), blur = run(PLAIN.withBlur(5, 1.0), 2);
        assertTrue(blur.finalScore() > blur.scores()[0]);
        assertTrue(FeatureInversion.tv(blur.image(), 1, 16, 16, new float[256], 0) < FeatureInversion.tv(plain.image(), 1, 16, 16, new float[256], 0));
    }

    @Test
    void jitterAloneChangesThePathButStillClimbs() {
        ClassModel.Result plain = run(PLAIN, 1), jitter = run(PLAIN.withJitter(2), 1), again = run(PLAIN.withJitter(2), 1);
        assertTrue(jitter.finalScore() > jitter.scores()[0]);
        assertFalse(java.util.Arrays.equals(plain.image(), jitter.image()));
        assertArrayEquals(jitter.image(), again.image(), "seeded");
    }

    @Test
    void clippingAloneZeroesTheSmallPixels() {
        for (boolean byNorm : new boolean[]{true, false}) {
            ClassModel.Settings s = byNorm ? PLAIN.withClipNorm(50) : PLAIN.withClipContribution(50);
            ClassModel.Result r = run(s, 1);
            assertTrue(r.finalScore() > r.scores()[0], "clip by " + (byNorm ? "norm" : "contribution"));
            int zeros = 0;
            for (float v : r.image()) if (v == 0f) zeros++;
            assertTrue(zeros >= 120, zeros + " of 256 pixels zeroed by " + (byNorm ? "norm" : "contribution"));
        }
    }

    @Test
    void imagesStayInTheRangeOfRealPictures() {
        ClassModel.Result r = run(PLAIN.withSteps(40), 1);
        for (float v : r.image()) assertTrue(v >= -2f && v <= 2f, "value " + v);
    }

    @Test
    void channelTargetsWorkToo() {
        Model m = SquareTask.trained();
        ClassModel.Result r = ClassModel.compute(m, new Target.Channel("relu2", 3), RANGE, PLAIN, List.of(), null);
        assertTrue(r.finalScore() >= r.scores()[0]);
        assertTrue(Double.isNaN(r.probability()));
    }

    static double norm(float[] v) {
        double s = 0;
        for (float f : v) s += f * f;
        return Math.sqrt(s);
    }
}
