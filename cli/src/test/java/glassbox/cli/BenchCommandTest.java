package glassbox.cli;

import glassbox.bench.Compare;
import glassbox.bench.Step;
import glassbox.kernels.Parallel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark harness measures real training steps, and says so when a peer is missing. Speed is not tested here. */
class BenchCommandTest {
    @Test
    void aBenchmarkStepTrainsAndRetentionDoesNotChangeTheMath() {
        Parallel.setThreads(1);
        Step open = new Step("lenet5", 8, true), lean = new Step("lenet5", 8, false);
        float[] a = new float[12], b = new float[12];
        for (int i = 0; i < a.length; i++) {
            a[i] = open.train();
            b[i] = lean.train();
        }
        assertTrue(a[a.length - 1] < 0.5f * a[0], "loss on one repeated batch should fall: " + a[0] + " -> " + a[a.length - 1]);
        assertArrayEquals(a, b, 0f); // same bits with and without retention
        assertTrue(open.model().activation("conv1") != null && lean.model().activation("conv1") == null);
        assertEquals(8, open.infer().dim(0));
    }

    @Test
    void aMissingPeerIsReportedNotFatal() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Compare c = new Compare(true, Path.of("/nonexistent/scripts"), "/nonexistent/python3", new PrintStream(buf, true));
        assertTrue(Double.isNaN(c.numpyGemm(64, 1)));
        assertTrue(buf.toString().contains("not available"), buf.toString());
    }

    @Test
    void helpListsTheModes() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertEquals(0, Main.run("bench", "--help"));
        } finally {
            System.setOut(old);
        }
        assertTrue(buf.toString().contains("--compare") && buf.toString().contains("--quick"), buf.toString());
    }
}
