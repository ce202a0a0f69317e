package glassbox.cli;

import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.viz.render.Png;
import glassbox.viz.render.Raster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Nothing is lost: train refuses to overwrite a model, locks its output, checks it can write before the
 * first step, numbers its default outputs, extends a resumed run, and writes files others can read.
 * Trains linear on 200 images of the embedded sample (well under a second per run).
 */
class TrainSafetyTest {
    @TempDir
    Path dir;

    private static String[] train(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--model", "linear", "--dataset", "sample", "--limit", "200",
                "--threads", "1", "--out", out.toString()));
        a.addAll(List.of(more));
        if (!a.contains("--epochs")) a.addAll(List.of("--epochs", "1"));
        return a.toArray(String[]::new);
    }

    @Test
    void aModelIsNeverReplacedWithoutForce() throws Exception {
        Path out = dir.resolve("linear.gbx");
        assertEquals(0, CliRun.of(train(out)).code());
        byte[] before = Files.readAllBytes(out);

        CliRun again = CliRun.of(train(out, "--seed", "7"));
        assertEquals(2, again.code(), again.all());
        assertTrue(again.err().startsWith("glassbox train: " + out + " already holds a linear trained on sample, test accuracy "), again.err());
        assertTrue(again.err().contains("Pass --force to replace it"), again.err());
        assertFalse(again.out().contains("training linear"), "refused before training: " + again.out());
        assertArrayEquals(before, Files.readAllBytes(out));

        CliRun forced = CliRun.of(train(out, "--seed", "7", "--force"));
        assertEquals(0, forced.code(), forced.all());

        // a checkpoint without its model is an unfinished run: also kept unless --resume or --force
        Files.delete(out);
        CliRun unfinished = CliRun.of(train(out));
        assertEquals(2, unfinished.code());
        assertTrue(unfinished.err().contains(".ckpt holds the checkpoint of an unfinished run"), unfinished.err());
    }

    @Test
    void defaultOutputsAreNumberedUnderRuns() throws Exception {
        Path runs = dir.resolve("runs");
        assertEquals(runs.resolve("lenet5-mnist-1.gbx"), TrainCommand.defaultOut(runs, "lenet5", "mnist", false));
        Files.createDirectories(runs);
        Files.writeString(runs.resolve("lenet5-mnist-1.gbx"), "x");
        Files.writeString(runs.resolve("lenet5-mnist-1.gbx.ckpt"), "x");
        Files.writeString(runs.resolve(".lenet5-mnist-2.gbx.lock"), ""); // a run that has not written yet
        Files.writeString(runs.resolve("mlp-mnist-9.gbx"), "x");
        assertEquals(runs.resolve("lenet5-mnist-3.gbx"), TrainCommand.defaultOut(runs, "lenet5", "mnist", false));
        assertEquals(runs.resolve("lenet5-mnist-1.gbx"), TrainCommand.defaultOut(runs, "lenet5", "mnist", true));
        assertEquals("RuntimeException", "" + runCatching(() -> TrainCommand.defaultOut(runs, "lenet5", "cifar10", true)));
        assertEquals("my_pics", TrainCommand.fileStem("folder:/tmp/my pics"));
        assertFalse(TrainCommand.RUNS.toString().contains("models"), "default output never in the shipped models' folder");
    }

    private static String runCatching(java.util.concurrent.Callable<?> c) {
        try {
            c.call();
            return "none";
        } catch (IllegalArgumentException e) {
            return "RuntimeException";
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void unwritableOutputsAreFoundBeforeTraining() throws Exception {
        CliRun folder = CliRun.of(train(dir));
        assertEquals(2, folder.code());
        assertEquals("glassbox train: --out " + dir + " is a directory; name a file in it, e.g. " + dir.resolve("model.gbx"),
                folder.err().strip());

        Path file = Files.writeString(dir.resolve("plain"), "x");
        CliRun underFile = CliRun.of(train(file.resolve("m.gbx")));
        assertEquals(2, underFile.code());
        assertTrue(underFile.err().strip().endsWith(file + " is a file, not a folder"), underFile.err());

        CliRun ckDir = CliRun.of(train(dir.resolve("ok.gbx"), "--checkpoint", dir.toString()));
        assertTrue(ckDir.err().contains("--checkpoint " + dir + " is a directory"), ckDir.err());

        // /sys refuses new files even to root (tests run as root here, so chmod would not do)
        Path sys = Path.of("/sys");
        assumeTrue(Files.isDirectory(sys) && !canCreateIn(sys), "needs a folder this user cannot write");
        CliRun denied = CliRun.of(train(sys.resolve("m.gbx")));
        assertEquals("glassbox train: cannot write --out /sys/m.gbx: Permission denied", denied.err().strip());
        assertFalse(denied.out().contains("data:"), "refused before loading data: " + denied.out());
    }

    private static boolean canCreateIn(Path d) {
        try {
            Files.delete(Files.createTempFile(d, "probe", ""));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void resumeWithMoreEpochsExtendsTheRun() throws Exception {
        Path out = dir.resolve("ext.gbx");
        assertEquals(0, CliRun.of(train(out)).code());
        CliRun ext = CliRun.of(train(out, "--resume", "--epochs", "3"));
        assertEquals(0, ext.code(), ext.all());
        assertTrue(ext.out().contains("extending the run from 1 epoch to 3: the onecycle schedule is planned again over 3 epochs; "
                + "training continues at its step 4 with learning rate "), ext.out());
        assertTrue(ext.out().contains("epoch 3/3  train loss"), ext.out());
        ModelFile f = ModelIO.load(out);
        assertEquals("3", f.meta().get("train.epochs"));
        assertEquals("3", ModelIO.load(Path.of(out + ".ckpt")).meta().get("checkpoint.epoch"));

        CliRun shorter = CliRun.of(train(out, "--resume", "--epochs", "2"));
        assertEquals(2, shorter.code());
        assertTrue(shorter.err().contains("checkpoint already holds 3 epochs but this run has epochs = 2; ask for 3 or more epochs"), shorter.err());
    }

    @Test
    void modelsCheckpointsAndPicturesGetTheUsualPermissions() throws Exception {
        Path out = dir.resolve("perm.gbx");
        assertEquals(0, CliRun.of(train(out)).code());
        Path plain = Files.createFile(dir.resolve("plain.txt")); // what the umask gives any new file
        Path png = dir.resolve("p.png");
        Png.write(new Raster(2, 2, 0xffffff), png);
        String usual = PosixFilePermissions.toString(Files.getPosixFilePermissions(plain));
        assertEquals(usual, PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertEquals(usual, PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(out + ".ckpt"))));
        assertEquals(usual, PosixFilePermissions.toString(Files.getPosixFilePermissions(png)));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".tmp")).toList(), "no temporary files left");
        }
    }

    @Test
    void aSecondTrainingIntoTheSameOutputIsRefusedAndTheLockDiesWithItsProcess() throws Exception {
        Path out = dir.resolve("busy.gbx");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of("train", "--model", "linear", "--dataset", "sample", "--epochs", "1000", "--threads", "1",
                "--out", out.toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                for (String line; (line = r.readLine()) != null; ) if (line.startsWith("training linear")) break;
            }
            CliRun second = CliRun.of(train(out, "--force"));
            assertEquals(2, second.code(), second.all());
            assertTrue(second.err().startsWith("glassbox train: another training is writing " + out + " right now (pid "
                    + child.pid() + " on "), second.err());
            assertTrue(second.err().contains("glassbox train --model linear --dataset sample --out " + out), second.err());
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs, yet the operating system drops the lock
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        CliRun after = CliRun.of(train(out, "--force"));
        assertEquals(0, after.code(), after.all());
        assertEquals("", Files.readString(Outputs.Lock.lockFile(out)), "the lock file is emptied when released");

        // in one JVM too (the OS would let a process lock twice)
        try (Outputs.Lock held = Outputs.Lock.acquire(out, "a test")) {
            CliRun same = CliRun.of(train(out, "--force"));
            assertTrue(same.err().contains("right now (pid " + ProcessHandle.current().pid()), same.err());
        }
    }
}
