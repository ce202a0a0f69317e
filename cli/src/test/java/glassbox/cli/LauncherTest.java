package glassbox.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code ./glassbox} launcher hides exactly the JVM's "WARNING: Using incubator modules" line and nothing
 * else, shows it with {@code --verbose}, keeps the exit code, and lets Ctrl-C (SIGINT to the whole process
 * group) stop the JVM with its shutdown hooks run and their output shown. Runs the launcher with a real JDK on
 * a small jar whose main class is {@link LauncherFixture} ({@code GLASSBOX_JAR}: no build).
 */
class LauncherTest {
    static final String WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Path launcher() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("glassbox")) && Files.isRegularFile(p.resolve("pom.xml"))) return p.resolve("glassbox");
        }
        throw new IllegalStateException("no glassbox launcher above " + Path.of("").toAbsolutePath());
    }

    /** A jar that runs LauncherFixture from this module's test classes. */
    private Path fixtureJar() throws Exception {
        Path classes = Path.of(LauncherFixture.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherFixture.class.getName());
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
        Path jar = dir.resolve("fixture.jar");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, m)) {
            j.flush();
        }
        return jar;
    }

    private ProcessBuilder builder(String... args) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", launcher().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("GLASSBOX_JAR", fixtureJar().toString());
        pb.environment().put("GLASSBOX_JAVA_OPTS", "-Xmx64m");
        return pb;
    }

    private Result run(String... args) throws Exception {
        Process p = builder(args).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes()), err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out, err);
    }

    @Test
    void hidesExactlyTheIncubatorWarningAndKeepsTheExitCode() throws Exception {
        Result r = run("a", "b");
        assertEquals(7, r.code(), r.toString());
        assertEquals("out: a b\n", r.out());
        assertEquals("err: a line of its own\nprogress 50%\r", r.err());

        Result v = run("a", "--verbose", "b");
        assertEquals(7, v.code());
        assertEquals("out: a b\n", v.out(), "--verbose is the launcher's, not passed on");
        assertEquals(WARNING + "\nerr: a line of its own\nprogress 50%\r", v.err());
    }

    @Test
    void runsFromACopySoThatARebuildCannotPullTheJarFromUnderARunningJvm() throws Exception {
        // A checkout of its own: the launcher and a built jar, no sources (so no build), no GLASSBOX_JAR.
        Path root = dir.resolve("checkout"), jar = root.resolve("cli/target/glassbox.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(launcher(), root.resolve("glassbox"));
        Files.copy(fixtureJar(), jar);
        ProcessBuilder pb = builder("a");
        pb.command().set(1, root.resolve("glassbox").toString());
        pb.environment().remove("GLASSBOX_JAR");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("out: a\n", out);
        try (var copies = Files.list(root.resolve("cli/target/run"))) {
            List<Path> c = copies.toList();
            assertEquals(1, c.size(), c.toString());
            assertTrue(c.getFirst().getFileName().toString().matches("glassbox-\\d+\\.jar"), c.toString());
            assertEquals(-1, Files.mismatch(jar, c.getFirst()), "the copy is the jar, byte for byte");
        }
    }

    @Test
    void ctrlCStopsTheJvmAndItsLastWordsGetThrough() throws Exception {
        Path setsid = Path.of("/usr/bin/setsid");
        assumeTrue(Files.isExecutable(setsid), "needs setsid to make a process group like a terminal's");
        ProcessBuilder pb = builder("wait");
        pb.command().addFirst(setsid.toString()); // own process group: its id is this pid
        Process p = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) if (line.equals("ready")) break;
            // Ctrl-C in a terminal: SIGINT to every process of the foreground group (java and the filter)
            Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).inheritIO().start();
            assertEquals(0, kill.waitFor());
            String err = new String(p.getErrorStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(130, p.exitValue(), "the JVM's exit code for SIGINT");
            assertEquals("err: a line of its own\nprogress 50%\rhook: checkpoint kept\n", err);
        } catch (IOException e) {
            p.destroyForcibly();
            throw e;
        }
    }
}
