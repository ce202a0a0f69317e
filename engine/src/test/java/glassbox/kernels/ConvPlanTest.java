package glassbox.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ConvPlan: every route is reachable with small tensors (through the memory threshold) and agrees with the definition. */
class ConvPlanTest {
    @AfterEach
    void restore() {
        FastPath.set(true);
        ConvPlan.setOverride(ConvPlan.Override.NONE);
        Parallel.setThreads(Parallel.threads());
    }

    /** Small shapes that between them meet every rule of the table. */
    private static final List<ConvShape> SHAPES = List.of(
            new ConvShape(3, 2, 9, 11, 5, 3, 2, 1),    // stride 2: im2col only
            new ConvShape(9, 3, 5, 6, 6, 3, 2, 1),     // small plane: grouped
            new ConvShape(2, 8, 20, 20, 8, 3, 1, 1),   // Winograd, < 32 outputs: im2col weight gradient
            new ConvShape(2, 8, 8, 8, 32, 3, 1, 1),    // Winograd for all three passes
            new ConvShape(2, 3, 20, 20, 32, 3, 1, 1),  // 3 inputs: implicit weight gradient
            new ConvShape(5, 3, 8, 8, 6, 3, 1, 1),     // short rows, few channels: wide rows
            new ConvShape(2, 4, 20, 20, 6, 1, 1, 0),   // 1x1: pointwise
            new ConvShape(2, 4, 20, 20, 40, 1, 1, 0)); // 1x1 with >= 32 outputs: transposed pointwise weight gradient

    @Test
    void everyRouteIsReachedAndAgreesWithTheDefinition() {
        Set<Object> reached = new java.util.HashSet<>();
        Random r = new Random(3);
        for (ConvShape s : SHAPES)
            for (boolean training : new boolean[]{false, true})
                for (ConvPlan.Override o : List.of(ConvPlan.Override.NONE, ConvPlan.Override.NONE.withGrouping(false))) {
                    ConvPlan p = ConvPlan.choose(s, 2, training, Long.MAX_VALUE, o);
                    reached.add(p.forward());
                    reached.add(p.inputGradient());
                    reached.add(p.weightGradient());
                    reached.add(p.transposedWeightGradient());
                    check(p, r);
                }
        FastPath.set(false);
        ConvPlan scalar = ConvPlan.choose(SHAPES.get(0), 1, true, Long.MAX_VALUE);
        reached.add(scalar.forward());
        reached.add(scalar.inputGradient());
        reached.add(scalar.weightGradient());
        check(scalar, r);
        FastPath.set(true);
        Set<Object> all = new java.util.HashSet<>(List.of(true, false));
        all.addAll(EnumSet.allOf(ConvPlan.Forward.class));
        all.addAll(EnumSet.allOf(ConvPlan.InputGradient.class));
        all.addAll(EnumSet.allOf(ConvPlan.WeightGradient.class));
        all.removeAll(reached);
        assertEquals(Set.of(), all, "routes no shape reached");
    }

    /** The plan's three passes against the scalar twins (kept cols in between, as a layer runs them). */
    private static void check(ConvPlan p, Random r) {
        ConvShape s = p.shape();
        int in = s.n() * s.cin() * s.h() * s.w(), out = s.n() * s.cout() * s.hout() * s.wout(), wl = s.cout() * s.cin() * s.k() * s.k();
        float[] x = Close.random(r, in), w = Close.random(r, wl), b = Close.random(r, s.cout()), dy = Close.random(r, out);
        float[] y = new float[out], yRef = new float[out], yMag = new float[out], cols = new float[(int) p.colsLength()];
        Conv.forward(p, x, w, b, y, cols);
        Conv.forwardScalar(s, x, w, b, yRef);
        Conv.forwardScalar(s, Close.abs(x), Close.abs(w), Close.abs(b), yMag);
        Close.assertClose("forward " + p, yRef, y, yMag, 4 * 3e-7 * (s.cin() * s.k() * s.k() + 2));
        float[] dw = new float[wl], db = new float[s.cout()], dwRef = new float[wl], dbRef = new float[s.cout()];
        float[] dwMag = new float[wl], dbMag = new float[s.cout()];
        Conv.backwardWeight(p, x, dy, dw, db, cols);
        Conv.backwardWeightScalar(s, x, dy, dwRef, dbRef);
        Conv.backwardWeightScalar(s, Close.abs(x), Close.abs(dy), dwMag, dbMag);
        Close.assertClose("weight gradient " + p, dwRef, dw, dwMag, 4 * 3e-7 * (s.n() * s.hout() * s.wout() + 2));
        Close.assertClose("bias gradient " + p, dbRef, db, dbMag, 4 * 3e-7 * (s.n() * s.hout() * s.wout() + 2));
        float[] dx = Close.random(r, in), dxRef = new float[in], dxMag = new float[in];
        Conv.backwardInput(p, dy, w, dx);
        Conv.backwardInputScalar(s, dy, w, dxRef);
        Conv.backwardInputScalar(s, Close.abs(dy), Close.abs(w), dxMag);
        Close.assertClose("input gradient " + p, dxRef, dx, dxMag, 4 * 3e-7 * (s.cout() * s.k() * s.k() + 2));
    }

    @Test
    void thresholdAndOverridesDecide() {
        ConvShape s = new ConvShape(64, 64, 8, 8, 24, 3, 1, 1); // 8x8, 24 outputs: kept cols would take 9.4 MB
        assertTrue(ConvPlan.choose(s, 1, true, 16L << 20).keepCols());
        assertEquals(ConvPlan.WeightGradient.IM2COL, ConvPlan.choose(s, 1, true, 1L << 20).weightGradient()); // over the limit
        assertEquals(ConvPlan.Forward.WINOGRAD, ConvPlan.choose(s, 1, false, 0).forward());
        assertEquals(ConvPlan.Forward.IM2COL_GROUPED, ConvPlan.choose(s, 1, true, 16L << 20).forward()); // kept cols: written by im2col
        assertEquals(ConvPlan.Forward.IM2COL, ConvPlan.choose(s, 1, false, 0, ConvPlan.Override.parse("winograd")).forward());
        assertEquals(1, ConvPlan.choose(s, 1, true, 16L << 20, ConvPlan.Override.parse("Grouping, winograd")).group());
        assertThrows(IllegalArgumentException.class, () -> ConvPlan.Override.parse("fft"));
        // a plan that does not fit its shape is refused
        assertThrows(IllegalArgumentException.class, () -> new ConvPlan(new ConvShape(1, 8, 8, 8, 8, 5, 1, 2), 1,
                ConvPlan.Forward.WINOGRAD, ConvPlan.InputGradient.COL2IM, ConvPlan.WeightGradient.IM2COL, 1, false));
    }

    @Test
    void theSwitchSendsEveryKernelToItsTwin() {
        FastPath.set(false);
        ConvShape s = new ConvShape(2, 16, 8, 8, 32, 3, 1, 1);
        ConvPlan p = ConvPlan.of(s);
        assertEquals(ConvPlan.Forward.SCALAR, p.forward());
        Random r = new Random(5);
        float[] x = Close.random(r, 2 * 16 * 64), w = Close.random(r, 32 * 16 * 9), y1 = new float[2 * 32 * 64], y2 = new float[y1.length];
        Winograd.forward(s, x, w, null, y1); // called directly: the definition too
        Conv.forwardScalar(s, x, w, null, y2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(y2, y1);
        float[] a = Close.random(r, 37), out = new float[37], ref = new float[37];
        Vec.relu(a, out, 37);
        Vec.reluScalar(a, ref, 37);
        org.junit.jupiter.api.Assertions.assertArrayEquals(ref, out);
        assertEquals(Vec.sumScalar(a, 0, 37), Vec.sum(a, 0, 37)); // same order: same bits
    }
}
