package glassbox.layers;

import glassbox.tensor.Tensor;
import glassbox.check.GradCheck;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutTest {
    @Test
    void gradientsWithFixedSeed() {
        Dropout d = new Dropout("drop", 0.3f);
        GradCheck.check(d, Rand.normal(1, 1f, 4, 50), true, 2, 1e-2, 2e-2, () -> d.setSeed(7));
    }

    @Test
    void dropsAboutPAndScalesSurvivors() {
        Dropout d = new Dropout("drop", 0.25f);
        Tensor y = d.forward(Tensor.zeros(10, 1000).fill(1f), true);
        int zeros = 0;
        for (float v : y.data()) {
            if (v == 0f) zeros++;
            else assertEquals(1f / 0.75f, v, 0f);
        }
        assertEquals(0.25, zeros / 10000.0, 0.02);
    }

    @Test
    void sameSeedSameMasksAndEvalIsIdentity() {
        Dropout a = new Dropout("drop", 0.5f), b = new Dropout("drop", 0.5f);
        Tensor x = Rand.normal(3, 1f, 8, 16);
        a.setSeed(42);
        b.setSeed(42);
        assertArrayEquals(a.forward(x, true).data(), b.forward(x, true).data());
        a.setSeed(42);
        float[] first = a.forward(x, true).data().clone();
        float[] second = a.forward(x, true).data().clone();
        assertFalse(java.util.Arrays.equals(first, second), "the mask changes from call to call");
        a.setSeed(42);
        assertArrayEquals(first, a.forward(x, true).data(), "reseeding repeats the masks");
        a.setSeed(43);
        assertFalse(java.util.Arrays.equals(first, a.forward(x, true).data()), "another seed, another mask");
        assertSame(x, a.forward(x, false));
        Tensor dy = Rand.normal(4, 1f, 8, 16);
        assertSame(dy, a.backward(dy));
    }

    @Test
    void rejectsBadProbability() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout("drop", 1f));
        assertTrue(e.getMessage().contains("drop"));
    }
}
