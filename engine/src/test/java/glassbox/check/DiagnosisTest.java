package glassbox.check;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each common backward bug leaves its own pattern, and the diagnosis names it. */
class DiagnosisTest {
    private static final double[] NUMERIC = {0.8, -1.2, 0.05, 2.0, -0.4, 1.1, -0.7, 0.3};
    private static final double TOL = 5e-3;

    private static double[] scaled(double c) {
        double[] a = NUMERIC.clone();
        for (int i = 0; i < a.length; i++) a[i] *= c;
        return a;
    }

    private static String cause(double[] analytic) {
        return Diagnosis.likelyCause(analytic, NUMERIC, true, TOL);
    }

    @Test
    void namesSignsFactorsAndMeans() {
        assertTrue(cause(scaled(-1)).contains("sign is flipped"), cause(scaled(-1)));
        assertTrue(cause(scaled(2)).contains("extra factor 2"), cause(scaled(2)));
        assertTrue(cause(scaled(0.5)).contains("missing factor 2"), cause(scaled(0.5)));
        assertTrue(cause(scaled(-0.5)).contains("missing factor 2 and the sign is flipped"), cause(scaled(-0.5)));
        assertTrue(cause(scaled(16)).contains("a missing 1/16"), cause(scaled(16)));
        assertTrue(cause(scaled(1 / 32.0)).contains("an extra 1/32"), cause(scaled(1 / 32.0)));
        assertTrue(cause(scaled(1.7)).contains("constant factor"), cause(scaled(1.7)));
    }

    @Test
    void namesPermutationsZerosAndEdgeCases() {
        double[] swapped = NUMERIC.clone();
        swapped[0] = NUMERIC[3];
        swapped[3] = NUMERIC[0];
        swapped[1] = NUMERIC[5];
        swapped[5] = NUMERIC[1];
        assertTrue(cause(swapped).contains("index or transpose"), cause(swapped));
        assertTrue(cause(new double[NUMERIC.length]).contains("never written"));
        assertTrue(Diagnosis.likelyCause(NUMERIC, new double[NUMERIC.length], true, TOL).contains("does forward read"));
        double[] oneWrong = NUMERIC.clone();
        oneWrong[7] = 0;
        assertTrue(cause(oneWrong).contains("only 1 of 8"), cause(oneWrong));
        double[] noise = {0.1, 0.9, -0.3, 0.2, 0.4, -1.0, 0.6, 0.0};
        assertTrue(cause(noise).contains("no simple pattern"), cause(noise));
    }

    @Test
    void coordinatesAreRowMajor() {
        assertEquals("[1, 2, 3, 4]", Diagnosis.coordinates(((1 * 3 + 2) * 4 + 3) * 5 + 4, new int[]{2, 3, 4, 5}));
        assertEquals("[7]", Diagnosis.coordinates(7, new int[]{10}));
    }
}
