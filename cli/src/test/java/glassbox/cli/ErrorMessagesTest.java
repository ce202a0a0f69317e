package glassbox.cli;

import glassbox.model.ModelIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every error says what and why, in one line {@code glassbox <command>: ...}: numbers out of range are
 * refused while parsing with the range in the message, options that do not apply are refused, names are
 * accepted in any case, the data folder is named on every run. One linear model on the embedded sample
 * serves every case (under a second to train).
 */
class ErrorMessagesTest {
    @TempDir
    static Path dir;
    static Path linear;

    @BeforeAll
    static void trainOnce() {
        linear = dir.resolve("linear.gbx");
        CliRun r = CliRun.of("train", "--model", "Linear", "--dataset", "SAMPLE", "--limit", "200", "--epochs", "1",
                "--threads", "1", "--out", linear.toString());
        assertEquals(0, r.code(), r.all());
    }

    /** Runs and checks: exit 2, standard error is {@code glassbox <cmd>: <message containing want>} plus at most a hint line. */
    private static String refused(String want, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), r.all());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.size() == 1 || lines.size() == 2 && lines.get(1).contains("--help lists every option"), r.all());
        assertTrue(lines.getFirst().startsWith("glassbox " + args[0]), r.all());
        assertTrue(lines.getFirst().contains(want), "wanted '" + want + "' in\n" + r.all());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat ") || r.err().contains("Usage:"), r.all());
        return lines.getFirst();
    }

    private String out(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void numbersAreCheckedWhileParsingWithTheirRange() {
        String m = linear.toString();
        assertEquals("glassbox viz activations: --image 99999999999 is not an image of sample/test (indices 0 to 499)",
                refused("99999999999", "viz", "activations", "--model", m, "--image", "99999999999", "--out", out("a")));
        refused("--image nope is neither an image index (0, 1, ...) nor an image file", "viz", "activations", "--model", m, "--image", "nope", "--out", out("a"));
        assertEquals("glassbox viz top-patches: Invalid value for option '--images': must be a whole number >= 1, got -3",
                refused("-3", "viz", "top-patches", "--model", m, "--layer", "fc", "--images", "-3"));
        refused("'--gradients': must be a whole number >= 1, got -5", "viz", "kernels", "--model", m, "--gradients", "-5");
        refused("'--gradients': must be a whole number >= 1, got 0", "viz", "kernels", "--model", m, "--gradients", "0");
        refused("'--images': must be a whole number >= 1, got 0", "viz", "stats", "--model", m, "--images", "0");
        refused("'-k': must be a whole number >= 1, got 0", "viz", "top-patches", "--model", m, "--layer", "fc", "-k", "0");
        refused("'--limit': must be a whole number >= 1, got 0", "train", "--model", "linear", "--limit", "0");
        refused("'--epochs': must be a whole number >= 1, got 99999999999", "train", "--model", "linear", "--epochs", "99999999999");
        refused("'--batch': must be a whole number >= 1, got 0", "train", "--model", "linear", "--batch", "0");
        refused("'--lr': must be a number > 0, got 0", "train", "--model", "linear", "--lr", "0");
        refused("'--momentum': must be a number >= 0 and < 1, got 1", "train", "--model", "linear", "--momentum", "1");
        refused("'--weight-decay': must be a number >= 0, got -1", "train", "--model", "linear", "--weight-decay", "-1");
        refused("'--warmup': must be a number >= 0, got 'soon'", "train", "--model", "linear", "--warmup", "soon");
        refused("'--clip': must be a number >= 0, got 'NaN'", "train", "--model", "linear", "--clip", "NaN");
        refused("'--seed': must be a whole number (64-bit), got '1.5'", "train", "--model", "linear", "--seed", "1.5");
        refused("'--threads': must be a whole number >= 1, got 0", "eval", "--model", m, "--threads", "0");
        refused("'--batch': must be a whole number >= 1, got -1", "eval", "--model", m, "--batch", "-1");
        refused("'--epochs': must be a whole number >= 1, got 0", "demo", "--epochs", "0", "--out", out("d"));
    }

    @Test
    void optionsThatDoNotApplyAreRefused() {
        String m = linear.toString();
        refused("--hidden sets the hidden widths of mlp; lenet5 has none", "train", "--model", "lenet5", "--hidden", "32", "--out", out("h.gbx"));
        refused("--hidden must be widths >= 1 separated by commas", "train", "--model", "mlp", "--hidden", "32,x", "--out", out("h.gbx"));
        refused("linear) has no layer with spatial maps: top-patches needs a convolutional model such as lenet5",
                "viz", "top-patches", "--model", m, "--layer", "fc", "--out", out("t"));
        refused("--momentum is for sgd and nesterov; adam keeps its own moment estimates", "train", "--model", "linear",
                "--optimizer", "Adam", "--momentum", "0.5", "--out", out("mo.gbx"));
        refused("--dataset does not apply: templates draws the model's weights only", "viz", "templates", "--model", m, "--dataset", "mnist");
        refused("--data does not apply: kernels reads images only with --gradients N", "viz", "kernels", "--model", m, "--data", out("x"));
        refused("compares two or more models; got one", "viz", "compare-kernels", "--model", m, "--out", out("c"));
        refused("'--optimizer': expected one of sgd, nesterov, adam, adamw but was 'AdaGrad'", "train", "--model", "linear", "--optimizer", "AdaGrad");
        refused("'--schedule': expected one of constant, step, cosine, onecycle but was 'linear'", "train", "--model", "linear", "--schedule", "linear");
        refused("unknown model 'lenet6'; the zoo has linear, mlp, lenet5, smallvgg, resnet20", "train", "--model", "LeNet6");
    }

    @Test
    void outputsThatCannotBeWrittenSayWhy() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        refused("--out " + file + " is a file, not a folder", "demo", "--out", file.toString());
        refused("--out " + file + " is a file, not a folder", "viz", "templates", "--model", linear.toString(), "--out", file.toString());
        assumeTrue(cannotCreate(Path.of("/sys/glassbox-demo")), "needs a folder nobody can create (/sys here)");
        String line = refused("cannot write --out /sys/glassbox-demo: cannot create folder /sys/glassbox-demo (", "demo", "--out", "/sys/glassbox-demo");
        assertTrue(line.endsWith("Operation not permitted)") || line.endsWith("Permission denied)"), line);
    }

    private static boolean cannotCreate(Path d) {
        try {
            Files.createDirectory(d);
            Files.delete(d);
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    @Test
    void namesAreCaseInsensitiveAndTheDataFolderIsNamed() throws Exception {
        assertEquals("sample", ModelIO.load(linear).meta().get("dataset"), "stored in lower case");
        assertEquals("linear", ModelIO.load(linear).arch());
        CliRun ev = CliRun.of("eval", "--model", linear.toString(), "--dataset", "Sample", "--data", out("nowhere"));
        assertEquals(0, ev.code(), ev.all());
        assertTrue(ev.out().startsWith("data: the embedded MNIST sample (inside the jar)\n"), ev.out());
        assertTrue(ev.err().contains("warning: --data " + out("nowhere") + " is not used: the sample is inside the jar"), ev.err());
        assertFalse(Files.exists(dir.resolve("nowhere")), "no folder created for data that was not written");
    }

    @Test
    void dataGivenButNotUsedIsAWarning() throws Exception {
        DataOptionsMixin m = new DataOptionsMixin();
        m.dataDir = dir.resolve("empty-data");
        m.offline = true;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(), err = new java.io.ByteArrayOutputStream();
        try {
            m.say("MNIST", new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        } catch (glassbox.data.DatasetNotFoundException e) {
            assumeTrue(false, "no MNIST copy on this machine: " + e.getMessage().lines().findFirst().orElse(""));
        }
        assertEquals("warning: --data " + m.dataDir + " has no mnist (" + m.dataDir.resolve("mnist") + ": missing); looking elsewhere\n",
                err.toString());
        assertTrue(out.toString().matches("data: mnist from /.*mnist \\(.*\\)\n"), out.toString());
        assertFalse(Files.exists(m.dataDir), "nothing created");
    }

    @Test
    void helpIsWholeSentencesAndListsTest() {
        CliRun help = CliRun.of("--help");
        assertEquals(0, help.code());
        List<String> commands = help.out().lines().dropWhile(l -> !l.equals("Commands:")).skip(1).takeWhile(l -> !l.isBlank()).toList();
        for (String c : List.of("data", "train", "eval", "viz", "explain", "demo", "bench", "serve", "inspect", "test")) {
            assertTrue(commands.stream().anyMatch(l -> l.startsWith("  " + c + " ")), c + " listed:\n" + help.out());
        }
        String joined = String.join("\n", commands).replaceAll("\n {5,}", " "); // a wrapped description is one entry
        for (String l : joined.lines().toList()) assertTrue(l.endsWith("."), "a whole sentence per command: " + l);
        for (String cmd : List.of("train", "eval", "demo", "data", "bench", "serve", "viz kernels", "viz activations",
                "viz top-patches", "viz stats", "viz templates", "viz compare-kernels")) {
            CliRun h = CliRun.of((cmd + " --help").split(" "));
            for (String l : h.out().lines().toList()) {
                assertFalse(l.matches(".*(/|~/\\.|[^.]\\.\\.|-)$") || l.matches("^\\s*/.*"), "a path or word broken across lines: '" + l + "' in " + cmd);
            }
        }
    }

    @Test
    void onesAreSingular() {
        CliRun r = CliRun.of("train", "--model", "linear", "--dataset", "sample", "--limit", "100", "--epochs", "1",
                "--threads", "1", "--out", out("one.gbx"));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains(" 1 epoch, batch 64,") && r.out().contains(", 1 thread, seed 1"), r.out());
    }
}
