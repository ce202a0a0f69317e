package glassbox.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** A CLI command run in-process: exit code, standard output and standard error (tests). */
record CliRun(int code, String out, String err) {
    /** Runs {@code ./glassbox args...} in this JVM, capturing both streams. */
    static CliRun of(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = Main.run(args);
            return new CliRun(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Both streams, for assertion messages. */
    String all() {
        return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
}
