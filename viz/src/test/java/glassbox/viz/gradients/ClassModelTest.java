package glassbox.viz.gradients;

import glassbox.layers.BatchNorm;
import glassbox.layers.Layer;
import glassbox.model.Model;
import glassbox.model.Net;
import glassbox.train.Normalization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

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

    @Test
    void oneBatchForEveryClassGivesWhatOneImageAtATimeGives() {
        ClassModel.Settings s = ClassModel.Settings.defaults().withSteps(25).withJitter(2).withBlur(5, 0.7);
        assertBatchedEqualsSequential(SquareTask.trained(), List.of(new Target.ClassScore(0), new Target.ClassScore(1), new Target.ClassScore(2)), RANGE, s);
        assertBatchedEqualsSequential(SquareTask.trained(), List.of(new Target.Channel("relu2", 0), new Target.Channel("relu2", 5)), RANGE, s);
    }

    @Test
    void batchNormInEvalModeKeepsTheImagesOfABatchApart() {
        Model m = Net.builder("bn", 3, 12, 12).conv(6, 3, 1, 1, false).batchNorm().relu().maxPool(2)
                .flatten().linear(4).build(5);
        SplittableRandom r = new SplittableRandom(9);
        for (Layer l : m.layers()) {
            if (l instanceof BatchNorm bn) {
                for (int k = 0; k < bn.channels(); k++) {
                    bn.runningMean().data()[k] = (float) (0.3 * r.nextGaussian());
                    bn.runningVar().data()[k] = (float) (0.5 + r.nextDouble());
                    bn.weight().value().data()[k] = (float) (1 + 0.2 * r.nextGaussian());
                    bn.bias().value().data()[k] = (float) (0.1 * r.nextGaussian());
                }
            }
        }
        InputRange rgb = InputRange.of(new Normalization(new float[]{0.5f, 0.5f, 0.5f}, new float[]{0.25f, 0.25f, 0.25f}));
        List<Target> classes = List.of(new Target.ClassScore(0), new Target.ClassScore(1), new Target.ClassScore(2), new Target.ClassScore(3));
        assertBatchedEqualsSequential(m, classes, rgb, ClassModel.Settings.defaults().withSteps(20));
    }

    static void assertBatchedEqualsSequential(Model m, List<Target> targets, InputRange range, ClassModel.Settings s) {
        List<ClassModel.Result> batched = ClassModel.compute(m, targets, range, s, List.of(), null);
        for (int i = 0; i < targets.size(); i++) {
            ClassModel.Result one = ClassModel.compute(m, targets.get(i), range, s, List.of(), null), b = batched.get(i);
            String what = targets.get(i).describe(List.of());
            assertEquals(one.target(), b.target());
            assertClose(one.image(), b.image(), what + " image");
            assertClose(one.scores(), b.scores(), what + " scores");
            assertClose(new float[]{(float) one.finalScore(), (float) one.probability()}, new float[]{(float) b.finalScore(), (float) b.probability()}, what + " final");
            assertEquals(one.snapshots().size(), b.snapshots().size());
            for (int k = 0; k < one.snapshots().size(); k++) assertClose(one.snapshots().get(k).image(), b.snapshots().get(k).image(), what + " snapshot " + k);
        }
    }

    /** max |a - b| <= 1e-4 · max |a| (NaN equal to NaN). */
    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0, err = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i]) && Float.isNaN(actual[i])) continue;
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(err <= 1e-4 * Math.max(scale, 1e-6), what + ": max error " + err + " for max |value| " + scale);
    }

    static double norm(float[] v) {
        double s = 0;
        for (float f : v) s += f * f;
        return Math.sqrt(s);
    }
}
