package glassbox.train.stats;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads run files ({@link RunFile}): the whole file at once ({@link #read}), or, for a live view of a run that
 * is still writing, only the whole records added since the last call ({@link #poll}).
 *
 * <p>What it tolerates and what it refuses: a file cut at any byte (a killed run) is read up to its last whole
 * record, and the cut is reported in {@link Run#warnings()}; a file whose first line is not a run header
 * (another kind of file), a line in the middle that is not a record (corruption), or a version newer than this
 * build raise a {@link RunFileException} with one line naming the file and the problem.
 */
public final class RunReader {
    private final Path file;
    private long offset;
    private int lineNo;
    private RunRecord.Header header;

    /** A reader positioned at the start of {@code file}, for {@link #poll}. */
    public RunReader(Path file) {
        this.file = file;
    }

    /** Reads the whole run file. */
    public static Run read(Path file) {
        RunReader r = new RunReader(file);
        List<RunRecord> records = r.poll();
        List<String> warnings = new ArrayList<>();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read run file " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) throw new RunFileException(file + " is empty, not a run file");
        if (size > r.offset) {
            warnings.add("run file " + file + " ends in a half-written record (" + (size - r.offset)
                    + " bytes after line " + r.lineNo + ", the run was probably killed while writing); read up to the last whole record");
        }
        return assemble(file, r.header, records, warnings, r.offset);
    }

    /**
     * The whole records written since the previous call (the header included on the first), in file order.
     * A half-written last line is left for the next call. Use it to follow a run while it trains.
     */
    public List<RunRecord> poll() {
        byte[] bytes;
        try {
            bytes = readFrom(offset);
        } catch (NoSuchFileException e) {
            throw new RunFileException("no run file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read run file " + file + ": " + e.getMessage(), e);
        }
        List<RunRecord> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') continue;
            lineNo++;
            RunRecord rec = parse(bytes, start, i - start);
            if (header == null) header = requireHeader(rec);
            else if (rec instanceof RunRecord.Header) throw new RunFileException("run file " + file + ": line " + lineNo + " is a second header");
            out.add(rec);
            start = i + 1;
        }
        if (header == null && start < bytes.length) {
            // No whole line yet: either a run file cut inside its header, or something else entirely.
            String head = new String(bytes, 0, Math.min(bytes.length, 40), StandardCharsets.UTF_8);
            if (!head.startsWith("{\"type\":\"header\"")) throw notARunFile(null);
        }
        offset += start;
        return out;
    }

    /** Bytes of the file from {@code from} to its current end. */
    private byte[] readFrom(long from) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long n = ch.size() - from;
            if (n <= 0) return new byte[0];
            if (n > Integer.MAX_VALUE - 16) throw new IOException("file too large (" + ch.size() + " bytes)");
            ByteBuffer b = ByteBuffer.allocate((int) n);
            ch.position(from);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // until full, or the end if the file shrank meanwhile
            }
            return Arrays.copyOf(b.array(), b.position());
        }
    }

    private RunRecord parse(byte[] bytes, int start, int len) {
        try {
            return RunFile.READER.readValue(bytes, start, len);
        } catch (JsonProcessingException e) {
            if (header == null) throw notARunFile(e);
            throw new RunFileException("run file " + file + " is corrupt: line " + lineNo + " is not a run record ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RunRecord.Header requireHeader(RunRecord rec) {
        if (!(rec instanceof RunRecord.Header h) || !RunRecord.FORMAT.equals(h.format())) throw notARunFile(null);
        if (h.version() > RunRecord.VERSION) {
            throw new RunFileException("run file " + file + " has layout version " + h.version() + "; this build reads up to version "
                    + RunRecord.VERSION + " (update Glassbox)");
        }
        return h;
    }

    private RunFileException notARunFile(Exception cause) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1;
        }
        if (size == 0) return new RunFileException(file + " is empty, not a run file");
        return new RunFileException(file + " is not a Glassbox run file (its first line is not a \"glassbox-run\" header)");
    }

    /** Applies resumes (a resume at step s drops earlier records after s) and sorts the records by kind. */
    static Run assemble(Path file, RunRecord.Header header, List<RunRecord> records, List<String> warnings, long validBytes) {
        if (header == null) throw new RunFileException("run file " + file + " holds no whole record (cut inside its header)");
        List<RunRecord.Stats> stats = new ArrayList<>();
        List<RunRecord.Epoch> epochs = new ArrayList<>();
        List<RunRecord.Diagnosis> diagnoses = new ArrayList<>();
        List<RunRecord.Resume> resumes = new ArrayList<>();
        RunRecord.End end = null;
        for (RunRecord r : records) {
            switch (r) {
                case RunRecord.Header h -> {
                }
                case RunRecord.Stats s -> stats.add(s);
                case RunRecord.Epoch e -> epochs.add(e);
                case RunRecord.Diagnosis d -> diagnoses.add(d);
                case RunRecord.End e -> end = e;
                case RunRecord.Resume res -> {
                    long s = res.step();
                    stats.removeIf(x -> x.step() > s);
                    epochs.removeIf(x -> x.step() > s);
                    diagnoses.removeIf(x -> x.seenAt() > s);
                    end = null;
                    resumes.add(res);
                }
            }
        }
        return new Run(file, header, List.copyOf(stats), List.copyOf(epochs), List.copyOf(diagnoses), end,
                List.copyOf(resumes), List.copyOf(warnings), validBytes);
    }
}
