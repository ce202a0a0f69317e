package glassbox.viz.weights;

/**
 * Numbers that describe one convolution kernel {@code [c, kh, kw]}, so that "these filters look like
 * oriented edges, those like colour blobs" becomes measurable.
 *
 * <ul>
 * <li><b>orientation</b> of the edges or stripes the kernel responds to, in degrees in [0, 180): 0 is a
 * horizontal edge, 90 a vertical edge, 45 a "/" diagonal (counter-clockwise as seen on screen). From the
 * structure tensor {@code J = sum (gx, gy)(gx, gy)^T} of the kernel's finite differences summed over channels
 * (Bigün &amp; Granlund 1987): the gradient points along J's main eigenvector, the edge is perpendicular.</li>
 * <li><b>coherence</b> in [0, 1]: {@code (l1 - l2) / (l1 + l2)} of J; 1 for a perfectly oriented kernel,
 * 0 for an isotropic one (a blob, a checkerboard). Orientation means little when coherence is low.</li>
 * <li><b>peak / mean frequency</b> in cycles per pixel (0 .. 0.71): the radial frequency of the strongest
 * non-constant bin of the kernel's 2D DFT power spectrum (summed over channels), and the power-weighted
 * mean radial frequency over all non-constant bins. A k x k kernel resolves frequencies in steps of 1/k.</li>
 * <li><b>dc fraction</b>: share of the energy in the constant (0, 0) bin: high for blob-like kernels.</li>
 * <li><b>colour fraction</b> in [0, 1]: the kernel splits orthogonally into a luminance part (the same
 * pattern in every channel, the channel mean) and a colour part (what differs between channels); this is
 * the colour part's share of the energy. 0 for grey input.</li>
 * <li><b>smoothness</b> in [0, 1]: {@code 1 - D / (lmax E)} with D the summed squared differences of
 * horizontal and vertical neighbours, E the energy and lmax = 4 + 2cos(pi/kh) + 2cos(pi/kw) the largest
 * eigenvalue of the grid's graph Laplacian, so a constant kernel scores 1 and the roughest possible one 0.</li>
 * <li><b>norm</b>: the L2 norm (near-zero norms flag dead kernels).</li>
 * </ul>
 * Leaves out phase (even/odd, i.e. line vs edge detectors) and any measure of scale beyond frequency.
 */
public record KernelStats(double orientation, double coherence, double peakFrequency, double meanFrequency,
                          double dcFraction, double colourFraction, double smoothness, double norm) {

    /** Statistics of the kernel {@code w[off ..]} laid out {@code [c, kh, kw]}. */
    public static KernelStats of(float[] w, int off, int c, int kh, int kw) {
        int plane = kh * kw;
        double energy = 0;
        for (int i = 0; i < c * plane; i++) energy += (double) w[off + i] * w[off + i];
        if (energy == 0) return new KernelStats(0, 0, 0, 0, 0, 0, 1, 0);

        // Structure tensor over the (kh-1) x (kw-1) cells, y pointing up so angles read as on screen.
        double jxx = 0, jyy = 0, jxy = 0;
        for (int ch = 0; ch < c; ch++) {
            int o = off + ch * plane;
            for (int y = 0; y + 1 < kh; y++) {
                for (int x = 0; x + 1 < kw; x++) {
                    double a = w[o + y * kw + x], b = w[o + y * kw + x + 1];
                    double cc = w[o + (y + 1) * kw + x], d = w[o + (y + 1) * kw + x + 1];
                    double gx = ((b - a) + (d - cc)) / 2;
                    double gyUp = -((cc - a) + (d - b)) / 2; // rows grow downwards; flip to y-up
                    jxx += gx * gx;
                    jyy += gyUp * gyUp;
                    jxy += gx * gyUp;
                }
            }
        }
        double gradAngle = 0.5 * Math.atan2(2 * jxy, jxx - jyy);
        double orientation = Math.toDegrees(gradAngle) + 90; // edges run perpendicular to the gradient
        orientation = ((orientation % 180) + 180) % 180;
        double tr = jxx + jyy;
        double coherence = tr == 0 ? 0 : Math.sqrt((jxx - jyy) * (jxx - jyy) + 4 * jxy * jxy) / tr;

        // Power spectrum summed over channels.
        double[] power = Dft.power(w, off, c, kh, kw); // [kh, kw], bin (0,0) = constant
        double total = 0, weighted = 0, best = -1, peak = 0;
        for (int u = 0; u < kh; u++) {
            for (int v = 0; v < kw; v++) {
                if (u == 0 && v == 0) continue;
                double p = power[u * kw + v], f = Dft.radialFrequency(u, v, kh, kw);
                total += p;
                weighted += p * f;
                if (p > best + 1e-12 * (1 + best)) {
                    best = p;
                    peak = f;
                }
            }
        }
        double dcFraction = power[0] / (power[0] + total);
        double meanFrequency = total == 0 ? 0 : weighted / total;
        if (total == 0) peak = 0;

        // Luminance (channel mean) vs colour (deviation from it): orthogonal, energies add up.
        double colour = 0;
        if (c > 1) {
            for (int i = 0; i < plane; i++) {
                double mean = 0;
                for (int ch = 0; ch < c; ch++) mean += w[off + ch * plane + i];
                mean /= c;
                for (int ch = 0; ch < c; ch++) {
                    double dev = w[off + ch * plane + i] - mean;
                    colour += dev * dev;
                }
            }
        }

        double diff = 0;
        for (int ch = 0; ch < c; ch++) {
            int o = off + ch * plane;
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    double v = w[o + y * kw + x];
                    if (x + 1 < kw) diff += sq(w[o + y * kw + x + 1] - v);
                    if (y + 1 < kh) diff += sq(w[o + (y + 1) * kw + x] - v);
                }
            }
        }
        double lmax = laplacianMax(kh) + laplacianMax(kw);
        double smoothness = lmax == 0 ? 1 : Math.max(0, 1 - diff / (lmax * energy));

        return new KernelStats(orientation, coherence, peak, meanFrequency, dcFraction, colour / energy, smoothness, Math.sqrt(energy));
    }

    /** Largest eigenvalue of the Laplacian of a path of n nodes: 2 + 2cos(pi/n) (0 for a single node). */
    private static double laplacianMax(int n) {
        return n <= 1 ? 0 : 2 + 2 * Math.cos(Math.PI / n);
    }

    private static double sq(double v) {
        return v * v;
    }
}
