package glassbox.check;

import glassbox.layers.Layer;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Finite-difference gradient check for one layer (composite layers included: the parameters of its children
 * are checked too), or for any scalar function of an array: does {@code backward} compute the derivative of
 * what {@code forward} computes?
 *
 * <p>The scalar under test is {@code L = Σ r·y} (summed in double) for a fixed random {@code r}, so
 * {@code dL/dy = r}. Each r is a standard normal plus one: a mean of zero would make every term of a backward
 * pass that depends on the mean of dy (batch norm's, a bias's) nearly vanish, and an error in it go unseen.
 * The analytic gradients from {@code backward(r)} are compared with central differences
 * {@code (L(v+h) - L(v-h)) / 2h} for every input element and parameter element (or 300 random ones of a big
 * tensor). Each element must agree to {@code tol} relative to its own size, {@code |analytic - numeric| <=
 * tol · max(|numeric|, floor)}; the floor, {@link #FLOOR} of the largest gradient in the tensor, keeps
 * near-zero elements (where float rounding of the forward pass dominates the difference) from failing on noise.
 * This catches a gradient wrong by a few percent in any element that is not tiny, e.g. batch norm's backward
 * dividing by m - 1 instead of m (60 values per channel: 1.7%). On the engine's layers the largest error of a
 * correct backward was under a fifth of {@link #DEFAULT_TOLERANCE}.
 *
 * <p>Limits: the loss is summed in double but the layer runs in float, so h cannot be much smaller than 1e-2;
 * at a kink (ReLU at 0, two equal maxima in a pooling window) the central difference is not the derivative, so
 * test inputs keep away from kinks by more than h.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Step of the central differences unless given. */
    public static final double DEFAULT_STEP = 1e-2;
    /** Relative tolerance per element unless given (0.5%). */
    public static final double DEFAULT_TOLERANCE = 5e-3;
    /** Elements smaller than this fraction of the tensor's largest gradient are judged against that fraction. */
    public static final double FLOOR = 0.1;
    /** At most this many elements of a tensor are checked (chosen at random beyond). */
    public static final int MAX_CHECKS = 300;

    /**
     * Thrown when an analytic gradient element disagrees with its central difference.
     * An {@link AssertionError}, so test frameworks report it as a failed check.
     */
    public static final class GradientMismatch extends AssertionError {
        private final String tensor;
        private final int index;
        private final double analytic, numeric;
        private final String likelyCause;

        GradientMismatch(String tensor, int[] shape, int index, double analytic, double numeric, double error, double tol,
                         int wrong, int checked, String likelyCause) {
            super(String.format(Locale.ROOT, "%s[%d]: analytic %.6g vs numeric %.6g (relative error %.3g, tolerance %.3g)%n"
                            + "  element %s of %s %s%n"
                            + "  analytic = what your backward computed; numeric = (L(v+h) - L(v-h)) / 2h, the slope of the"
                            + " loss measured by nudging this element%n"
                            + "  %d of %d elements checked disagree%n"
                            + "  likely cause: %s",
                    tensor, index, analytic, numeric, error, tol, Diagnosis.coordinates(index, shape),
                    tensor.endsWith(" input") ? "the input" : "the parameter", Arrays.toString(shape), wrong, checked, likelyCause));
            this.tensor = tensor;
            this.index = index;
            this.analytic = analytic;
            this.numeric = numeric;
            this.likelyCause = likelyCause;
        }

        /** The pattern of the disagreement in words (see {@link Diagnosis}). */
        public String likelyCause() {
            return likelyCause;
        }

        /** Which tensor: "{layer} input" or a parameter name. */
        public String tensor() {
            return tensor;
        }

        /** Flat index of the element. */
        public int index() {
            return index;
        }

        public double analytic() {
            return analytic;
        }

        public double numeric() {
            return numeric;
        }
    }

    /** {@link #check(Layer, Tensor, boolean, long, double, double)} with the default step and tolerance. */
    public static void check(Layer layer, Tensor x, boolean training, long seed) {
        check(layer, x, training, seed, DEFAULT_STEP, DEFAULT_TOLERANCE);
    }

    /**
     * Checks the layer's input gradient and every parameter gradient at input x ({@code training}: the mode of
     * every forward pass), with step h and relative tolerance tol.
     *
     * @throws GradientMismatch at the first element that disagrees
     */
    public static void check(Layer layer, Tensor x, boolean training, long seed, double h, double tol) {
        check(layer, x, training, seed, h, tol, () -> { });
    }

    /**
     * As {@link #check(Layer, Tensor, boolean, long, double, double)}, running {@code beforeForward} before
     * every forward pass, e.g. to reseed a dropout layer so each pass draws the same mask.
     */
    public static void check(Layer layer, Tensor x, boolean training, long seed, double h, double tol, Runnable beforeForward) {
        Random rnd = new Random(seed);
        beforeForward.run();
        Tensor y = layer.forward(x, training);
        float[] r = new float[y.size()];
        for (int i = 0; i < r.length; i++) r[i] = (float) (rnd.nextGaussian() + 1);
        List<Param> params = allParams(layer);
        for (Param p : params) p.zeroGrad();
        Tensor dx = layer.backward(new Tensor(r.clone(), y.shape())).copy();

        DoubleSupplier loss = () -> {
            beforeForward.run();
            return dot(r, layer.forward(x, training).data());
        };
        compare(layer.name() + " input", x.shape(), x.data(), dx.data(), loss, h, tol, rnd);
        for (Param p : params) {
            float[] analytic = p.grad().data().clone();
            compare(p.name(), p.value().shape(), p.value().data(), analytic, loss, h, tol, rnd);
        }
    }

    /** Parameters of the layer and, recursively, of its children. */
    public static List<Param> allParams(Layer layer) {
        List<Param> ps = new ArrayList<>(layer.params());
        for (Layer c : layer.children()) ps.addAll(allParams(c));
        return ps;
    }

    private static double dot(float[] r, float[] y) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (double) r[i] * y[i];
        return s;
    }

    /** {@link #compare(String, int[], float[], float[], DoubleSupplier, double, double, Random)} for a flat array. */
    public static void compare(String what, float[] v, float[] analytic, DoubleSupplier f,
                               double h, double tol, Random rnd) {
        compare(what, new int[]{v.length}, v, analytic, f, h, tol, rnd);
    }

    /**
     * Checks an analytic gradient of any scalar function {@code f} of the values {@code v} (perturbed in
     * place and restored): {@code analytic[i]} must match {@code (f(v+h·e_i) - f(v-h·e_i)) / 2h} to tol relative
     * to its size (see the class comment). {@code rnd} picks the elements when there are more than
     * {@link #MAX_CHECKS}. On a disagreement every chosen element is still measured, so the error can say how many
     * disagree and what pattern they follow ({@link Diagnosis}).
     *
     * @param shape the shape of {@code v}, to name the element in the error as coordinates
     * @throws GradientMismatch at the first element that disagrees
     */
    public static void compare(String what, int[] shape, float[] v, float[] analytic, DoubleSupplier f,
                               double h, double tol, Random rnd) {
        int n = v.length;
        int checks = Math.min(n, MAX_CHECKS);
        double scale = 1e-3;
        for (float a : analytic) scale = Math.max(scale, Math.abs(a));
        double floor = FLOOR * scale;
        double[] as = new double[checks], ns = new double[checks];
        int first = -1, wrong = 0;
        double firstErr = 0;
        int[] idx = new int[checks];
        for (int t = 0; t < checks; t++) {
            int i = n <= MAX_CHECKS ? t : rnd.nextInt(n);
            float old = v[i], up = (float) (old + h), down = (float) (old - h);
            v[i] = up;
            double plus = f.getAsDouble();
            v[i] = down;
            double minus = f.getAsDouble();
            v[i] = old;
            double numeric = (plus - minus) / ((double) up - down); // the step as stored in float, not 2h
            double err = Math.abs(numeric - analytic[i]) / Math.max(Math.abs(numeric), floor);
            idx[t] = i;
            as[t] = analytic[i];
            ns[t] = numeric;
            if (err > tol) {
                wrong++;
                if (first < 0) {
                    first = t;
                    firstErr = err;
                }
            }
        }
        if (first >= 0) {
            throw new GradientMismatch(what, shape, idx[first], as[first], ns[first], firstErr, tol, wrong, checks,
                    Diagnosis.likelyCause(as, ns, n <= MAX_CHECKS, tol));
        }
    }
}
