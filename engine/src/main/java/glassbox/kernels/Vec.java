package glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise kernels and reductions on flat float arrays, each next to its scalar twin of the same signature
 * (which every kernel runs instead when {@link FastPath} is off).
 *
 * <p>Every vector loop has the same shape (as in mukel/llama3.java): a main loop over whole vectors up to
 * {@code loopBound(len)}, then a scalar tail for the last {@code len % L} elements. Reductions (sum, dot,
 * sumSquares) add in another order than their twins, so they agree only up to float rounding, but they are
 * deterministic. Element-wise kernels agree bit for bit. Output arrays may be the input arrays (in place).
 * Left out: bounds beyond what Java checks anyway, multithreading (callers split large tensors into
 * slices, see {@link glassbox.layers.ReLU}).
 */
public final class Vec {
    private Vec() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    // ---- ReLU ------------------------------------------------------------------------------------------

    /** y[i] = max(x[i], 0) for i in [0, len). */
    public static void relu(float[] x, float[] y, int len) {
        relu(x, y, 0, len);
    }

    /** y[i] = max(x[i], 0) for i in [off, off + len): one slice of a tensor that threads share. */
    public static void relu(float[] x, float[] y, int off, int len) {
        if (!FastPath.on()) {
            reluScalar(x, y, off, len);
            return;
        }
        int i = off, end = off + len;
        for (int bound = off + S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
        }
        for (; i < end; i++) y[i] = Math.max(x[i], 0f);
    }

    public static void reluScalar(float[] x, float[] y, int len) {
        reluScalar(x, y, 0, len);
    }

    public static void reluScalar(float[] x, float[] y, int off, int len) {
        for (int i = off; i < off + len; i++) y[i] = Math.max(x[i], 0f);
    }

    /** dx[i] = x[i] &gt; 0 ? dy[i] : 0: the ReLU backward mask, x being the ReLU's input. */
    public static void reluBackward(float[] x, float[] dy, float[] dx, int len) {
        reluBackward(x, dy, dx, 0, len);
    }

    /** The ReLU backward mask for i in [off, off + len). */
    public static void reluBackward(float[] x, float[] dy, float[] dx, int off, int len) {
        if (!FastPath.on()) {
            reluBackwardScalar(x, dy, dx, off, len);
            return;
        }
        int i = off, end = off + len;
        for (int bound = off + S.loopBound(len); i < bound; i += L) {
            VectorMask<Float> positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(S, dy, i, positive).intoArray(dx, i); // masked-off lanes load as 0
        }
        for (; i < end; i++) dx[i] = x[i] > 0f ? dy[i] : 0f;
    }

    public static void reluBackwardScalar(float[] x, float[] dy, float[] dx, int len) {
        reluBackwardScalar(x, dy, dx, 0, len);
    }

    public static void reluBackwardScalar(float[] x, float[] dy, float[] dx, int off, int len) {
        for (int i = off; i < off + len; i++) dx[i] = x[i] > 0f ? dy[i] : 0f;
    }

    // ---- add, axpy, scale ------------------------------------------------------------------------------

    /** y[i] = a[i] + b[i]. */
    public static void add(float[] a, float[] b, float[] y, int len) {
        if (!FastPath.on()) {
            addScalar(a, b, y, len);
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).intoArray(y, i);
        }
        for (; i < len; i++) y[i] = a[i] + b[i];
    }

    public static void addScalar(float[] a, float[] b, float[] y, int len) {
        for (int i = 0; i < len; i++) y[i] = a[i] + b[i];
    }

    /** y[i] = a[i] + b[i] for i in [off, off + len): one slice of a tensor. */
    public static void add(float[] a, float[] b, float[] y, int off, int len) {
        if (!FastPath.on()) {
            addScalar(a, b, y, off, len);
            return;
        }
        int i = off, end = off + len;
        for (int bound = off + S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).intoArray(y, i);
        }
        for (; i < end; i++) y[i] = a[i] + b[i];
    }

    public static void addScalar(float[] a, float[] b, float[] y, int off, int len) {
        for (int i = off; i < off + len; i++) y[i] = a[i] + b[i];
    }

    /** y[yOff+i] += alpha * x[xOff+i] ("a x plus y", BLAS saxpy), with a fused multiply-add. */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        if (!FastPath.on()) {
            axpyScalar(alpha, x, xOff, y, yOff, len);
            return;
        }
        int i = 0;
        FloatVector a = FloatVector.broadcast(S, alpha);
        for (int bound = S.loopBound(len); i < bound; i += L) {
            a.fma(FloatVector.fromArray(S, x, xOff + i), FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    public static void axpyScalar(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    /** y[i] = alpha * x[i]. */
    public static void scale(float alpha, float[] x, float[] y, int len) {
        if (!FastPath.on()) {
            scaleScalar(alpha, x, y, len);
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, i).mul(alpha).intoArray(y, i);
        }
        for (; i < len; i++) y[i] = alpha * x[i];
    }

    public static void scaleScalar(float alpha, float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) y[i] = alpha * x[i];
    }

    /** y[off+i] = alpha * x[off+i] for i in [0, len): one slice of a tensor. */
    public static void scale(float alpha, float[] x, float[] y, int off, int len) {
        if (!FastPath.on()) {
            scaleScalar(alpha, x, y, off, len);
            return;
        }
        int i = off, end = off + len;
        for (int bound = off + S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, i).mul(alpha).intoArray(y, i);
        }
        for (; i < end; i++) y[i] = alpha * x[i];
    }

    public static void scaleScalar(float alpha, float[] x, float[] y, int off, int len) {
        for (int i = off; i < off + len; i++) y[i] = alpha * x[i];
    }

    // ---- batch norm's affine map -------------------------------------------------------------------------

    /**
     * For i in [off, off + len): {@code x̂ = (x[i] - mean) * inv}, {@code y[i] = gamma * x̂ + beta}, and x̂ kept in
     * {@code xhat[i]} unless xhat is null. Batch normalization of one channel's values, in this order of
     * operations (a multiply and an add, not a fused multiply-add), so that it agrees with its twin bit for bit.
     */
    public static void normalize(float[] x, float[] xhat, float[] y, int off, int len, float mean, float inv, float gamma, float beta) {
        if (!FastPath.on()) {
            normalizeScalar(x, xhat, y, off, len, mean, inv, gamma, beta);
            return;
        }
        int i = off, end = off + len;
        for (int bound = off + S.loopBound(len); i < bound; i += L) {
            FloatVector h = FloatVector.fromArray(S, x, i).sub(mean).mul(inv);
            if (xhat != null) h.intoArray(xhat, i);
            h.mul(gamma).add(beta).intoArray(y, i);
        }
        for (; i < end; i++) {
            float h = (x[i] - mean) * inv;
            if (xhat != null) xhat[i] = h;
            y[i] = gamma * h + beta;
        }
    }

    public static void normalizeScalar(float[] x, float[] xhat, float[] y, int off, int len, float mean, float inv, float gamma, float beta) {
        for (int i = off; i < off + len; i++) {
            float h = (x[i] - mean) * inv;
            if (xhat != null) xhat[i] = h;
            y[i] = gamma * h + beta;
        }
    }

    // ---- reductions ------------------------------------------------------------------------------------

    /** Sum of x[off .. off+len). */
    public static float sum(float[] x, int off, int len) {
        if (!FastPath.on()) return sumScalar(x, off, len);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, x, off + i));
        float s = sumLanes(acc);
        for (; i < len; i++) s += x[off + i];
        return s;
    }

    /**
     * Lane 0 + lane 1 + ... in this fixed order. Not {@code reduceLanes(ADD)}: its order is unspecified, and the
     * interpreted fallback and the C2 intrinsic round differently, so results would change their last bits
     * depending on when the JIT compiled the kernel (caught by VecTest and, on main, as a bias gradient that
     * differed between a cold and a warm call). A fixed order keeps same inputs => same bits.
     */
    private static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int lane = 0; lane < L; lane++) s += v.lane(lane);
        return s;
    }

    public static float sumScalar(float[] x, int off, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) s += x[off + i];
        return s;
    }

    /** Dot product of a[aOff ..] and b[bOff ..] over len elements. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        if (!FastPath.on()) return dotScalar(a, aOff, b, bOff, len);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float s = sumLanes(acc);
        for (; i < len; i++) s = Math.fma(a[aOff + i], b[bOff + i], s);
        return s;
    }

    public static float dotScalar(float[] a, int aOff, float[] b, int bOff, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) s = Math.fma(a[aOff + i], b[bOff + i], s);
        return s;
    }

    /** Sum of squares of x[off .. off+len) (squared L2 norm, e.g. for weight decay or gradient norms). */
    public static float sumSquares(float[] x, int off, int len) {
        if (!FastPath.on()) return sumSquaresScalar(x, off, len);
        return dot(x, off, x, off, len);
    }

    public static float sumSquaresScalar(float[] x, int off, int len) {
        return dotScalar(x, off, x, off, len);
    }

    /**
     * Index (relative to off) of the largest of x[off .. off+len), the first one on ties; NaNs are passed over
     * unless the first element is NaN (then 0), exactly like the scalar {@code >} scan. len must be &gt; 0.
     */
    public static int maxIndex(float[] x, int off, int len) {
        if (!FastPath.on()) return maxIndexScalar(x, off, len);
        if (len < 2 * L) return maxIndexScalar(x, off, len);
        // pass 1: the maximum value; pass 2: where it first occurs
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += L) acc = acc.max(FloatVector.fromArray(S, x, off + i));
        float best = acc.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) best = Math.max(best, x[off + i]);
        if (Float.isNaN(best) || Float.isNaN(x[off])) return maxIndexScalar(x, off, len); // rare: keep the twin's rule
        for (i = 0; i < bound; i += L) {
            int lane = FloatVector.fromArray(S, x, off + i).compare(VectorOperators.EQ, best).firstTrue();
            if (lane < L) return i + lane;
        }
        for (; i < len; i++) if (x[off + i] == best) return i;
        throw new AssertionError("maximum not found");
    }

    public static int maxIndexScalar(float[] x, int off, int len) {
        if (len < 1) throw new IllegalArgumentException("maxIndex of an empty range");
        int best = 0;
        for (int i = 1; i < len; i++) if (x[off + i] > x[off + best]) best = i;
        return best;
    }
}
