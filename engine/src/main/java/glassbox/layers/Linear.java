package glassbox.layers;

import glassbox.kernels.Gemm;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;

import java.util.List;

/**
 * Fully connected layer: {@code y = x·Wᵀ + b}.
 *
 * <p>Shapes: x [N, in], W [out, in] (PyTorch's layout, so row {@code o} is the template of output
 * {@code o}), b [out], y [N, out]. Weights start at zero; an initializer (see {@code glassbox.model.Init})
 * sets them.
 */
public final class Linear extends Layer {
    private final int in, out;
    private final Param weight, bias;

    public Linear(String name, int in, int out) {
        super(name);
        this.in = in;
        this.out = out;
        this.weight = new Param(name + ".weight", Tensor.zeros(out, in), true);
        this.bias = new Param(name + ".bias", Tensor.zeros(out), false);
    }

    @Override
    public int[] outputShape(int[] s) {
        requireRank(s, 2, "[N, features]");
        if (s[1] != in) throw new ShapeException(name() + " (Linear " + in + "->" + out + ") got " + s[1] + " input features, input shape " + java.util.Arrays.toString(s));
        return new int[]{s[0], out};
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        int n = x.dim(0);
        Tensor y = newOutput(n, out);
        float[] yd = y.data(), b = bias.value().data();
        for (int i = 0; i < n; i++) System.arraycopy(b, 0, yd, i * out, out);
        // y[N,out] += x[N,in] · W[out,in]ᵀ
        Gemm.gemm(false, true, n, out, in, x.data(), 0, in, weight.value().data(), 0, in, yd, 0, out, true);
        return y;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        int n = dy.dim(0);
        float[] x = input().data(), g = dy.data();
        if (computesParamGradients()) {
            // dW[out,in] += dyᵀ[out,N] · x[N,in]
            Gemm.gemm(true, false, out, in, n, g, 0, out, x, 0, in, weight.grad().data(), 0, in, true);
            float[] db = bias.grad().data();
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < out; o++) db[o] += g[i * out + o];
            }
        }
        if (!computesInputGradient()) return null; // first layer in training: dL/dx is not needed
        // dx[N,in] = dy[N,out] · W[out,in]
        Tensor dx = newInputGrad(n, in);
        Gemm.gemm(false, false, n, in, out, g, 0, out, weight.value().data(), 0, in, dx.data(), 0, in, false);
        return dx;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }
}
