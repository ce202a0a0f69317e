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

/** The im2col + GEMM convolution kernels against their seven-loop scalar twins. */
class ConvTest {
    private static final int THREADS = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(THREADS);
        ConvPlan.setOverride(ConvPlan.Override.NONE);
    }

    /** Random geometries: kernels 1/3/5, strides 1/2, paddings 0/1/2, batch 1, non-square, odd channel counts. */
    private static List<ConvShape> shapes() {
        Random r = new Random(2024);
        List<ConvShape> list = new ArrayList<>();
        int[] ks = {1, 3, 5};
        for (int t = 0; t < 30; t++) {
            int k = ks[t % 3], stride = 1 + (t / 3) % 2, pad = (t / 6) % 3;
            int h = k + r.nextInt(9), w = k + r.nextInt(12);
            int n = t % 5 == 0 ? 1 : 1 + r.nextInt(3);
            list.add(new ConvShape(n, 1 + r.nextInt(5), h, w, 1 + r.nextInt(19), k, stride, pad));
        }
        list.add(new ConvShape(2, 1, 28, 28, 6, 5, 1, 2));   // LeNet-5 conv1
        list.add(new ConvShape(2, 6, 14, 14, 16, 5, 1, 0));  // LeNet-5 conv2
        list.add(new ConvShape(1, 32, 16, 16, 64, 3, 1, 1)); // smallvgg block 2 (batch 1: GEMM itself goes parallel)
        list.add(new ConvShape(2, 16, 16, 16, 32, 3, 2, 1)); // resnet20 downsampling conv
        list.add(new ConvShape(2, 16, 16, 16, 32, 1, 2, 0)); // resnet20 1x1 stride-2 projection
        list.add(new ConvShape(2, 16, 32, 32, 32, 3, 2, 1)); // resnet20's first downsampling: rows of 16 outputs, stride 2
        list.add(new ConvShape(2, 3, 37, 41, 5, 3, 2, 1));   // stride 2, 21 outputs a row: a vector and a tail
        list.add(new ConvShape(1, 2, 9, 70, 4, 5, 2, 2));    // 5x5 stride 2, 35 outputs a row
        list.add(new ConvShape(2, 3, 20, 34, 6, 1, 2, 0));   // 1x1 stride 2, 17 outputs a row
        list.add(new ConvShape(3, 24, 7, 9, 17, 1, 1, 0));   // 1x1 stride 1: the no-im2col path
        list.add(new ConvShape(2, 20, 5, 7, 40, 1, 1, 0));   // the same with >= 32 channels: transposed dW
        // stride 1 with >= 32 output channels: dW through ImplicitIm2col; widths and channel counts around the
        // vector width (16) exercise the tiled transpose of dy and its tails, a last B panel narrower than 32
        list.add(new ConvShape(2, 5, 19, 21, 48, 3, 1, 1));
        list.add(new ConvShape(3, 4, 11, 18, 35, 5, 1, 2));
        list.add(new ConvShape(2, 3, 9, 17, 32, 3, 1, 0));
        list.add(new ConvShape(2, 2, 6, 16, 33, 1, 1, 1));   // 1x1 with padding
        return list;
    }

    private static float[] rnd(Random r, int len) {
        return Close.random(r, len);
    }

    private static int inLen(ConvShape s) {
        return s.n() * s.cin() * s.h() * s.w();
    }

    private static int outLen(ConvShape s) {
        return s.n() * s.cout() * s.hout() * s.wout();
    }

    private static int wLen(ConvShape s) {
        return s.cout() * s.cin() * s.k() * s.k();
    }

    /** Both paths of 3x3 / stride 1 / padding 1 shapes: im2col, and Winograd where Conv dispatches to it. */
    private static final boolean[] WINOGRAD_OFF_AND_ON = {false, true};

    /** Whether the plan for s (inference, current override) runs Winograd. */
    private static boolean winograd(ConvShape s) {
        return ConvPlan.of(s).inputGradient() == ConvPlan.InputGradient.WINOGRAD;
    }

    /** Winograd rounds a little more than a direct sum (see WinogradTest): 4x the tolerance when it runs. */
    private static double factor(ConvShape s) {
        return winograd(s) ? 4 : 1;
    }

    @Test
    void forwardAgreesWithScalar() {
        for (boolean winograd : WINOGRAD_OFF_AND_ON) {
            ConvPlan.setOverride(ConvPlan.Override.NONE.withWinograd(winograd));
            Random r = new Random(1);
            for (ConvShape s : shapes()) {
                float[] x = rnd(r, inLen(s)), w = rnd(r, wLen(s)), b = r.nextBoolean() ? rnd(r, s.cout()) : null;
                float[] expected = new float[outLen(s)], got = rnd(r, outLen(s)), mag = new float[outLen(s)];
                Conv.forwardScalar(s, x, w, b, expected);
                Conv.forward(s, x, w, b, got);
                Conv.forwardScalar(s, Close.abs(x), Close.abs(w), b == null ? null : Close.abs(b), mag);
                Close.assertClose("forward " + s + " bias=" + (b != null) + " winograd=" + winograd(s), expected, got, mag,
                        factor(s) * 3e-7 * (s.cin() * s.k() * s.k() + 2));
            }
        }
    }

    @Test
    void backwardInputAgreesWithScalar() {
        for (boolean winograd : WINOGRAD_OFF_AND_ON) {
            ConvPlan.setOverride(ConvPlan.Override.NONE.withWinograd(winograd));
            Random r = new Random(2);
            for (ConvShape s : shapes()) {
                float[] dy = rnd(r, outLen(s)), w = rnd(r, wLen(s));
                float[] expected = new float[inLen(s)], got = rnd(r, inLen(s)), mag = new float[inLen(s)];
                Conv.backwardInputScalar(s, dy, w, expected);
                Conv.backwardInput(s, dy, w, got); // got starts as garbage: dx must be overwritten
                Conv.backwardInputScalar(s, Close.abs(dy), Close.abs(w), mag);
                Close.assertClose("backwardInput " + s + " winograd=" + winograd(s), expected, got, mag,
                        factor(s) * 3e-7 * (s.cout() * s.k() * s.k() + 2));
            }
        }
    }

    @Test
    void backwardWeightAccumulatesAndAgreesWithScalar() {
        Random r = new Random(3);
        for (ConvShape s : shapes()) {
            float[] x = rnd(r, inLen(s)), dy = rnd(r, outLen(s));
            float[] dw0 = rnd(r, wLen(s)), db0 = rnd(r, s.cout()); // earlier gradients: must be kept and added to
            float[] dwExp = dw0.clone(), dbExp = db0.clone(), dw = dw0.clone(), db = db0.clone();
            float[] dwMag = Close.abs(dw0), dbMag = Close.abs(db0);
            Conv.backwardWeightScalar(s, x, dy, dwExp, dbExp);
            Conv.backwardWeight(s, x, dy, dw, db);
            Conv.backwardWeightScalar(s, Close.abs(x), Close.abs(dy), dwMag, dbMag);
            double tol = 3e-7 * (s.n() * s.hout() * s.wout() + 2);
            Close.assertClose("backwardWeight dW " + s, dwExp, dw, dwMag, tol);
            Close.assertClose("backwardWeight db " + s, dbExp, db, dbMag, tol);
            float[] dwNoBias = dw0.clone(), dwExpNoBias = dw0.clone();
            Conv.backwardWeight(s, x, dy, dwNoBias, null);
            Conv.backwardWeightScalar(s, x, dy, dwExpNoBias, null);
            Close.assertClose("backwardWeight dW without bias " + s, dwExpNoBias, dwNoBias, dwMag, tol);
        }
    }

    @Test
    void keptColumnsGiveTheSameBitsAsRebuildingThem() {
        Parallel.setThreads(2);
        ConvPlan.setOverride(ConvPlan.Override.NONE.withWinograd(false)); // im2col against im2col (a forward pass with kept columns never uses Winograd)
        Random r = new Random(6);
        for (ConvShape s : shapes()) {
            float[] x = rnd(r, inLen(s)), w = rnd(r, wLen(s)), b = rnd(r, s.cout()), dy = rnd(r, outLen(s));
            float[] cols = new float[(int) Conv.colsLength(s)];
            float[] y1 = new float[outLen(s)], y2 = new float[outLen(s)];
            Conv.forward(s, x, w, b, y1);
            Conv.forward(s, x, w, b, y2, cols);
            assertArrayEquals(y1, y2, s.toString());
            float[] dw1 = new float[wLen(s)], db1 = new float[s.cout()], dw2 = new float[wLen(s)], db2 = new float[s.cout()];
            Conv.backwardWeight(s, x, dy, dw1, db1);
            Conv.backwardWeight(s, x, dy, dw2, db2, s.k() == 1 && s.stride() == 1 && s.pad() == 0 ? null : cols);
            if (ConvPlan.of(s).weightGradient() == ConvPlan.WeightGradient.IMPLICIT_IM2COL) { // without cols it reads them in place, summing in another order
                float[] dwMag = new float[wLen(s)], dbMag = new float[s.cout()];
                Conv.backwardWeightScalar(s, Close.abs(x), Close.abs(dy), dwMag, dbMag);
                Close.assertClose("implicit dW " + s, dw2, dw1, dwMag, 3e-7 * (s.n() * s.hout() * s.wout() + 2));
                Close.assertClose("implicit db " + s, db2, db1, dbMag, 3e-7 * (s.n() * s.hout() * s.wout() + 2));
                continue;
            }
            assertArrayEquals(dw1, dw2, s.toString());
            assertArrayEquals(db1, db2, s.toString());
        }
        ConvShape small = new ConvShape(2, 1, 5, 5, 1, 3, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> Conv.forward(small, new float[50], new float[9], null,
                new float[50], new float[10]));
    }

    @Test
    void bitIdenticalWhenRepeatedWithTwoThreads() {
        for (boolean winograd : WINOGRAD_OFF_AND_ON) {
            ConvPlan.setOverride(ConvPlan.Override.NONE.withWinograd(winograd));
            bitIdenticalWhenRepeatedWithTwoThreadsOnce();
        }
    }

    private void bitIdenticalWhenRepeatedWithTwoThreadsOnce() {
        Parallel.setThreads(2);
        Random r = new Random(4);
        ConvShape s = new ConvShape(6, 8, 12, 12, 16, 3, 1, 1);
        float[] x = rnd(r, inLen(s)), w = rnd(r, wLen(s)), b = rnd(r, s.cout()), dy = rnd(r, outLen(s));
        float[][] runs = new float[2][];
        for (int t = 0; t < 2; t++) {
            float[] y = new float[outLen(s)], dx = new float[inLen(s)], dw = new float[wLen(s)], db = new float[s.cout()];
            Conv.forward(s, x, w, b, y);
            Conv.backwardInput(s, dy, w, dx);
            Conv.backwardWeight(s, x, dy, dw, db);
            runs[t] = Close.concat(y, dx, dw, db);
        }
        assertArrayEquals(runs[0], runs[1]);
        // forward and backwardInput do not reduce across images: also identical on one thread
        Parallel.setThreads(1);
        float[] y = new float[outLen(s)], dx = new float[inLen(s)];
        Conv.forward(s, x, w, b, y);
        Conv.backwardInput(s, dy, w, dx);
        float[] two = java.util.Arrays.copyOf(runs[0], outLen(s) + inLen(s));
        assertArrayEquals(two, Close.concat(y, dx));
    }

    @Test
    void sameResultWhenCalledInsideAParallelChunk() {
        // nested in another parallel loop every kernel runs inline on its thread (only chunk 0 of its range)
        Parallel.setThreads(2);
        Random r = new Random(6);
        ConvShape s = new ConvShape(4, 3, 9, 9, 5, 3, 1, 1);
        float[] x = rnd(r, inLen(s)), dy = rnd(r, outLen(s)), dw0 = rnd(r, wLen(s)), db0 = rnd(r, s.cout());
        float[] dwExp = dw0.clone(), dbExp = db0.clone(), mag = Close.abs(dw0), magB = Close.abs(db0);
        Conv.backwardWeightScalar(s, x, dy, dwExp, dbExp);
        Conv.backwardWeightScalar(s, Close.abs(x), Close.abs(dy), mag, magB);
        Conv.backwardWeight(s, x, dy, dw0.clone(), db0.clone()); // leaves partials of two chunks behind
        float[][] dw = {dw0.clone(), dw0.clone()}, db = {db0.clone(), db0.clone()};
        Parallel.forRange(2, (chunk, from, to) -> {
            for (int i = from; i < to; i++) Conv.backwardWeight(s, x, dy, dw[i], db[i]);
        });
        for (int i = 0; i < 2; i++) {
            Close.assertClose("nested backwardWeight dW", dwExp, dw[i], mag, 3e-7 * (s.n() * 81 + 2));
            Close.assertClose("nested backwardWeight db", dbExp, db[i], magB, 3e-7 * (s.n() * 81 + 2));
        }
    }

    /**
     * Shapes whose output planes are small enough that several images share one GEMM (checked below), with a
     * batch that is not a multiple of the group size (the last group is smaller, down to one image).
     */
    private static List<ConvShape> groupedShapes() {
        return List.of(
                new ConvShape(7, 3, 5, 6, 5, 3, 1, 1),    // G = 4: groups of 4 and 3, odd plane 5x6
                new ConvShape(5, 4, 9, 7, 6, 3, 2, 1),    // stride 2, padding: groups of 4 and 1
                new ConvShape(9, 5, 4, 3, 7, 1, 1, 0),    // 1x1 stride 1: grouped through im2col, not direct
                new ConvShape(6, 2, 7, 5, 16, 5, 1, 2),   // 5x5 pad 2, 16 channels
                new ConvShape(5, 3, 6, 6, 33, 3, 1, 1),   // >= 32 channels: transposed weight gradient
                new ConvShape(11, 6, 14, 14, 16, 5, 1, 0), // LeNet-5 conv2: groups of 4, 4, 3; dW by dot products
                new ConvShape(5, 64, 8, 8, 8, 3, 1, 1),   // group col too big for one forward GEMM: image by image
                new ConvShape(3, 2, 3, 5, 3, 3, 2, 0));   // 1x2 output plane, stride 2, no padding
    }

    @Test
    void groupedPathsAgreeWithScalarOnOneAndTwoThreads() {
        ConvPlan.setOverride(ConvPlan.Override.NONE.withWinograd(false)); // these are im2col paths; 3x3/s1/p1 shapes would otherwise go to Winograd
        for (int threads : new int[]{1, 2}) {
            Parallel.setThreads(threads);
            Random r = new Random(10 + threads);
            for (ConvShape s : groupedShapes()) {
                assertTrue(ConvPlan.groupSize(s) > 1, "not grouped: " + s);
                String what = s + " G=" + ConvPlan.groupSize(s) + " threads=" + threads;
                float[] x = rnd(r, inLen(s)), w = rnd(r, wLen(s)), b = rnd(r, s.cout()), dy = rnd(r, outLen(s));
                float[] y = new float[outLen(s)], yRef = new float[outLen(s)], yMag = new float[outLen(s)];
                float[] cols = new float[(int) Conv.colsLength(s)], yKept = new float[outLen(s)];
                Conv.forward(s, x, w, b, y);
                Conv.forward(s, x, w, b, yKept, cols);
                Conv.forwardScalar(s, x, w, b, yRef);
                Conv.forwardScalar(s, Close.abs(x), Close.abs(w), Close.abs(b), yMag);
                Close.assertClose("grouped forward " + what, yRef, y, yMag, 3e-7 * (s.cin() * s.k() * s.k() + 2));
                assertArrayEquals(y, yKept, "forward keeping cols " + what);

                float[] dx = rnd(r, inLen(s)), dxRef = new float[inLen(s)], dxMag = new float[inLen(s)];
                Conv.backwardInput(s, dy, w, dx);
                Conv.backwardInputScalar(s, dy, w, dxRef);
                Conv.backwardInputScalar(s, Close.abs(dy), Close.abs(w), dxMag);
                Close.assertClose("grouped backwardInput " + what, dxRef, dx, dxMag, 3e-7 * (s.cout() * s.k() * s.k() + 2));

                float[] dw0 = rnd(r, wLen(s)), db0 = rnd(r, s.cout());
                float[] dw = dw0.clone(), db = db0.clone(), dwKept = dw0.clone(), dbKept = db0.clone();
                float[] dwRef = dw0.clone(), dbRef = db0.clone(), dwMag = Close.abs(dw0), dbMag = Close.abs(db0);
                Conv.backwardWeight(s, x, dy, dw, db);
                Conv.backwardWeight(s, x, dy, dwKept, dbKept, cols);
                Conv.backwardWeightScalar(s, x, dy, dwRef, dbRef);
                Conv.backwardWeightScalar(s, Close.abs(x), Close.abs(dy), dwMag, dbMag);
                double tol = 3e-7 * (s.n() * s.hout() * s.wout() + 2);
                Close.assertClose("grouped backwardWeight dW " + what, dwRef, dw, dwMag, tol);
                Close.assertClose("grouped backwardWeight db " + what, dbRef, db, dbMag, tol);
                if (ConvPlan.of(s).weightGradient() == ConvPlan.WeightGradient.IMPLICIT_IM2COL) { // kept cols against reading them in place: rounding apart
                    Close.assertClose("dW from kept cols " + what, dwRef, dwKept, dwMag, tol);
                    Close.assertClose("db from kept cols " + what, dbRef, dbKept, dbMag, tol);
                } else {
                    assertArrayEquals(dw, dwKept, "dW from kept cols " + what);
                    assertArrayEquals(db, dbKept, "db from kept cols " + what);
                }
            }
        }
    }

    @Test
    void groupedForwardAndInputGradientDoNotDependOnTheThreadCount() {
        ConvPlan.setOverride(ConvPlan.Override.NONE.withWinograd(false));
        // groups are fixed by the shape, and no sum is split between threads: same bits on 1 and 2 threads
        Random r = new Random(12);
        for (ConvShape s : groupedShapes()) {
            float[] x = rnd(r, inLen(s)), w = rnd(r, wLen(s)), b = rnd(r, s.cout()), dy = rnd(r, outLen(s));
            float[][] runs = new float[2][];
            for (int t = 0; t < 2; t++) {
                Parallel.setThreads(t + 1);
                float[] y = new float[outLen(s)], dx = new float[inLen(s)];
                Conv.forward(s, x, w, b, y);
                Conv.backwardInput(s, dy, w, dx);
                runs[t] = Close.concat(y, dx);
            }
            assertArrayEquals(runs[0], runs[1], s.toString());
        }
    }

    @Test
    void groupSizeIsAPowerOfTwoThatFitsTheLimits() {
        assertEquals(4, ConvPlan.groupSize(new ConvShape(64, 6, 14, 14, 16, 5, 1, 0)));  // 4 x 100 <= 512 columns
        assertEquals(8, ConvPlan.groupSize(new ConvShape(64, 64, 8, 8, 64, 3, 1, 1)));  // 8 x 64
        assertEquals(1, ConvPlan.groupSize(new ConvShape(64, 1, 28, 28, 6, 5, 1, 2)));  // 784 > 512: alone
        assertEquals(2, ConvPlan.groupSize(new ConvShape(3, 6, 14, 14, 16, 5, 1, 0)));  // at most the largest
        assertEquals(1, ConvPlan.groupSize(new ConvShape(1, 6, 14, 14, 16, 5, 1, 0)));  // power of two <= n
        ConvPlan.Override noGroups = ConvPlan.Override.NONE.withGrouping(false);
        assertEquals(1, ConvPlan.choose(new ConvShape(64, 64, 8, 8, 64, 3, 1, 1), 1, false, 0, noGroups).group()); // switched off
    }

    @Test
    void im2colThenCol2imIsTheAdjoint() {
        // <col2im(c), x> == <c, im2col(x)>: checks the index arithmetic of both helpers against each other
        Random r = new Random(5);
        for (ConvShape s : shapes()) {
            ConvShape one = new ConvShape(1, s.cin(), s.h(), s.w(), s.cout(), s.k(), s.stride(), s.pad());
            int colLen = s.cin() * s.k() * s.k() * s.hout() * s.wout();
            float[] x = rnd(r, inLen(one)), c = rnd(r, colLen), colX = new float[colLen], back = new float[inLen(one)];
            Conv.im2col(one, x, 0, colX);
            Conv.col2im(one, c, back, 0);
            double lhs = 0, rhs = 0;
            for (int i = 0; i < back.length; i++) lhs += back[i] * (double) x[i];
            for (int i = 0; i < colLen; i++) rhs += c[i] * (double) colX[i];
            assertTrue(Math.abs(lhs - rhs) <= 1e-4 * (1 + Math.abs(lhs)), s + ": " + lhs + " vs " + rhs);
        }
    }

    @Test
    void tooShortArraysGiveAClearError() {
        ConvShape s = new ConvShape(2, 3, 8, 8, 4, 3, 1, 1);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Conv.forward(s, new float[inLen(s) - 1], new float[wLen(s)], null, new float[outLen(s)]));
        assertTrue(e.getMessage().contains("x has " + (inLen(s) - 1) + " floats"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Conv.backwardWeight(s, new float[inLen(s)], new float[outLen(s)], new float[wLen(s)], new float[3]));
        assertTrue(e.getMessage().contains("db has 3 floats, needs 4"), e.getMessage());
    }
}
