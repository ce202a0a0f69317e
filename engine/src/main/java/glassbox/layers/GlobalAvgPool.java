package glassbox.layers;

import glassbox.tensor.Tensor;

/**
 * Global average pooling: the mean of each channel over all positions, [N, C, H, W] → [N, C].
 *
 * <p>Used before the classifier of ResNet-style networks (Lin et al. 2014, "Network In Network"), and what
 * makes class activation maps possible. Backward spreads {@code dy / (H·W)} over the plane.
 */
public final class GlobalAvgPool extends Layer {
    public GlobalAvgPool(String name) {
        super(name);
    }

    @Override
    public int[] outputShape(int[] s) {
        requireRank(s, 4, "[N, C, H, W]");
        return new int[]{s[0], s[1]};
    }

    @Override
    protected Tensor forwardImpl(Tensor x, boolean training) {
        int planes = x.dim(0) * x.dim(1), hw = x.dim(2) * x.dim(3);
        Tensor y = newOutput(x.dim(0), x.dim(1)); // [N, C]
        float[] xd = x.data(), yd = y.data();
        for (int p = 0; p < planes; p++) {
            float sum = 0f;
            for (int i = p * hw; i < (p + 1) * hw; i++) sum += xd[i];
            yd[p] = sum / hw;
        }
        return y;
    }

    @Override
    protected Tensor backwardImpl(Tensor dy) {
        int[] s = input().shape();
        int planes = s[0] * s[1], hw = s[2] * s[3];
        Tensor dx = newInputGrad(s); // [N, C, H, W]
        float[] g = dy.data(), d = dx.data();
        for (int p = 0; p < planes; p++) {
            float share = g[p] / hw;
            for (int i = p * hw; i < (p + 1) * hw; i++) d[i] = share;
        }
        return dx;
    }
}
