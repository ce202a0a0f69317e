package glassbox.train.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The run file: a training run's {@link RunRecord}s as JSON Lines (one JSON object per line, UTF-8, each line
 * ending in {@code \n}), beside the model file, e.g. {@code models/lenet5-mnist.run.jsonl}.
 *
 * <p>Append-only and crash-tolerant: every record is serialized whole and handed to the operating system in
 * one write as soon as it exists, so a run killed at any moment leaves every finished record readable and at
 * most one half-written last line, which {@link RunReader} skips with a warning. Resuming cuts that half line
 * off and appends a {@link RunRecord.Resume} record; records after it supersede those written before it with a
 * later step. Non-finite numbers are written as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}
 * (Jackson's convention; JSON has no NaN). Leaves out compression: a 15-epoch CIFAR-10 run is a few MB.
 */
public final class RunFile implements AutoCloseable {
    /** One mapper for writing and reading run records: compact, records by component, unknown fields ignored. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    static final ObjectWriter WRITER = MAPPER.writerFor(RunRecord.class);
    static final ObjectReader READER = MAPPER.readerFor(RunRecord.class);

    private final Path file;
    private final FileChannel channel;

    private RunFile(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Creates (or replaces) {@code file} and writes the header as its first line. */
    public static RunFile create(Path file, RunRecord.Header header) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            RunFile f = new RunFile(file, ch);
            f.append(header);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing run file to continue it: cuts a half-written last line (from a killed run) and appends
     * {@code resume}. The caller has read the file with {@link RunReader#read} (to learn what it holds) and
     * passes the number of whole-record bytes that read found ({@link Run#validBytes()}).
     */
    public static RunFile resume(Path file, long validBytes, RunRecord.Resume resume) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
            if (ch.size() > validBytes) ch.truncate(validBytes);
            ch.position(validBytes);
            RunFile f = new RunFile(file, ch);
            f.append(resume);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot continue run file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The record as one line of JSON, newline included. */
    public static byte[] line(RunRecord r) {
        try {
            return (WRITER.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + r.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Appends one record and hands it to the operating system before returning (one write per record). */
    public void append(RunRecord r) {
        ByteBuffer b = ByteBuffer.wrap(line(r));
        try {
            while (b.hasRemaining()) channel.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run file " + file + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return file;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close run file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The default run file for a model file: {@code models/x.gbx} → {@code models/x.run.jsonl}. */
    public static Path besideModel(Path model) {
        String name = model.getFileName().toString();
        String base = name.endsWith(".gbx") ? name.substring(0, name.length() - 4) : name;
        return model.resolveSibling(base + ".run.jsonl");
    }
}
