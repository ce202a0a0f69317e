package glassbox.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./glassbox inspect: shapes, parameters and the convolution routes, in training and in eval. */
class InspectCommandTest {
    private static String[] run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = Main.run(args);
            return new String[]{Integer.toString(code), out.toString(), err.toString()};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void showsEachLayerAndTheRouteOfEachPass() {
        String[] r = run("inspect", "--model", "lenet5", "--batch", "64", "--threads", "1");
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        assertTrue(out.contains("lenet5, batch 64, training, 1 thread"), out);
        assertTrue(out.contains("lenet5, batch 64, eval, 1 thread"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+conv2\\s+Conv2d\\s+\\[64, 16, 10, 10]\\s+2,416\\s+forward WIDE_ROWS_GROUPED, "
                + "input gradient WIDE_ROWS, weight gradient KEPT_COLS.*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+fc3\\s+Linear\\s+\\[64, 10]\\s+850")), out);
        assertTrue(out.contains("61,706 parameters"), out);
    }

    @Test
    void unknownModelIsOneLine() {
        String[] r = run("inspect", "--model", "nosuchnet");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("glassbox inspect: --model 'nosuchnet' is neither a file nor a zoo architecture"), r[2]);
        String[] b = run("inspect", "--model", "lenet5", "--batch", "0");
        assertTrue(b[2].contains("--batch must be in 1..65536, got 0"), b[2]);
    }
}
