package glassbox.viz.weights;

/**
 * The 2D discrete Fourier transform of small kernels, computed straight from its definition
 * {@code F(u, v) = sum_y sum_x w(y, x) exp(-2 pi i (u y / kh + v x / kw))}.
 *
 * <p>O(kh^2 kw^2) per channel: a 7x7 kernel costs 2401 complex products, so no FFT is needed. Leaves out
 * windowing: kernels are short enough that edge effects are part of what they are.
 */
final class Dft {
    private Dft() {
    }

    /** {@code |F(u, v)|^2} summed over the c channels of {@code w[off ..]} laid out [c, kh, kw]; result [kh, kw]. */
    static double[] power(float[] w, int off, int c, int kh, int kw) {
        double[] p = new double[kh * kw];
        for (int ch = 0; ch < c; ch++) {
            int o = off + ch * kh * kw;
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) {
                    double re = 0, im = 0;
                    for (int y = 0; y < kh; y++) {
                        for (int x = 0; x < kw; x++) {
                            double phase = -2 * Math.PI * ((double) u * y / kh + (double) v * x / kw);
                            double val = w[o + y * kw + x];
                            re += val * Math.cos(phase);
                            im += val * Math.sin(phase);
                        }
                    }
                    p[u * kw + v] += re * re + im * im;
                }
            }
        }
        return p;
    }

    /** Radial frequency of bin (u, v) in cycles per pixel; bins above n/2 are the negative frequencies. */
    static double radialFrequency(int u, int v, int kh, int kw) {
        double fu = (u <= kh / 2 ? u : u - kh) / (double) kh;
        double fv = (v <= kw / 2 ? v : v - kw) / (double) kw;
        return Math.sqrt(fu * fu + fv * fv);
    }
}
