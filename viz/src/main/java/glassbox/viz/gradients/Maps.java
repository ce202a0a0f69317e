package glassbox.viz.gradients;

/**
 * Small array operations on [C, H, W] planes shared by the methods: reductions over channels, bilinear
 * upsampling (PyTorch's {@code align_corners=False}), Gaussian blur and circular shifts. Plain loops; the
 * maps are small.
 */
public final class Maps {
    private Maps() {
    }

    /** max over channels of |v| [H*W] from [C, H*W]: vanilla saliency's reduction (Simonyan et al. 2014). */
    public static float[] maxAbsOverChannels(float[] v, int c, int hw) {
        float[] m = new float[hw];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < hw; i++) m[i] = Math.max(m[i], Math.abs(v[ch * hw + i]));
        }
        return m;
    }

    /** Sum over channels [H*W] from [C, H*W]: keeps signs (signed gradient, gradient x input, IG). */
    public static float[] sumOverChannels(float[] v, int c, int hw) {
        float[] m = new float[hw];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < hw; i++) m[i] += v[ch * hw + i];
        }
        return m;
    }

    /**
     * Bilinear resize of one [h, w] plane to [H, W], with the convention of PyTorch's
     * {@code F.interpolate(mode="bilinear", align_corners=False)} (and OpenCV's {@code resize}): pixel
     * centres are aligned, source coordinate {@code (dst + 0.5) * h / H - 0.5}, clamped at 0 below and to
     * the last row/column above. Corner pixels are therefore NOT pinned to the source's corner values when
     * upsampling (that is {@code align_corners=True}).
     */
    public static float[] bilinear(float[] src, int h, int w, int outH, int outW) {
        float[] out = new float[outH * outW];
        double sy = (double) h / outH, sx = (double) w / outW;
        for (int y = 0; y < outH; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, h - 1), y1 = Math.min(y0 + 1, h - 1);
            double ly = fy - y0;
            for (int x = 0; x < outW; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, w - 1), x1 = Math.min(x0 + 1, w - 1);
                double lx = fx - x0;
                double top = (1 - lx) * src[y0 * w + x0] + lx * src[y0 * w + x1];
                double bottom = (1 - lx) * src[y1 * w + x0] + lx * src[y1 * w + x1];
                out[y * outW + x] = (float) ((1 - ly) * top + ly * bottom);
            }
        }
        return out;
    }

    /**
     * Gaussian blur of every [H, W] plane of [C, H, W] (separable, kernel radius ceil(3 sigma), borders
     * replicated). sigma &lt;= 0 returns a copy.
     */
    public static float[] gaussianBlur(float[] v, int c, int h, int w, double sigma) {
        if (sigma <= 0) return v.clone();
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        float[] tmp = new float[v.length], out = new float[v.length];
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int i = -r; i <= r; i++) s += k[i + r] * v[base + y * w + Math.clamp(x + i, 0, w - 1)];
                    tmp[base + y * w + x] = (float) s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int i = -r; i <= r; i++) s += k[i + r] * tmp[base + Math.clamp(y + i, 0, h - 1) * w + x];
                    out[base + y * w + x] = (float) s;
                }
            }
        }
        return out;
    }

    /** Circular shift of every [H, W] plane of [C, H, W] by (dy, dx): out[y + dy][x + dx] = v[y][x]. */
    public static float[] roll(float[] v, int c, int h, int w, int dy, int dx) {
        float[] out = new float[v.length];
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int y = 0; y < h; y++) {
                int ty = Math.floorMod(y + dy, h);
                for (int x = 0; x < w; x++) out[base + ty * w + Math.floorMod(x + dx, w)] = v[base + y * w + x];
            }
        }
        return out;
    }

    /** Element-wise product. */
    public static float[] times(float[] a, float[] b) {
        float[] p = new float[a.length];
        for (int i = 0; i < a.length; i++) p[i] = a[i] * b[i];
        return p;
    }
}
