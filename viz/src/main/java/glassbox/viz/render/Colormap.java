package glassbox.viz.render;

/**
 * Maps a number in [0, 1] to a colour by linear interpolation between evenly spaced anchor colours.
 *
 * <p>{@link #VIRIDIS} is perceptually uniform and readable in grey and by colour-blind readers (van der Walt
 * &amp; Smith, matplotlib 2.0, 2015): use it for non-negative values such as ReLU activations.
 * {@link #DIVERGING} runs blue - white - red (ColorBrewer RdBu, Brewer 2003): use it for signed values with
 * 0 at the centre (weights, gradients, pre-activation maps). {@link #GRAY} is black to white. The anchors
 * are the published maps sampled at 11 points; leaves out the full 256-entry tables.
 */
public enum Colormap {
    VIRIDIS(0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725),
    DIVERGING(0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f),
    GRAY(0x000000, 0xffffff);

    private final int[] anchors;

    Colormap(int... anchors) {
        this.anchors = anchors;
    }

    /** Colour {@code 0xRRGGBB} for {@code t} in [0, 1] (clamped; NaN maps to magenta so it stands out). */
    public int rgb(double t) {
        if (Double.isNaN(t)) return 0xFF00FF;
        t = Math.max(0, Math.min(1, t));
        double pos = t * (anchors.length - 1);
        int i = Math.min((int) pos, anchors.length - 2);
        double f = pos - i;
        int a = anchors[i], b = anchors[i + 1];
        return Raster.rgb(lerp(a >> 16 & 255, b >> 16 & 255, f), lerp(a >> 8 & 255, b >> 8 & 255, f), lerp(a & 255, b & 255, f));
    }

    private static int lerp(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }

    /** The map suited to values in [min, max]: diverging when they straddle zero, viridis otherwise. */
    public static Colormap forRange(ValueRange r) {
        return r.min() < 0 && r.max() > 0 ? DIVERGING : VIRIDIS;
    }
}
