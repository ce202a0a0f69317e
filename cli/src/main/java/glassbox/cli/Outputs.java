package glassbox.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks on where a command writes, made before any work so a long run never fails at its end:
 * {@link #probeFile} and {@link #probeDir} create, write and delete a probe file and say why that failed
 * ("Permission denied", "is a directory"); {@link Lock} keeps two trainings from writing the same model at once.
 * Leaves out disk-space checks (a model file is a few MB).
 */
final class Outputs {
    private Outputs() {
    }

    /**
     * Checks that {@code file} can be written: it is not a folder, its folder exists or can be created, and a
     * probe file can be created, written and deleted there. {@code role} names the file in messages
     * ("--out", "--checkpoint").
     *
     * @throws IllegalArgumentException saying which file and why
     */
    static void probeFile(Path file, String role) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new IllegalArgumentException(role + " " + file + " is a directory; name a file in it, e.g. "
                    + file.resolve("model.gbx"));
        }
        probeIn(abs.getParent(), role + " " + file);
    }

    /** Checks that {@code dir} is (or can be made) a folder in which files can be written. */
    static void probeDir(Path dir, String role) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IllegalArgumentException(role + " " + dir + " is a file, not a folder");
        }
        probeIn(abs, role + " " + dir);
    }

    private static void probeIn(Path dir, String what) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("cannot write " + what + ": " + e.getFile() + " is a file, not a folder");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + what + ": cannot create folder " + dir + " (" + reason(e) + ")");
        }
        Path probe = dir.resolve(".glassbox-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.write(probe, new byte[]{'o', 'k'}, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + what + ": " + reason(e));
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the first error is the one worth reporting
            }
        }
    }

    /** The cause of an I/O failure in the words of the operating system, without the path repeated. */
    static String reason(IOException e) {
        return switch (e) {
            case AccessDeniedException a -> "Permission denied";
            case NoSuchFileException n -> "No such file or directory";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    /**
     * An exclusive lock on the hidden file {@code .<name>.lock} beside {@code file}, held while a run writes
     * {@code file}. The lock is the operating system's ({@link FileChannel#tryLock}), so it dies with the
     * process, even on {@code kill -9} or Ctrl-C; the file says who holds it (pid, host, start time, command)
     * for the message a second run prints, and is emptied when the lock is released. It is never deleted:
     * deleting would let a run that opened the old file and a run that creates a new one both hold "the" lock.
     *
     * <p>Two rules of POSIX locks shape the code: the lock file is read only through the locking channel
     * (closing any other descriptor of the file would release this process's lock), and locks held by this
     * JVM are also recorded in {@link #HELD}, since the OS does not stop a process from locking twice.
     */
    static final class Lock implements AutoCloseable {
        /** Lock file -> the stamp of the run in this JVM holding it. */
        private static final Map<Path, String> HELD = new ConcurrentHashMap<>();
        private final Path path;
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(Path path, FileChannel channel, FileLock lock) {
            this.path = path;
            this.channel = channel;
            this.lock = lock;
        }

        /** The lock file of {@code file}: {@code dir/.name.lock}. */
        static Path lockFile(Path file) {
            Path abs = file.toAbsolutePath().normalize();
            return abs.resolveSibling("." + abs.getFileName() + ".lock");
        }

        /**
         * Takes the lock of {@code file} for a run described by {@code command}.
         *
         * @throws IllegalStateException when another run holds it; the message names that run
         */
        static Lock acquire(Path file, String command) throws IOException {
            Path p = lockFile(file);
            String stamp = "pid " + ProcessHandle.current().pid() + " on " + host() + ", started "
                    + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").format(Instant.now().atOffset(ZoneOffset.UTC))
                    + ": " + command;
            String here = HELD.putIfAbsent(p, stamp);
            if (here != null) throw busy(file, here);
            FileChannel ch = null;
            try {
                ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock l = ch.tryLock();
                if (l == null) throw busy(file, read(ch));
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((stamp + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                ch.force(false);
                return new Lock(p, ch, l);
            } catch (IOException | RuntimeException e) {
                HELD.remove(p);
                if (ch != null) ch.close();
                throw e;
            }
        }

        private static IllegalStateException busy(Path file, String who) {
            return new IllegalStateException("another training is writing " + file + " right now ("
                    + (who.isBlank() ? "see " + lockFile(file) : who) + "); wait for it, stop it, or choose another --out");
        }

        private static String read(FileChannel ch) throws IOException {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 4096));
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // read up to 4 KB from the start
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
        }

        private static String host() {
            for (String v : new String[]{System.getenv("HOSTNAME"), System.getenv("COMPUTERNAME")}) {
                if (v != null && !v.isBlank()) return v;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "this machine";
            }
        }

        @Override
        public void close() throws IOException {
            try {
                channel.truncate(0); // the next reader sees no holder
                lock.release();
            } finally {
                channel.close();
                HELD.remove(path);
            }
        }
    }
}
