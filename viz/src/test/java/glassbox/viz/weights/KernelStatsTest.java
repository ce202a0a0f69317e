package glassbox.viz.weights;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class KernelStatsTest {
    /** One grey (single-channel) kernel from rows of numbers, top row first. */
    private static KernelStats grey(float[][] rows) {
        int k = rows.length;
        float[] w = new float[k * rows[0].length];
        for (int y = 0; y < k; y++) System.arraycopy(rows[y], 0, w, y * rows[0].length, rows[0].length);
        return KernelStats.of(w, 0, 1, k, rows[0].length);
    }

    @Test
    void verticalEdgeIsNinetyDegrees() {
        KernelStats s = grey(new float[][]{{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}}); // Sobel x
        assertEquals(90, s.orientation(), 1e-6);
        assertTrue(s.coherence() > 0.75, "Sobel is mostly oriented: " + s.coherence());
        KernelStats pure = grey(new float[][]{{-1, 0, 1}, {-1, 0, 1}, {-1, 0, 1}});
        assertEquals(90, pure.orientation(), 1e-6);
        assertEquals(1, pure.coherence(), 1e-6);
    }

    @Test
    void horizontalAndDiagonalEdges() {
        assertEquals(0, grey(new float[][]{{1, 1, 1}, {0, 0, 0}, {-1, -1, -1}}).orientation() % 180, 1e-6);
        // values grow towards the bottom-right: iso-lines run bottom-left to top-right, a "/" edge
        KernelStats slash = grey(new float[][]{{0, 1, 2}, {1, 2, 3}, {2, 3, 4}});
        assertEquals(45, slash.orientation(), 1e-6);
        KernelStats backslash = grey(new float[][]{{2, 1, 0}, {3, 2, 1}, {4, 3, 2}});
        assertEquals(135, backslash.orientation(), 1e-6);
    }

    @Test
    void rotatedGratingsReportTheirAngle() {
        int k = 7;
        for (int deg = 0; deg < 180; deg += 15) {
            double t = Math.toRadians(deg);
            float[] w = new float[k * k];
            for (int y = 0; y < k; y++) {
                for (int x = 0; x < k; x++) {
                    double xs = x - 3, ysUp = 3 - y;
                    // a step edge along direction deg: sign of the distance to the line
                    w[y * k + x] = (float) Math.tanh(2 * (-Math.sin(t) * xs + Math.cos(t) * ysUp));
                }
            }
            double got = KernelStats.of(w, 0, 1, k, k).orientation();
            double err = Math.abs(((got - deg) % 180 + 270) % 180 - 90);
            assertTrue(err < 6, "edge at " + deg + " deg reported as " + got);
        }
    }

    @Test
    void frequencyOfStripes() {
        float[] w = new float[16];
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) w[y * 4 + x] = x % 2 == 0 ? 1 : -1; // period 2
        KernelStats s = KernelStats.of(w, 0, 1, 4, 4);
        assertEquals(0.5, s.peakFrequency(), 1e-9);
        assertEquals(0.5, s.meanFrequency(), 1e-9);
        assertEquals(0, s.dcFraction(), 1e-9);
        float[] slow = new float[16];
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) slow[y * 4 + x] = x < 2 ? 1 : -1; // period 4
        assertEquals(0.25, KernelStats.of(slow, 0, 1, 4, 4).peakFrequency(), 1e-9);
    }

    @Test
    void smoothnessRunsFromConstantToCheckerboard() {
        float[] flat = new float[25];
        java.util.Arrays.fill(flat, 0.3f);
        assertEquals(1, KernelStats.of(flat, 0, 1, 5, 5).smoothness(), 1e-9);
        float[] checker = new float[25];
        for (int i = 0; i < 25; i++) checker[i] = ((i / 5 + i % 5) % 2 == 0) ? 1 : -1;
        double rough = KernelStats.of(checker, 0, 1, 5, 5).smoothness();
        assertTrue(rough < 0.15, "checkerboard smoothness " + rough);
        float[] noise = new float[25];
        Random r = new Random(1);
        for (int i = 0; i < 25; i++) noise[i] = (float) r.nextGaussian();
        double mid = KernelStats.of(noise, 0, 1, 5, 5).smoothness();
        assertTrue(mid > rough && mid < 0.8, "noise smoothness " + mid);
        assertTrue(KernelStats.of(new float[]{0, 1, 2, 3, 4, 5, 6, 7, 8}, 0, 1, 3, 3).smoothness() > 0.8);
    }

    @Test
    void colourFractionSeparatesColourFromLuminance() {
        int k = 3, p = k * k;
        float[] grey = new float[3 * p], red = new float[3 * p], redGreen = new float[3 * p];
        for (int i = 0; i < p; i++) {
            float v = i % 2 == 0 ? 1 : -0.5f;
            grey[i] = grey[p + i] = grey[2 * p + i] = v;
            red[i] = 1;                       // only the red channel: colour 2/3, luminance 1/3
            redGreen[i] = 1;
            redGreen[p + i] = -1;             // red minus green: pure colour opponency
        }
        assertEquals(0, KernelStats.of(grey, 0, 3, k, k).colourFraction(), 1e-9);
        assertEquals(2.0 / 3, KernelStats.of(red, 0, 3, k, k).colourFraction(), 1e-6);
        assertEquals(1, KernelStats.of(redGreen, 0, 3, k, k).colourFraction(), 1e-6);
        assertEquals(1, KernelStats.of(red, 0, 3, k, k).dcFraction(), 1e-9);
    }

    @Test
    void zeroKernelIsReportedAsDead() {
        KernelStats s = KernelStats.of(new float[9], 0, 1, 3, 3);
        assertEquals(0, s.norm());
        assertEquals(0, s.coherence());
    }

    @Test
    void dftMatchesParsevalAndOffsets() {
        Random r = new Random(3);
        float[] w = new float[4 + 2 * 15];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        double[] p = Dft.power(w, 4, 2, 3, 5);
        double spectral = 0, spatial = 0;
        for (double v : p) spectral += v;
        for (int i = 4; i < w.length; i++) spatial += w[i] * w[i];
        assertEquals(spatial, spectral / 15, 1e-6 * spatial); // Parseval: sum |F|^2 = N sum |w|^2
    }

    @Test
    void noiseBaselineMatchesTheory() {
        // i.i.d. noise: E[D]/E = 4(k-1)/k and lmax = 4 + 4cos(pi/k): for k = 3, 1 - (8/3)/6 = 0.556
        KernelComparison.Summary s = KernelComparison.noiseBaseline(3, 3, 4000);
        assertEquals(1 - (8.0 / 3) / 6, s.meanSmoothness(), 0.01);
        assertEquals(2.0 / 3, s.meanColourFraction(), 0.01); // 2 of 3 dimensions per pixel are colour
        assertEquals(0, KernelComparison.noiseBaseline(1, 5, 500).meanColourFraction(), 1e-12);
        assertTrue(KernelComparison.noiseBaseline(3, 5, 2000).meanCoherence() < s.meanCoherence());
    }

    @Test
    void orientationBinsWrapAround() {
        assertEquals(0, KernelComparison.orientationBin(0));
        assertEquals(0, KernelComparison.orientationBin(179));
        assertEquals(4, KernelComparison.orientationBin(90));
        assertEquals(1, KernelComparison.orientationBin(22.5));
    }
}
