package glassbox.viz.robustness;

import org.joml.Matrix3x2f;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The affine maps and corruptions: identities, a quarter turn, composition, and the accuracy curves. */
class CorruptionTest {
    static float[] random(int c, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] x = new float[c * h * w];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        return x;
    }

    @Test
    void rotationByZeroAndTranslationByZeroAreIdentities() {
        float[] img = random(3, 9, 11, 1);
        assertArrayEquals(img, Geometry.warp(img, 3, 9, 11, Geometry.rotation(0, 11, 9)), 1e-6f);
        assertArrayEquals(img, Geometry.warp(img, 3, 9, 11, Geometry.translation(0, 0)), 0f);
        for (Corruption c : Corruption.values()) {
            assertArrayEquals(img, c.apply(img, 3, 9, 11, c.levels()[0], 5), 1e-6f, c + " at severity 0");
        }
    }

    @Test
    void aQuarterTurnIsATransposeAndFlip() {
        int n = 8;
        float[] img = random(1, n, n, 2);
        float[] rot = Geometry.warp(img, 1, n, n, Geometry.rotation(90, n, n));
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) assertEquals(img[(n - 1 - x) * n + y], rot[y * n + x], 1e-5f, "(" + x + ", " + y + ")");
        }
    }

    @Test
    void composingTwoTransformsEqualsApplyingThemInTurn() {
        int n = 10;
        float[] img = random(2, n, n, 3);
        Matrix3x2f a = Geometry.rotation(90, n, n), b = Geometry.translation(2, -1);
        float[] inTurn = Geometry.warp(Geometry.warp(img, 2, n, n, a), 2, n, n, b);
        float[] composed = Geometry.warp(img, 2, n, n, new Matrix3x2f(b).mul(a));
        assertArrayEquals(inTurn, composed, 1e-5f);
        // an integer shift moves pixels exactly
        float[] shifted = Geometry.warp(img, 2, n, n, b);
        assertEquals(img[n + 3], shifted[0 * n + 5], 0f); // source (3, 1) lands at (5, 0)
        assertEquals(0f, shifted[n * n - n], 0f, "uncovered pixels are black");
    }

    @Test
    void corruptionsStayInTheValidRangeAndNoiseIsSeeded() {
        float[] img = random(3, 8, 8, 4);
        for (Corruption c : Corruption.values()) {
            for (float l : c.levels()) for (float v : c.apply(img, 3, 8, 8, l, 9)) assertTrue(v >= 0 && v <= 1, c + " " + l);
        }
        assertArrayEquals(Corruption.NOISE.apply(img, 3, 8, 8, 0.3f, 9), Corruption.NOISE.apply(img, 3, 8, 8, 0.3f, 9));
        float[] flat = new float[64];
        java.util.Arrays.fill(flat, 0.5f);
        assertArrayEquals(flat, Corruption.BLUR.apply(flat, 1, 8, 8, 2f, 0), 1e-6f, "blurring a constant image changes nothing");
    }

    @Test
    void accuracyCurvesStartAtTheCleanAccuracyAndFallWithSeverity() {
        var runs = CorruptionCurves.run("mlp", Trained.MODEL, Trained.NORM, Trained.TEST, 200,
                List.of(Corruption.NOISE, Corruption.ROTATE), 100, 0, 1, glassbox.viz.Progress.NONE);
        var clean = glassbox.train.Evaluation.of(Trained.MODEL, Trained.TEST.head(200).asImageData(), Trained.NORM, 100).accuracy();
        for (var r : runs) {
            assertEquals(clean, r.curve().accuracy()[0], 1e-12, r.corruption());
            assertTrue(r.curve().accuracy()[5] < clean - 0.2, r.corruption() + " at severity 5: " + r.curve().accuracy()[5]);
            assertEquals(6, r.examples().length);
        }
    }
}
