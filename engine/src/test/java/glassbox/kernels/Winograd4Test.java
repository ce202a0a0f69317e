package glassbox.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Winograd F(4x4, 3x3) against the seven-loop definitions {@link Conv#forwardScalar} and
 * {@link Conv#backwardInputScalar}. The tolerance is relative to the same sum over absolute values, as in
 * {@link WinogradTest}, with a larger {@link #FACTOR}: the 6x6 transforms multiply by up to 5 and 8 and G holds
 * sixths, so the terms before they cancel are larger.
 */
class Winograd4Test {
    private static final int THREADS = Parallel.threads();
    /** Tolerance = FACTOR times ConvTest's (3e-7 per term); worstErrorIsReported prints how much of it is used. */
    private static final double FACTOR = 40;

    @AfterEach
    void restore() {
        Parallel.setThreads(THREADS);
        FastPath.set(true);
    }

    /** Sizes 1..4 off multiples of 4 (partial edge tiles), channels off multiples of 8/16, tile rows crossing images. */
    private static List<ConvShape> shapes() {
        Random r = new Random(78);
        List<ConvShape> list = new ArrayList<>();
        int[] sizes = {1, 2, 3, 5, 6, 7, 31, 4, 8, 9, 16, 13};
        for (int t = 0; t < 24; t++) {
            int h = sizes[t % sizes.length], w = sizes[(t * 7 + 3) % sizes.length];
            list.add(new ConvShape(1 + t % 5, 1 + r.nextInt(20), h, w, 1 + r.nextInt(20), 3, 1, 1));
        }
        list.add(new ConvShape(2, 33, 31, 17, 19, 3, 1, 1));  // odd everything
        list.add(new ConvShape(3, 16, 32, 32, 16, 3, 1, 1));  // resnet20 stage 1: 8 tiles a row, 2 rows a vector
        list.add(new ConvShape(6, 16, 16, 16, 32, 3, 1, 1));  // stage 2: 4 tiles a row
        list.add(new ConvShape(33, 8, 8, 8, 8, 3, 1, 1));     // stage 3 layout: 2 tiles a row, many images, several groups
        list.add(new ConvShape(2, 5, 7, 70, 6, 3, 1, 1));     // wider than one vector of tiles (18 a row)
        list.add(new ConvShape(1, 1, 1, 1, 1, 3, 1, 1));
        return list;
    }

    private static int inLen(ConvShape s) {
        return s.n() * s.cin() * s.h() * s.w();
    }

    private static int outLen(ConvShape s) {
        return s.n() * s.cout() * s.h() * s.w();
    }

    private static double tol(int terms) {
        return FACTOR * 3e-7 * (terms + 2);
    }

    private static void forward(ConvShape s, float[] x, float[] w, float[] b, float[] y) {
        Winograd4.forwardTransformed(s, x, w, Winograd4.transformedWeights(w, s.cout(), s.cin(), false), b, y);
    }

    private static void backwardInput(ConvShape s, float[] dy, float[] w, float[] dx) {
        Winograd4.backwardInputTransformed(s, dy, w, Winograd4.transformedWeights(w, s.cout(), s.cin(), true), dx);
    }

    @Test
    void forwardAgreesWithTheDefinitionOnOneAndTwoThreads() {
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            Random r = new Random(40 + threads);
            for (ConvShape s : shapes()) {
                float[] x = Close.random(r, inLen(s)), w = Close.random(r, s.cout() * s.cin() * 9);
                float[] b = r.nextBoolean() ? Close.random(r, s.cout()) : null;
                float[] expected = new float[outLen(s)], got = Close.random(r, outLen(s)), mag = new float[outLen(s)];
                Conv.forwardScalar(s, x, w, b, expected);
                forward(s, x, w, b, got); // got starts as garbage: y must be overwritten
                Conv.forwardScalar(s, Close.abs(x), Close.abs(w), b == null ? null : Close.abs(b), mag);
                Close.assertClose("forward " + s + " bias=" + (b != null) + " threads=" + threads,
                        expected, got, mag, tol(s.cin() * 9));
            }
        }
    }

    @Test
    void backwardInputAgreesWithTheDefinitionOnOneAndTwoThreads() {
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            Random r = new Random(50 + threads);
            for (ConvShape s : shapes()) {
                float[] dy = Close.random(r, outLen(s)), w = Close.random(r, s.cout() * s.cin() * 9);
                float[] expected = new float[inLen(s)], got = Close.random(r, inLen(s)), mag = new float[inLen(s)];
                Conv.backwardInputScalar(s, dy, w, expected);
                backwardInput(s, dy, w, got);
                Conv.backwardInputScalar(s, Close.abs(dy), Close.abs(w), mag);
                Close.assertClose("backwardInput " + s + " threads=" + threads, expected, got, mag, tol(s.cout() * 9));
            }
        }
    }

    @Test
    void worstErrorIsReportedAndLargerThanTheSmallTiles() {
        // prints how much of the tolerance the worst element used, next to F(2x2, 3x3)'s on the same data: the
        // larger tile must really round more (else the 36-product path is not what ran)
        Random r = new Random(9);
        double worst4 = 0, worst2 = 0;
        for (ConvShape s : shapes()) {
            float[] x = Close.random(r, inLen(s)), w = Close.random(r, s.cout() * s.cin() * 9);
            float[] expected = new float[outLen(s)], got4 = new float[outLen(s)], got2 = new float[outLen(s)];
            float[] mag = new float[outLen(s)];
            Conv.forwardScalar(s, x, w, null, expected);
            forward(s, x, w, null, got4);
            Winograd.forward(s, x, w, null, got2);
            Conv.forwardScalar(s, Close.abs(x), Close.abs(w), null, mag);
            for (int i = 0; i < expected.length; i++) {
                double scale = 3e-7 * (s.cin() * 9 + 2) * mag[i] + 1e-30;
                worst4 = Math.max(worst4, Math.abs((double) expected[i] - got4[i]) / scale);
                worst2 = Math.max(worst2, Math.abs((double) expected[i] - got2[i]) / scale);
            }
        }
        System.out.printf("Winograd4Test: worst forward error = %.2f of ConvTest's bound (F(2x2, 3x3): %.2f)%n", worst4, worst2);
        assertTrue(worst4 <= FACTOR, "worst error " + worst4);
        assertTrue(worst4 > worst2, "F(4x4, 3x3) rounded no more than F(2x2, 3x3): " + worst4 + " vs " + worst2);
    }

    @Test
    void bitIdenticalForAnyThreadCountAndRepeat() {
        Random r = new Random(4);
        ConvShape s = new ConvShape(9, 12, 13, 11, 20, 3, 1, 1);
        float[] x = Close.random(r, inLen(s)), w = Close.random(r, s.cout() * s.cin() * 9), b = Close.random(r, s.cout());
        float[][] runs = new float[3][];
        for (int t = 0; t < 3; t++) {
            Parallel.setThreads(t == 0 ? 1 : 2);
            float[] y = new float[outLen(s)], dx = new float[inLen(s)];
            forward(s, x, w, b, y);
            backwardInput(s, y, w, dx);
            runs[t] = Close.concat(y, dx);
        }
        assertArrayEquals(runs[0], runs[1]);
        assertArrayEquals(runs[1], runs[2]);
    }

    @Test
    void scalarPathWhenTheFastPathIsOff() {
        Random r = new Random(3);
        ConvShape s = new ConvShape(2, 5, 6, 7, 4, 3, 1, 1);
        float[] x = Close.random(r, inLen(s)), w = Close.random(r, s.cout() * s.cin() * 9);
        float[] expected = new float[outLen(s)], got = new float[outLen(s)];
        Conv.forwardScalar(s, x, w, null, expected);
        FastPath.set(false);
        forward(s, x, w, null, got);
        assertArrayEquals(expected, got);
    }

    @Test
    void otherGeometriesAndShortArraysAreRefused() {
        ConvShape strided = new ConvShape(1, 4, 8, 8, 4, 3, 2, 1);
        float[] w = new float[4 * 4 * 9];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Winograd4.forwardTransformed(strided, new float[256], w, new float[36 * 16], null, new float[64]));
        assertTrue(e.getMessage().contains("stride 1"), e.getMessage());
        ConvShape s = new ConvShape(1, 4, 8, 8, 4, 3, 1, 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> Winograd4.forwardTransformed(s, new float[256], w, new float[16 * 16], null, new float[256]));
        int needs = Winograd4.transformedWeights(w, 4, 4, false).length; // 36 transforms of 4 x 4 kernels, rows padded to 8
        assertTrue(e.getMessage().contains("u has 256 floats, needs " + needs), e.getMessage());
        assertEquals(36 * 8 * 4, needs);
    }
}
