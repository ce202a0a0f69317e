package glassbox.check;

import glassbox.layers.Layer;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker must be able to fail: a layer with a planted bug is caught, its correct twin passes. */
class GradCheckTest {
    /** y[i] = w[i % 3] · x[i]; the bug flag shifts the input gradient by one element, or drops one weight term. */
    private static final class Scale extends Layer {
        final Param w = new Param("scale.w", Tensor.of(new float[]{0.5f, -1.5f, 2f}, 3), true);
        final String bug;

        Scale(String bug) {
            super("scale");
            this.bug = bug;
        }

        @Override
        public int[] outputShape(int[] s) {
            return s.clone();
        }

        @Override
        protected Tensor forwardImpl(Tensor x, boolean training) {
            float[] y = new float[x.size()];
            for (int i = 0; i < y.length; i++) y[i] = w.value().data()[i % 3] * x.data()[i];
            return new Tensor(y, x.shape());
        }

        @Override
        protected Tensor backwardImpl(Tensor dy) {
            float[] g = dy.data(), x = input().data(), dx = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                int j = bug.equals("index") ? (i + 1) % 3 : i % 3; // wrong weight index
                dx[i] = w.value().data()[j] * g[i];
                if (!(bug.equals("term") && i == 4)) w.grad().data()[i % 3] += g[i] * x[i];
            }
            return new Tensor(dx, dy.shape());
        }

        @Override
        public List<Param> params() {
            return List.of(w);
        }
    }

    /** y = x - mean(x) over all 12 elements; the bug divides the mean of dy by m - 1 (as a batch norm could). */
    private static final class Center extends Layer {
        final boolean bug;

        Center(boolean bug) {
            super("center");
            this.bug = bug;
        }

        @Override
        public int[] outputShape(int[] s) {
            return s.clone();
        }

        @Override
        protected Tensor forwardImpl(Tensor x, boolean training) {
            float[] d = x.data(), y = new float[d.length];
            double mean = 0;
            for (float v : d) mean += v / d.length;
            for (int i = 0; i < d.length; i++) y[i] = (float) (d[i] - mean);
            return new Tensor(y, x.shape());
        }

        @Override
        protected Tensor backwardImpl(Tensor dy) {
            float[] g = dy.data(), dx = new float[g.length];
            double sum = 0;
            for (float v : g) sum += v;
            double meanDy = sum / (bug ? g.length - 1 : g.length);
            for (int i = 0; i < g.length; i++) dx[i] = (float) (g[i] - meanDy);
            return new Tensor(dx, dy.shape());
        }
    }

    @Test
    void aFewPercentOffInATermOfTheMeanFails() {
        assertDoesNotThrow(() -> GradCheck.check(new Center(false), Rand.normal(3, 1f, 2, 6), true, 4));
        GradCheck.GradientMismatch e = assertThrows(GradCheck.GradientMismatch.class,
                () -> GradCheck.check(new Center(true), Rand.normal(3, 1f, 2, 6), true, 4));
        assertTrue(e.tensor().equals("center input") && e.getMessage().contains("relative error"), e.getMessage());
    }

    @Test
    void correctBackwardPasses() {
        assertDoesNotThrow(() -> GradCheck.check(new Scale("none"), Rand.normal(1, 1f, 2, 6), true, 2));
    }

    @Test
    void wrongIndexInInputGradientFails() {
        GradCheck.GradientMismatch e = assertThrows(GradCheck.GradientMismatch.class,
                () -> GradCheck.check(new Scale("index"), Rand.normal(1, 1f, 2, 6), true, 2));
        assertTrue(e.getMessage().contains("scale input"), e.getMessage());
    }

    @Test
    void missingParameterTermFails() {
        GradCheck.GradientMismatch e = assertThrows(GradCheck.GradientMismatch.class,
                () -> GradCheck.check(new Scale("term"), Rand.normal(1, 1f, 2, 6), true, 2));
        assertTrue(e.getMessage().contains("scale.w"), e.getMessage());
    }
}
