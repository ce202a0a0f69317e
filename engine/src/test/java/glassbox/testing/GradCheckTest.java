package glassbox.testing;

import glassbox.layers.Layer;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

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

    @Test
    void correctBackwardPasses() {
        assertDoesNotThrow(() -> GradCheck.check(new Scale("none"), Rand.normal(1, 1f, 2, 6), true, 2));
    }

    @Test
    void wrongIndexInInputGradientFails() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> GradCheck.check(new Scale("index"), Rand.normal(1, 1f, 2, 6), true, 2));
        assertTrue(e.getMessage().contains("scale input"), e.getMessage());
    }

    @Test
    void missingParameterTermFails() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> GradCheck.check(new Scale("term"), Rand.normal(1, 1f, 2, 6), true, 2));
        assertTrue(e.getMessage().contains("scale.w"), e.getMessage());
    }
}
