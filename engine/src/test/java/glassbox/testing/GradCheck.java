package glassbox.testing;

import glassbox.layers.Layer;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finite-difference gradient check for one layer (composite layers included: the parameters of its
 * children are checked too).
 *
 * <p>The scalar under test is {@code L = Σ r·y} for a fixed random {@code r}, so {@code dL/dy = r}.
 * Analytic gradients from {@code backward(r)} are compared with central differences
 * {@code (L(v+h) - L(v-h)) / 2h}, computed in double, for every input element and parameter element
 * (or a random subset for big tensors). The tolerance is relative to the gradient's scale, tight enough
 * that a wrong index or a missing term fails.
 */
public final class GradCheck {
    private GradCheck() {
    }

    public static void check(Layer layer, Tensor x, boolean training, long seed) {
        check(layer, x, training, seed, 1e-2, 2e-2);
    }

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
        for (int i = 0; i < r.length; i++) r[i] = (float) rnd.nextGaussian();
        List<Param> params = allParams(layer);
        for (Param p : params) p.zeroGrad();
        Tensor dx = layer.backward(new Tensor(r.clone(), y.shape())).copy();

        DoubleSupplier loss = () -> {
            beforeForward.run();
            return dot(r, layer.forward(x, training).data());
        };
        compare(layer.name() + " input", x.data(), dx.data(), loss, h, tol, rnd);
        for (Param p : params) {
            float[] analytic = p.grad().data().clone();
            compare(p.name(), p.value().data(), analytic, loss, h, tol, rnd);
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

    /**
     * Checks an analytic gradient of any scalar function {@code f} of the values {@code v} (perturbed in
     * place and restored): {@code analytic[i]} must match {@code (f(v+h·e_i) - f(v-h·e_i)) / 2h}.
     */
    public static void compare(String what, float[] v, float[] analytic, DoubleSupplier f,
                               double h, double tol, Random rnd) {
        int n = v.length;
        int checks = Math.min(n, 300);
        double scale = 1e-3;
        for (float a : analytic) scale = Math.max(scale, Math.abs(a));
        for (int t = 0; t < checks; t++) {
            int i = n <= 300 ? t : rnd.nextInt(n);
            float old = v[i];
            v[i] = (float) (old + h);
            double plus = f.getAsDouble();
            v[i] = (float) (old - h);
            double minus = f.getAsDouble();
            v[i] = old;
            double numeric = (plus - minus) / (2 * h);
            double err = Math.abs(numeric - analytic[i]) / scale;
            if (err > tol) {
                fail(String.format("%s[%d]: analytic %.6g vs numeric %.6g (error %.3g of scale %.3g)",
                        what, i, analytic[i], numeric, err, scale));
            }
        }
    }
}
