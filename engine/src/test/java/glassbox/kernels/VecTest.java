package glassbox.kernels;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Vec kernels against their scalar twins on lengths around the vector width (tails) and with offsets. */
class VecTest {
    /** 0, 1, around 16 and 32 (one and two AVX-512 vectors, also multiples of AVX2's 8), and a long one. */
    private static final int[] LENGTHS = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 100, 1000};

    @Test
    void elementWiseKernelsAreBitIdentical() {
        Random r = new Random(1);
        for (int len : LENGTHS) {
            float[] a = Close.random(r, len + 2), b = Close.random(r, len + 2);
            a[len / 2] = 0f; // exact zero: ReLU's kink goes to the "not positive" side
            float[] y1 = Close.random(r, len + 2), y2 = y1.clone();
            Vec.relu(a, y1, len);
            Vec.reluScalar(a, y2, len);
            assertArrayEquals(y2, y1, "relu len=" + len);
            Vec.reluBackward(a, b, y1, len);
            Vec.reluBackwardScalar(a, b, y2, len);
            assertArrayEquals(y2, y1, "reluBackward len=" + len);
            // a slice [3, 3 + len) of longer arrays: what a thread does with its share of a tensor; the
            // elements around the slice must stay untouched
            float[] xs = Close.random(r, len + 7), ds = Close.random(r, len + 7);
            float[] s1 = Close.random(r, len + 7), s2 = s1.clone();
            Vec.relu(xs, s1, 3, len);
            for (int i = 3; i < 3 + len; i++) s2[i] = Math.max(xs[i], 0f);
            assertArrayEquals(s2, s1, "relu slice len=" + len);
            Vec.reluBackward(xs, ds, s1, 3, len);
            for (int i = 3; i < 3 + len; i++) s2[i] = xs[i] > 0f ? ds[i] : 0f;
            assertArrayEquals(s2, s1, "reluBackward slice len=" + len);
            Vec.add(a, b, y1, len);
            Vec.addScalar(a, b, y2, len);
            assertArrayEquals(y2, y1, "add len=" + len);
            Vec.scale(0.37f, a, y1, len);
            Vec.scaleScalar(0.37f, a, y2, len);
            assertArrayEquals(y2, y1, "scale len=" + len);
            float[] w1 = Close.random(r, len + 7), w2 = w1.clone(), h1 = Close.random(r, len + 7), h2 = h1.clone();
            Vec.scale(0.37f, xs, w1, 3, len);
            Vec.scaleScalar(0.37f, xs, w2, 3, len);
            assertArrayEquals(w2, w1, "scale slice len=" + len);
            Vec.add(xs, ds, w1, 3, len);
            Vec.addScalar(xs, ds, w2, 3, len);
            assertArrayEquals(w2, w1, "add slice len=" + len);
            Vec.normalize(xs, h1, w1, 3, len, 0.2f, 1.7f, -0.6f, 0.3f);
            for (int i = 3; i < 3 + len; i++) {
                h2[i] = (xs[i] - 0.2f) * 1.7f;
                w2[i] = -0.6f * h2[i] + 0.3f;
            }
            assertArrayEquals(w2, w1, "normalize slice len=" + len);
            assertArrayEquals(h2, h1, "normalize x-hat slice len=" + len);
            Vec.normalize(xs, null, w1, 2, len, -0.1f, 0.9f, 1.3f, -0.2f);
            Vec.normalizeScalar(xs, null, w2, 2, len, -0.1f, 0.9f, 1.3f, -0.2f);
            assertArrayEquals(w2, w1, "normalize without x-hat len=" + len);
            float[] z1 = Close.random(r, len + 5), z2 = z1.clone();
            Vec.axpy(-1.5f, a, 2, z1, 3, len);
            Vec.axpyScalar(-1.5f, a, 2, z2, 3, len);
            assertArrayEquals(z2, z1, "axpy len=" + len); // also checks that nothing outside [3, 3+len) moved
        }
    }

    @Test
    void reductionsAgreeUpToRounding() {
        Random r = new Random(2);
        for (int len : LENGTHS) {
            float[] a = Close.random(r, len + 4), b = Close.random(r, len + 4);
            double absSum = 0, absDot = 0;
            for (int i = 0; i < len; i++) {
                absSum += Math.abs(a[i + 1]);
                absDot += Math.abs(a[i + 1] * b[i + 3]);
            }
            double tol = 3e-7 * (len + 2);
            assertEquals(Vec.sumScalar(a, 1, len), Vec.sum(a, 1, len), tol * absSum + 1e-30, "sum len=" + len);
            assertEquals(Vec.dotScalar(a, 1, b, 3, len), Vec.dot(a, 1, b, 3, len), tol * absDot + 1e-30, "dot len=" + len);
            assertEquals(Vec.sumSquaresScalar(a, 1, len), Vec.sumSquares(a, 1, len),
                    tol * Vec.sumSquaresScalar(a, 1, len) + 1e-30, "sumSquares len=" + len);
        }
    }

    @Test
    void reductionsGiveTheSameBitsInterpretedAndCompiled() {
        // reduceLanes(ADD) leaves the order of the lane sum open, and the JIT-compiled code summed in another
        // order than the interpreter: the first and the 20000th call differed in the last bit. Vec fixes the order.
        Random r = new Random(4);
        float[] a = Close.random(r, 301), b = Close.random(r, 301);
        float dot = Vec.dot(a, 0, b, 0, 301), sum = Vec.sum(a, 0, 301);
        for (int t = 0; t < 20000; t++) {
            assertEquals(Float.floatToRawIntBits(dot), Float.floatToRawIntBits(Vec.dot(a, 0, b, 0, 301)), "dot, call " + t);
            assertEquals(Float.floatToRawIntBits(sum), Float.floatToRawIntBits(Vec.sum(a, 0, 301)), "sum, call " + t);
        }
    }

    @Test
    void maxIndexMatchesScalarIncludingTiesAndTails() {
        Random r = new Random(3);
        for (int len : LENGTHS) {
            if (len == 0) continue;
            for (int t = 0; t < 20; t++) {
                float[] x = new float[len + 3];
                for (int i = 0; i < x.length; i++) x[i] = r.nextInt(7) - 3; // many ties
                if (t == 0) x[2 + len - 1] = 99f; // maximum in the very last element (the tail)
                assertEquals(Vec.maxIndexScalar(x, 2, len), Vec.maxIndex(x, 2, len), "len=" + len + " t=" + t);
            }
            float[] withNaN = Close.random(r, len);
            withNaN[len / 2] = Float.NaN;
            assertEquals(Vec.maxIndexScalar(withNaN, 0, len), Vec.maxIndex(withNaN, 0, len), "NaN len=" + len);
        }
        assertThrows(IllegalArgumentException.class, () -> Vec.maxIndex(new float[4], 0, 0));
    }
}
