package glassbox.viz.render;

import java.util.Locale;

/** Short number formatting for labels (locale-independent, so output does not depend on the machine). */
public final class Fmt {
    private Fmt() {
    }

    /** About three significant digits: "0.0123", "1.25", "-340", "1.2e-05". */
    public static String num(double v) {
        double a = Math.abs(v);
        if (v == 0) return "0";
        if (a >= 1e4 || a < 1e-3) return String.format(Locale.ROOT, "%.1e", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** Fixed decimals, e.g. {@code fixed(0.5, 2)} is "0.50". */
    public static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
