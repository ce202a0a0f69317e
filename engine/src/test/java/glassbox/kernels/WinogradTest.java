package glassbox.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Winograd F(2x2, 3x3) against the seven-loop definitions {@link Conv#forwardScalar} and
 * {@link Conv#backwardInputScalar}, and the dispatch in {@link Conv} that chooses it.
 *
 * <p>Tolerance: as in ConvTest, each element may differ from the definition by tol times the same sum over
 * absolute values (the magnitude), with tol growing with the length of the sum. Winograd rounds more than a
 * direct sum: each transformed input Bᵀ d B is a sum of up to 4 pixels, each transformed weight G g Gᵀ of up to
 * 9 halved taps, each output Aᵀ M A of up to 9 products' sums, and these intermediate terms can be larger than
 * the terms of the direct sum before they cancel. So the bound is {@link #FACTOR} times ConvTest's.
 */
class WinogradTest {
    private static final int THREADS = Parallel.threads();
    /**
     * Winograd's tolerance = FACTOR times ConvTest's (3e-7 per term of the direct sum). The largest error seen
     * on these shapes was 0.24 of ConvTest's bound, i.e. 0.06 of this one (printed by {@link #worstErrorIsReported}).
     */
    private static final double FACTOR = 4;

    @AfterEach
    void restore() {
        Parallel.setThreads(THREADS);
        ConvPlan.setOverride(ConvPlan.Override.NONE);
        FastPath.set(true);
    }

    /** Odd and tiny images (1, 2, 3, 5, 7, 31: partial edge tiles), channel counts off multiples of 8/16, n = 1..5. */
    private static List<ConvShape> shapes() {
        Random r = new Random(77);
        List<ConvShape> list = new ArrayList<>();
        int[] sizes = {1, 2, 3, 5, 7, 31, 4, 6, 9, 16};
        for (int t = 0; t < 24; t++) {
            int h = sizes[t % sizes.length], w = sizes[(t * 7 + 3) % sizes.length];
            list.add(new ConvShape(1 + t % 5, 1 + r.nextInt(20), h, w, 1 + r.nextInt(20), 3, 1, 1));
        }
        list.add(new ConvShape(2, 33, 31, 17, 19, 3, 1, 1)); // more than one vector of tiles per row, odd everything
        list.add(new ConvShape(3, 16, 8, 8, 16, 3, 1, 1));   // resnet20 stage 3 layout, smaller channels
        list.add(new ConvShape(2, 32, 32, 32, 32, 3, 1, 1)); // smallvgg conv2: several groups per image
        list.add(new ConvShape(1, 1, 1, 1, 1, 3, 1, 1));     // the smallest possible
        // narrow images, several tile rows per vector (packed transforms), rows crossing images and groups:
        list.add(new ConvShape(5, 9, 9, 10, 7, 3, 1, 1));    // tw 5: 3 rows per vector (AVX-512), one lane idle
        list.add(new ConvShape(7, 8, 11, 12, 9, 3, 1, 1));   // tw 6, odd image height
        list.add(new ConvShape(9, 5, 3, 4, 6, 3, 1, 1));     // tw 2: 8 rows per vector
        list.add(new ConvShape(33, 8, 8, 8, 8, 3, 1, 1));    // many images: several groups, rows crossing images
        list.add(new ConvShape(6, 16, 16, 16, 8, 3, 1, 1));  // resnet20 stage 2 layout
        list.add(new ConvShape(2, 5, 7, 64, 6, 3, 1, 1));    // rows of several whole vector pairs read in place (AVX-512: 2 blocks)
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

    @Test
    void forwardAgreesWithTheDefinitionOnOneAndTwoThreads() {
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            Random r = new Random(10 + threads);
            for (ConvShape s : shapes()) {
                float[] x = Close.random(r, inLen(s)), w = Close.random(r, s.cout() * s.cin() * 9);
                float[] b = r.nextBoolean() ? Close.random(r, s.cout()) : null;
                float[] expected = new float[outLen(s)], got = Close.random(r, outLen(s)), mag = new float[outLen(s)];
                Conv.forwardScalar(s, x, w, b, expected);
                Winograd.forward(s, x, w, b, got); // got starts as garbage: y must be overwritten
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
            Random r = new Random(20 + threads);
            for (ConvShape s : shapes()) {
                float[] dy = Close.random(r, outLen(s)), w = Close.random(r, s.cout() * s.cin() * 9);
                float[] expected = new float[inLen(s)], got = Close.random(r, inLen(s)), mag = new float[inLen(s)];
                Conv.backwardInputScalar(s, dy, w, expected);
                Winograd.backwardInput(s, dy, w, got);
                Conv.backwardInputScalar(s, Close.abs(dy), Close.abs(w), mag);
                Close.assertClose("backwardInput " + s + " threads=" + threads, expected, got, mag, tol(s.cout() * 9));
            }
        }
    }

    @Test
    void backwardWeightAgreesWithTheDefinitionAndAccumulates() {
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            Random r = new Random(30 + threads);
            for (ConvShape s : shapes()) {
                float[] x = Close.random(r, inLen(s)), dy = Close.random(r, outLen(s));
                float[] dw0 = Close.random(r, s.cout() * s.cin() * 9), db0 = Close.random(r, s.cout()); // earlier gradients
                float[] dw = dw0.clone(), db = db0.clone(), dwRef = dw0.clone(), dbRef = db0.clone();
                float[] dwMag = Close.abs(dw0), dbMag = Close.abs(db0);
                Winograd.backwardWeight(s, x, dy, dw, db);
                Conv.backwardWeightScalar(s, x, dy, dwRef, dbRef);
                Conv.backwardWeightScalar(s, Close.abs(x), Close.abs(dy), dwMag, dbMag);
                int terms = s.n() * s.h() * s.w();
                Close.assertClose("backwardWeight dW " + s + " threads=" + threads, dwRef, dw, dwMag, tol(terms));
                Close.assertClose("backwardWeight db " + s + " threads=" + threads, dbRef, db, dbMag, tol(terms));
            }
        }
    }

    @Test
    void worstErrorIsReported() {
        // not a bound test: prints how close to the tolerance the worst element came, to keep FACTOR honest
        Random r = new Random(5);
        double worst = 0;
        for (ConvShape s : shapes()) {
            float[] x = Close.random(r, inLen(s)), w = Close.random(r, s.cout() * s.cin() * 9);
            float[] expected = new float[outLen(s)], got = new float[outLen(s)], mag = new float[outLen(s)];
            Conv.forwardScalar(s, x, w, null, expected);
            Winograd.forward(s, x, w, null, got);
            Conv.forwardScalar(s, Close.abs(x), Close.abs(w), null, mag);
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs((double) expected[i] - got[i]) / (tol(s.cin() * 9) * mag[i] + 1e-30));
            }
        }
        System.out.printf("WinogradTest: worst forward error = %.3f of the tolerance%n", worst);
        assertTrue(worst <= 1, "worst error " + worst + " of the tolerance");
        assertTrue(worst > 0, "Winograd agreed with the direct sum to the bit everywhere: is it really running?");
    }

    @Test
    void bitIdenticalForAnyThreadCountAndRepeat() {
        // the groups of tiles depend on the shape only, and no sum is split between threads
        Random r = new Random(4);
        ConvShape s = new ConvShape(5, 12, 13, 11, 20, 3, 1, 1);
        float[] x = Close.random(r, inLen(s)), w = Close.random(r, s.cout() * s.cin() * 9), b = Close.random(r, s.cout());
        float[][] runs = new float[3][];
        for (int t = 0; t < 3; t++) {
            Parallel.setThreads(t == 0 ? 1 : 2);
            float[] y = new float[outLen(s)], dx = new float[inLen(s)];
            Winograd.forward(s, x, w, b, y);
            Winograd.backwardInput(s, y, w, dx);
            runs[t] = Close.concat(y, dx);
        }
        assertArrayEquals(runs[0], runs[1]);
        assertArrayEquals(runs[1], runs[2]);
    }

    @Test
    void sameResultWhenCalledInsideAParallelChunk() {
        Parallel.setThreads(2);
        Random r = new Random(6);
        ConvShape s = new ConvShape(3, 9, 10, 7, 11, 3, 1, 1);
        float[] x = Close.random(r, inLen(s)), w = Close.random(r, s.cout() * s.cin() * 9);
        float[] expected = new float[outLen(s)];
        Winograd.forward(s, x, w, null, expected);
        float[][] y = {new float[outLen(s)], new float[outLen(s)]};
        Parallel.forRange(2, (chunk, from, to) -> {
            for (int i = from; i < to; i++) Winograd.forward(s, x, w, null, y[i]);
        });
        assertArrayEquals(expected, y[0]);
        assertArrayEquals(expected, y[1]);
        // the weight gradient nested: only chunk 0 runs there, so the other chunk's partial sums must be zero
        // (each thread keeps its own from earlier calls), and the result agrees with the definition
        float[] dy = Close.random(r, outLen(s)), dwRef = new float[w.length], dbRef = new float[s.cout()];
        float[] dwMag = new float[w.length], dbMag = new float[s.cout()];
        Conv.backwardWeightScalar(s, x, dy, dwRef, dbRef);
        Conv.backwardWeightScalar(s, Close.abs(x), Close.abs(dy), dwMag, dbMag);
        float[][] dw = {new float[w.length], new float[w.length]};
        Winograd.backwardWeight(s, x, dy, new float[w.length], null); // leaves partial sums behind
        Parallel.forRange(2, (chunk, from, to) -> {
            for (int i = from; i < to; i++) Winograd.backwardWeight(s, x, dy, dw[i], null);
        });
        for (float[] d : dw) Close.assertClose("nested backwardWeight", dwRef, d, dwMag, tol(s.n() * s.h() * s.w()));
    }

    @Test
    void convDispatchesToWinogradForThreeByThreeStrideOnePadOne() {
        ConvShape s = new ConvShape(2, 16, 12, 9, 24, 3, 1, 1);
        assertTrue(Winograd.applies(s) && ConvPlan.of(s).forward() == ConvPlan.Forward.WINOGRAD, "this shape should go to Winograd");
        Random r = new Random(8);
        float[] x = Close.random(r, inLen(s)), w = Close.random(r, s.cout() * s.cin() * 9), b = Close.random(r, s.cout());
        float[] viaConv = new float[outLen(s)], viaWinograd = new float[outLen(s)], viaIm2col = new float[outLen(s)];
        Conv.forward(s, x, w, b, viaConv);
        Winograd.forward(s, x, w, b, viaWinograd);
        ConvPlan.setOverride(ConvPlan.Override.NONE.withWinograd(false));
        Conv.forward(s, x, w, b, viaIm2col);
        assertArrayEquals(viaWinograd, viaConv, "Conv.forward should be Winograd's result to the bit");
        assertFalse(Arrays.equals(viaIm2col, viaConv), "im2col and Winograd round differently: the switch did nothing");

        float[] dxConv = new float[inLen(s)], dxWinograd = new float[inLen(s)], dxIm2col = new float[inLen(s)];
        ConvPlan.setOverride(ConvPlan.Override.NONE);
        Conv.backwardInput(s, viaConv, w, dxConv);
        Winograd.backwardInput(s, viaConv, w, dxWinograd);
        ConvPlan.setOverride(ConvPlan.Override.NONE.withWinograd(false));
        Conv.backwardInput(s, viaConv, w, dxIm2col);
        assertArrayEquals(dxWinograd, dxConv, "Conv.backwardInput should be Winograd's result to the bit");
        assertFalse(Arrays.equals(dxIm2col, dxConv), "im2col and Winograd round differently: the switch did nothing");

        // a forward pass that keeps its im2col matrices stays on im2col (and fills them)
        ConvPlan.setOverride(ConvPlan.Override.NONE);
        float[] cols = new float[(int) Conv.colsLength(s)], viaCols = new float[outLen(s)];
        Conv.forward(s, x, w, b, viaCols, cols);
        assertArrayEquals(viaIm2col, viaCols);
        assertTrue(Arrays.stream(box(cols)).anyMatch(v -> v != 0f), "cols were not filled");
    }

    @Test
    void dispatchLeavesOtherGeometriesAndTheScalarSwitchAlone() {
        assertFalse(Winograd.supports(new ConvShape(1, 16, 8, 8, 16, 3, 2, 1)));
        assertFalse(Winograd.supports(new ConvShape(1, 16, 8, 8, 16, 3, 1, 0)));
        assertFalse(Winograd.supports(new ConvShape(1, 16, 8, 8, 16, 5, 1, 1)));
        assertFalse(Winograd.applies(new ConvShape(1, 3, 8, 8, 32, 3, 1, 1)), "3 input channels: im2col measured faster");
        // FastPath off still means the scalar definition, Winograd or not
        ConvShape s = new ConvShape(1, 16, 6, 6, 16, 3, 1, 1);
        Random r = new Random(9);
        float[] x = Close.random(r, inLen(s)), w = Close.random(r, s.cout() * s.cin() * 9);
        float[] expected = new float[outLen(s)], got = new float[outLen(s)];
        Conv.forwardScalar(s, x, w, null, expected);
        FastPath.set(false);
        Conv.forward(s, x, w, null, got);
        assertArrayEquals(expected, got);
    }

    @Test
    void badInputGivesAClearError() {
        ConvShape strided = new ConvShape(1, 2, 8, 8, 2, 3, 2, 1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Winograd.forward(strided, new float[128], new float[36], null, new float[32]));
        assertTrue(e.getMessage().contains("3x3 kernel, stride 1, padding 1"), e.getMessage());
        ConvShape s = new ConvShape(2, 3, 5, 5, 4, 3, 1, 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> Winograd.backwardInput(s, new float[2 * 4 * 25], new float[4 * 3 * 9], new float[10]));
        assertTrue(e.getMessage().contains("dx has 10 floats, needs 150"), e.getMessage());
    }

    private static Float[] box(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) b[i] = a[i];
        return b;
    }
}
