package glassbox.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LrScheduleTest {
    @Test
    void oneCycleMatchesPyTorchShape() {
        // torch OneCycleLR(max_lr=0.05, total_steps=100): 0.002 at 0, 0.05 at 29, 0.0499748 at 30, 0.0396947 at 50, 2e-7 at 99
        LrSchedule s = new LrSchedule.OneCycle(0.05, 100);
        assertEquals(0.002, s.at(0), 1e-12);
        assertEquals(0.05, s.at(29), 1e-12);
        assertEquals(0.04997482676422622, s.at(30), 1e-12);
        assertEquals(0.0396946725287866, s.at(50), 1e-12);
        assertEquals(2e-7, s.at(99), 1e-15);
        for (int i = 1; i < 100; i++) {
            if (i <= 29) assertTrue(s.at(i) > s.at(i - 1), "rising at " + i);
            else assertTrue(s.at(i) < s.at(i - 1), "falling at " + i);
        }
    }

    @Test
    void cosineGoesFromLrToMin() {
        LrSchedule s = new LrSchedule.Cosine(0.1, 100, 0.0);
        assertEquals(0.1, s.at(0), 1e-12);
        assertEquals(0.05, s.at(50), 1e-12);
        assertEquals(0.0, s.at(100), 1e-12);
        assertEquals(0.0, s.at(150), 1e-12);
    }

    @Test
    void stepDecayMultipliesByGamma() {
        LrSchedule s = new LrSchedule.StepDecay(1.0, 10, 0.1);
        assertEquals(1.0, s.at(9), 0);
        assertEquals(0.1, s.at(10), 1e-12);
        assertEquals(0.01, s.at(25), 1e-12);
    }

    @Test
    void warmupRampsLinearly() {
        LrSchedule s = new LrSchedule.Warmup(new LrSchedule.Constant(0.4), 4);
        assertEquals(0.1, s.at(0), 1e-12);
        assertEquals(0.3, s.at(2), 1e-12);
        assertEquals(0.4, s.at(3), 1e-12);
        assertEquals(0.4, s.at(100), 1e-12);
    }

    @Test
    void unknownNameIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LrSchedule.named("cyclic", 0.1, 10, 0));
        assertTrue(e.getMessage().contains("cyclic") && e.getMessage().contains("onecycle"), e.getMessage());
    }
}
