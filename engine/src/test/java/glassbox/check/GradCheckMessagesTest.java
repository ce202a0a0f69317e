package glassbox.check;

import glassbox.layers.Layer;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed check tells a student which tensor, which element, both values and the likely cause. Each layer here
 * has a correct backward and planted bugs of the kinds students make; the message must name each.
 */
class GradCheckMessagesTest {
    /** y = x², dy/dx = 2x. Bugs: "sign" (-2x), "factor" (x: the 2 forgotten). */
    static final class Square extends Layer {
        final String bug;

        Square(String bug) {
            super("square");
            this.bug = bug;
        }

        @Override
        public int[] outputShape(int[] s) {
            return s.clone();
        }

        @Override
        protected Tensor forwardImpl(Tensor x, boolean training) {
            float[] y = new float[x.size()];
            for (int i = 0; i < y.length; i++) y[i] = x.data()[i] * x.data()[i];
            return new Tensor(y, x.shape());
        }

        @Override
        protected Tensor backwardImpl(Tensor dy) {
            float[] x = input().data(), g = dy.data(), dx = new float[g.length];
            float k = switch (bug) {
                case "sign" -> -2f;
                case "factor" -> 1f;
                default -> 2f;
            };
            for (int i = 0; i < g.length; i++) dx[i] = k * x[i] * g[i];
            return new Tensor(dx, dy.shape());
        }
    }

    /** y[n, j] = Σ_i W[j, i] x[n, i] + b[j], W [3, 3]. Bugs: "transpose" (dW written as dWᵀ), "mean" (db divided by N). */
    static final class Dense extends Layer {
        final Param w = new Param("dense.weight", Tensor.zeros(3, 3), true), b = new Param("dense.bias", Tensor.zeros(3), false);
        final String bug;

        Dense(String bug) {
            super("dense");
            this.bug = bug;
            Random r = new Random(5);
            for (int i = 0; i < 9; i++) w.value().data()[i] = (float) r.nextGaussian();
            for (int i = 0; i < 3; i++) b.value().data()[i] = (float) r.nextGaussian();
        }

        @Override
        public int[] outputShape(int[] s) {
            return s.clone();
        }

        @Override
        protected Tensor forwardImpl(Tensor x, boolean training) {
            int n = x.dim(0);
            float[] y = new float[n * 3], xd = x.data(), wd = w.value().data();
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < 3; j++) {
                    float sum = b.value().data()[j];
                    for (int i = 0; i < 3; i++) sum += wd[j * 3 + i] * xd[s * 3 + i];
                    y[s * 3 + j] = sum;
                }
            }
            return new Tensor(y, n, 3);
        }

        @Override
        protected Tensor backwardImpl(Tensor dy) {
            int n = dy.dim(0);
            float[] g = dy.data(), x = input().data(), wd = w.value().data(), dx = new float[n * 3];
            float[] dw = w.grad().data(), db = b.grad().data();
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < 3; j++) {
                    float gj = g[s * 3 + j];
                    db[j] += bug.equals("mean") ? gj / n : gj;
                    for (int i = 0; i < 3; i++) {
                        dx[s * 3 + i] += wd[j * 3 + i] * gj;
                        if (bug.equals("transpose")) dw[i * 3 + j] += gj * x[s * 3 + i];
                        else dw[j * 3 + i] += gj * x[s * 3 + i];
                    }
                }
            }
            return new Tensor(dx, dy.shape());
        }

        @Override
        public List<Param> params() {
            return List.of(w, b);
        }
    }

    private static Tensor input(int... shape) {
        Random r = new Random(3);
        float[] x = new float[Tensor.sizeOf(shape)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() + (r.nextBoolean() ? 1 : -1));
        return new Tensor(x, shape);
    }

    private static String failure(Layer l, Tensor x) {
        return assertThrows(GradCheck.GradientMismatch.class, () -> GradCheck.check(l, x, true, 1)).getMessage();
    }

    @Test
    void correctLayersPass() {
        assertDoesNotThrow(() -> GradCheck.check(new Square("none"), input(2, 3, 4), true, 1));
        assertDoesNotThrow(() -> GradCheck.check(new Dense("none"), input(4, 3), true, 1));
    }

    @Test
    void aFlippedSignIsNamed() {
        String m = failure(new Square("sign"), input(2, 3, 4));
        assertTrue(m.startsWith("square input[0]: analytic"), m);
        assertTrue(m.contains("element [0, 0, 0] of the input [2, 3, 4]"), m);
        assertTrue(m.contains("24 of 24 elements checked disagree"), m);
        assertTrue(m.contains("likely cause: analytic = -1.000 × numeric for every element checked: the sign is flipped"), m);
    }

    @Test
    void aMissingFactorTwoIsNamed() {
        String m = failure(new Square("factor"), input(2, 3, 4));
        assertTrue(m.contains("likely cause: analytic = 0.5000 × numeric") && m.contains("a missing factor 2"), m);
    }

    @Test
    void aTransposedWeightGradientIsNamed() {
        String m = failure(new Dense("transpose"), input(4, 3));
        assertTrue(m.startsWith("dense.weight["), m);
        assertTrue(m.contains("of the parameter [3, 3]"), m);
        assertTrue(m.contains("index or transpose"), m);
    }

    @Test
    void aBatchMeanWhereTheForwardSumsIsNamed() {
        String m = failure(new Dense("mean"), input(4, 3));
        assertTrue(m.startsWith("dense.bias["), m);
        assertTrue(m.contains("an extra 1/4"), m);
    }
}
