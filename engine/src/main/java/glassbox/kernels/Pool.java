package glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pooling kernels on flat NCHW arrays: max pooling (remembering where each maximum came from), average
 * pooling, and global average pooling, each forward next to its backward, each fast kernel next to its scalar
 * twin of the same signature.
 *
 * <p>Shapes (see {@link PoolShape}): x [n, c, h, w], y [n, c, hout, wout], argmax [n, c, hout, wout] holding the
 * flat index into x of the element each y came from. Backward kernels overwrite dx (windows that overlap,
 * k &gt; stride, add up). The fast versions spread the (image, channel) planes over threads and give exactly
 * the same result as the scalar twins (for max pooling: on inputs without NaN): there is no reordered sum.
 * Only the common 2x2/2 max pooling is vectorized (with gathers); the rest is plain loops, memory-bound.
 * Left out: padding, ceil mode, dilation.
 */
public final class Pool {
    private Pool() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Below this many input elements a kernel stays on one thread. */
    private static final int PARALLEL_MIN = 1 << 15;

    // ---- max pooling -----------------------------------------------------------------------------------

    /** y = max over each window of x; argmax = flat index into x of the (first) maximum. */
    public static void maxForward(PoolShape s, float[] x, float[] y, int[] argmax) {
        require(s, "x", x.length, in(s));
        require(s, "y", y.length, out(s));
        require(s, "argmax", argmax.length, out(s));
        if (!FastPath.on()) {
            maxForwardScalar(s, x, y, argmax);
            return;
        }
        int[] offsets = s.k() == 2 && s.stride() == 2 ? windowOffsets(s) : null;
        forPlanes(s, (from, to) -> {
            for (int p = from; p < to; p++) {
                if (offsets != null) maxPlane2x2(s, p, x, y, argmax, offsets);
                else maxPlane(s, p, x, y, argmax);
            }
        });
    }

    public static void maxForwardScalar(PoolShape s, float[] x, float[] y, int[] argmax) {
        for (int p = 0; p < s.planes(); p++) maxPlane(s, p, x, y, argmax);
    }

    /** One plane, any window: scan the window row by row, keep the first strictly larger value. */
    private static void maxPlane(PoolShape s, int p, float[] x, float[] y, int[] argmax) {
        int ho = s.hout(), wo = s.wout(), in = p * s.h() * s.w(), out = p * ho * wo;
        for (int oy = 0; oy < ho; oy++)
            for (int ox = 0; ox < wo; ox++) {
                int first = in + (oy * s.stride()) * s.w() + ox * s.stride();
                int best = first;
                for (int ky = 0; ky < s.k(); ky++)
                    for (int kx = 0; kx < s.k(); kx++) {
                        int i = first + ky * s.w() + kx;
                        if (x[i] > x[best]) best = i;
                    }
                y[out + oy * wo + ox] = x[best];
                argmax[out + oy * wo + ox] = best;
            }
    }

    /**
     * One plane, the common 2x2 window with stride 2, as a small tournament: the first maximum of the top
     * pair, the first of the bottom pair, and the bottom winner only if strictly larger. For inputs without
     * NaN that is the same winner as maxPlane's scan (first maximum in row order). Vectorized over L outputs
     * at a time: {@code offsets[o]} is where output o's window starts in the plane, so the four corners of L
     * windows are four gathers (a strided 2x2 window does not map onto contiguous lanes). The last
     * {@code (ho*wo) % L} outputs take the same tournament in scalar code.
     */
    private static void maxPlane2x2(PoolShape s, int p, float[] x, float[] y, int[] argmax, int[] offsets) {
        int outs = s.hout() * s.wout(), w = s.w(), in = p * s.h() * w, out = p * outs;
        int o = 0;
        if (I.length() == L) {
            for (int bound = S.loopBound(outs); o < bound; o += L) {
                FloatVector a = FloatVector.fromArray(S, x, in, offsets, o);
                FloatVector b = FloatVector.fromArray(S, x, in + 1, offsets, o);
                FloatVector c = FloatVector.fromArray(S, x, in + w, offsets, o);
                FloatVector d = FloatVector.fromArray(S, x, in + w + 1, offsets, o);
                VectorMask<Float> right = b.compare(VectorOperators.GT, a), rightBelow = d.compare(VectorOperators.GT, c);
                FloatVector top = a.blend(b, right), bottom = c.blend(d, rightBelow);
                VectorMask<Float> lower = bottom.compare(VectorOperators.GT, top);
                top.blend(bottom, lower).intoArray(y, out + o);
                IntVector at = IntVector.fromArray(I, offsets, o).add(in); // flat index of each window's top-left
                IntVector topAt = at.blend(at.add(1), right.cast(I));
                IntVector bottomAt = at.add(w).blend(at.add(w + 1), rightBelow.cast(I));
                topAt.blend(bottomAt, lower.cast(I)).intoArray(argmax, out + o);
            }
        }
        for (; o < outs; o++) {
            int i = in + offsets[o];
            float a = x[i], b = x[i + 1], c = x[i + w], d = x[i + w + 1];
            float top = b > a ? b : a, bottom = d > c ? d : c;
            int topAt = b > a ? i + 1 : i, bottomAt = d > c ? i + w + 1 : i + w;
            boolean lower = bottom > top;
            y[out + o] = lower ? bottom : top;
            argmax[out + o] = lower ? bottomAt : topAt;
        }
    }

    /** offsets[oy*wo + ox] = 2*oy*w + 2*ox: where each 2x2/2 window starts inside a plane. */
    private static int[] windowOffsets(PoolShape s) {
        int[] off = new int[s.hout() * s.wout()];
        for (int oy = 0; oy < s.hout(); oy++)
            for (int ox = 0; ox < s.wout(); ox++) off[oy * s.wout() + ox] = 2 * oy * s.w() + 2 * ox;
        return off;
    }

    /** dx = 0, then each dy goes to the input element that won its window: dx[argmax[o]] += dy[o]. */
    public static void maxBackward(PoolShape s, float[] dy, int[] argmax, float[] dx) {
        require(s, "dy", dy.length, out(s));
        require(s, "argmax", argmax.length, out(s));
        require(s, "dx", dx.length, in(s));
        if (!FastPath.on()) {
            maxBackwardScalar(s, dy, argmax, dx);
            return;
        }
        int inPlane = s.h() * s.w(), outPlane = s.hout() * s.wout();
        forPlanes(s, (from, to) -> { // argmax of plane p points into plane p only: chunks write disjoint dx
            java.util.Arrays.fill(dx, from * inPlane, to * inPlane, 0f);
            for (int o = from * outPlane; o < to * outPlane; o++) dx[argmax[o]] += dy[o];
        });
    }

    public static void maxBackwardScalar(PoolShape s, float[] dy, int[] argmax, float[] dx) {
        java.util.Arrays.fill(dx, 0, s.planes() * s.h() * s.w(), 0f);
        for (int o = 0; o < s.planes() * s.hout() * s.wout(); o++) dx[argmax[o]] += dy[o];
    }

    // ---- average pooling -------------------------------------------------------------------------------

    /** y = mean over each k x k window of x. */
    public static void avgForward(PoolShape s, float[] x, float[] y) {
        require(s, "x", x.length, in(s));
        require(s, "y", y.length, out(s));
        if (!FastPath.on()) {
            avgForwardScalar(s, x, y);
            return;
        }
        forPlanes(s, (from, to) -> {
            for (int p = from; p < to; p++) avgPlane(s, p, x, y);
        });
    }

    public static void avgForwardScalar(PoolShape s, float[] x, float[] y) {
        for (int p = 0; p < s.planes(); p++) avgPlane(s, p, x, y);
    }

    private static void avgPlane(PoolShape s, int p, float[] x, float[] y) {
        int ho = s.hout(), wo = s.wout(), in = p * s.h() * s.w(), out = p * ho * wo;
        float inv = 1f / (s.k() * s.k());
        for (int oy = 0; oy < ho; oy++)
            for (int ox = 0; ox < wo; ox++) {
                int first = in + (oy * s.stride()) * s.w() + ox * s.stride();
                float sum = 0f;
                for (int ky = 0; ky < s.k(); ky++)
                    for (int kx = 0; kx < s.k(); kx++) sum += x[first + ky * s.w() + kx];
                y[out + oy * wo + ox] = sum * inv;
            }
    }

    /** dx = 0, then each dy is shared equally by the k*k inputs of its window. */
    public static void avgBackward(PoolShape s, float[] dy, float[] dx) {
        require(s, "dy", dy.length, out(s));
        require(s, "dx", dx.length, in(s));
        if (!FastPath.on()) {
            avgBackwardScalar(s, dy, dx);
            return;
        }
        forPlanes(s, (from, to) -> {
            for (int p = from; p < to; p++) avgBackPlane(s, p, dy, dx);
        });
    }

    public static void avgBackwardScalar(PoolShape s, float[] dy, float[] dx) {
        for (int p = 0; p < s.planes(); p++) avgBackPlane(s, p, dy, dx);
    }

    private static void avgBackPlane(PoolShape s, int p, float[] dy, float[] dx) {
        int ho = s.hout(), wo = s.wout(), in = p * s.h() * s.w(), out = p * ho * wo;
        java.util.Arrays.fill(dx, in, in + s.h() * s.w(), 0f);
        float inv = 1f / (s.k() * s.k());
        for (int oy = 0; oy < ho; oy++)
            for (int ox = 0; ox < wo; ox++) {
                int first = in + (oy * s.stride()) * s.w() + ox * s.stride();
                float g = dy[out + oy * wo + ox] * inv;
                for (int ky = 0; ky < s.k(); ky++)
                    for (int kx = 0; kx < s.k(); kx++) dx[first + ky * s.w() + kx] += g;
            }
    }

    // ---- global average pooling ------------------------------------------------------------------------

    /** y[p] = mean of plane p of x, for planes p in [0, planes) of size elements each (x [n, c, h, w] to y [n, c]). */
    public static void globalAvgForward(int planes, int size, float[] x, float[] y) {
        if (!FastPath.on()) {
            globalAvgForwardScalar(planes, size, x, y);
            return;
        }
        float inv = 1f / size;
        for (int p = 0; p < planes; p++) y[p] = Vec.sum(x, p * size, size) * inv;
    }

    public static void globalAvgForwardScalar(int planes, int size, float[] x, float[] y) {
        float inv = 1f / size;
        for (int p = 0; p < planes; p++) y[p] = Vec.sumScalar(x, p * size, size) * inv;
    }

    /** dx[p, i] = dy[p] / size: every element of a plane had the same share of its mean. */
    public static void globalAvgBackward(int planes, int size, float[] dy, float[] dx) {
        if (!FastPath.on()) {
            globalAvgBackwardScalar(planes, size, dy, dx);
            return;
        }
        float inv = 1f / size;
        for (int p = 0; p < planes; p++) java.util.Arrays.fill(dx, p * size, (p + 1) * size, dy[p] * inv);
    }

    public static void globalAvgBackwardScalar(int planes, int size, float[] dy, float[] dx) {
        float inv = 1f / size;
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < size; i++) dx[p * size + i] = dy[p] * inv;
    }

    // ---------------------------------------------------------------------------------------------------

    private static long in(PoolShape s) {
        return (long) s.planes() * s.h() * s.w();
    }

    private static long out(PoolShape s) {
        return (long) s.planes() * s.hout() * s.wout();
    }

    private static void require(PoolShape s, String what, int length, long needed) {
        if (length < needed) {
            throw new IllegalArgumentException("pool: " + what + " has " + length + " elements, needs " + needed + " for " + s);
        }
    }

    private interface PlaneRange {
        void run(int fromPlane, int toPlane);
    }

    /** Runs body over all planes, split over threads when the input is large enough to repay it. */
    private static void forPlanes(PoolShape s, PlaneRange body) {
        if ((long) s.planes() * s.h() * s.w() < PARALLEL_MIN) body.run(0, s.planes());
        else Parallel.forRange(s.planes(), (chunk, from, to) -> body.run(from, to));
    }
}
