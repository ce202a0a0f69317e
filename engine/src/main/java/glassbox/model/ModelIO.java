package glassbox.model;

import glassbox.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads and writes Glassbox model files ({@code .gbx}): versioned, checksummed, written atomically.
 *
 * <p>Layout, big-endian, strings as Java modified UTF-8 ({@code u16 length + bytes}):
 * <pre>
 *   offset 0   magic      8 bytes  "GLASSBOX"
 *          8   version    u32      {@value #VERSION}
 *         12   length     u64      total file length in bytes, trailer included
 *         20   arch       str
 *              options    u32 count, then (str key, str value) pairs
 *              input      u32 rank, then rank × u32
 *              classes    u32 count, then str each
 *              mean, std  u32 count, then count × f32 (each)
 *              meta       u32 count, then (str key, str value) pairs
 *              layers     u32 count, then per layer (version 2 on): str kind, str name, args as u32 count and
 *                         (str key, str value) pairs, then the main and shortcut paths of a residual block as
 *                         u32 count + layers each (see {@link Architecture}); count 0 when none is recorded
 *              tensors    u32 count, then per tensor: str name, u32 rank, rank × u32 dims, size × f32
 *   length-4   crc32      u32      CRC-32 of every byte before it
 * </pre>
 * Loading checks, in order, size, magic, version, declared length (truncation) and checksum
 * (corruption) before parsing anything, and every error names the file and the problem. Saving writes a
 * temporary file next to the target, forces it to disk, then renames it over the target atomically, so
 * a crash leaves either the old file or the new one, never half of one. The same model gives the same bytes:
 * build options are written sorted by key, metadata and tensors in their (deterministic) insertion order, and
 * nothing measured by a clock is stored (training time goes to the run's output). Files written before options
 * were sorted read as they are. Leaves out compression and memory mapping: files are a few MB.
 *
 * <p>Version 1 files (no layers section) are still read; they rebuild through the {@link Zoo}.
 */
public final class ModelIO {
    /** The 8 bytes every model file starts with. */
    public static final byte[] MAGIC = "GLASSBOX".getBytes(StandardCharsets.US_ASCII);
    /** Format version written by this build; it reads this one and every earlier one. */
    public static final int VERSION = 2;
    private static final int HEADER = 20, TRAILER = 4;

    private ModelIO() {
    }

    /** Serializes to bytes (header, body, checksum). */
    public static byte[] toBytes(ModelFile f) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(0); // length, patched below
            out.writeUTF(f.arch());
            writeMap(out, new java.util.TreeMap<>(f.options())); // sorted: the same bytes whatever map the options came in
            writeInts(out, f.inputShape());
            out.writeInt(f.classNames().size());
            for (String c : f.classNames()) out.writeUTF(c);
            writeFloats(out, f.mean());
            writeFloats(out, f.std());
            writeMap(out, f.meta());
            writeNodes(out, f.architecture() == null ? List.of() : f.architecture().layers());
            out.writeInt(f.tensors().size());
            for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
                out.writeUTF(e.getKey());
                writeInts(out, e.getValue().shape());
                for (float v : e.getValue().data()) out.writeFloat(v);
            }
            out.writeInt(0); // crc, patched below
            out.flush();
            byte[] b = bytes.toByteArray();
            ByteBuffer bb = ByteBuffer.wrap(b);
            bb.putLong(12, b.length);
            bb.putInt(b.length - TRAILER, crc(b, b.length - TRAILER));
            return b;
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen: writing to memory", e);
        }
    }

    /**
     * Writes atomically: temp file in the same directory, fsync, rename over {@code file}. The file gets the
     * permissions of any file the user creates (the umask's), so others can read a model in a shared folder.
     */
    public static void save(ModelFile f, Path file) throws IOException {
        byte[] b = toBytes(f);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that makes the file owner-only (0600), and a model is no secret. A file
        // created plainly gets the user's usual permissions (0666 minus the umask, typically 0644).
        Path tmp = dir.resolve(abs.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bb = ByteBuffer.wrap(b);
                while (bb.hasRemaining()) ch.write(bb);
                ch.force(true); // the bytes are on disk before the name points at them
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // make the rename itself durable (works on Linux; other systems may refuse)
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    /** Reads and verifies a model file; errors name the file and what is wrong. */
    public static ModelFile load(Path file) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such model file");
        }
        return fromBytes(b, file);
    }

    /** Verifies and parses bytes read from {@code file} (the path is only used in messages). */
    public static ModelFile fromBytes(byte[] b, Path file) throws ModelFormatException {
        if (b.length >= MAGIC.length && !startsWithMagic(b)) {
            throw new ModelFormatException(file, "not a Glassbox model file (starts with "
                    + HexFormat.ofDelimiter(" ").formatHex(b, 0, MAGIC.length) + ", expected \"GLASSBOX\")");
        }
        if (b.length < HEADER + TRAILER) {
            throw new ModelFormatException(file, "truncated: only " + b.length + " bytes, a model file has at least " + (HEADER + TRAILER));
        }
        ByteBuffer bb = ByteBuffer.wrap(b);
        int version = bb.getInt(8);
        if (version < 1 || version > VERSION) {
            throw new ModelFormatException(file, "format version " + version + ", but this Glassbox reads versions 1 to " + VERSION
                    + (version > VERSION ? " (written by a newer Glassbox?)" : ""));
        }
        long declared = bb.getLong(12);
        if (declared != b.length) {
            throw new ModelFormatException(file, declared > b.length
                    ? "truncated: " + b.length + " of " + declared + " bytes (an interrupted copy or download?)"
                    : b.length - declared + " bytes of garbage after the declared end at " + declared);
        }
        int stored = bb.getInt(b.length - TRAILER), computed = crc(b, b.length - TRAILER);
        if (stored != computed) {
            throw new ModelFormatException(file, String.format("corrupted: CRC-32 is %08x but the content gives %08x", stored, computed));
        }
        bb.position(HEADER);
        try {
            String arch = readUTF(bb);
            Map<String, String> options = readMap(bb);
            int[] input = readInts(bb);
            int nClasses = bb.getInt();
            List<String> classes = new ArrayList<>();
            for (int i = 0; i < nClasses; i++) classes.add(readUTF(bb));
            float[] mean = readFloats(bb), std = readFloats(bb);
            Map<String, String> meta = readMap(bb);
            List<Architecture.Node> layers = version >= 2 ? readNodes(bb, 0) : List.of();
            int nTensors = bb.getInt();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < nTensors; i++) {
                String name = readUTF(bb);
                int[] shape = readInts(bb);
                float[] data = new float[Tensor.sizeOf(shape)];
                bb.asFloatBuffer().get(data);
                bb.position(bb.position() + 4 * data.length);
                tensors.put(name, new Tensor(data, shape));
            }
            if (bb.position() != b.length - TRAILER) {
                throw new ModelFormatException(file, "content ends at offset " + bb.position() + " but the checksum is at " + (b.length - TRAILER));
            }
            return new ModelFile(arch, options, input, classes, mean, std, meta, tensors,
                    layers.isEmpty() ? null : new Architecture(layers));
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException | ArithmeticException e) {
            throw new ModelFormatException(file, "malformed content near offset " + bb.position() + " (" + e.getMessage() + ")");
        }
    }

    private static boolean startsWithMagic(byte[] b) {
        for (int i = 0; i < MAGIC.length; i++) if (b[i] != MAGIC[i]) return false;
        return true;
    }

    private static int crc(byte[] b, int len) {
        CRC32 c = new CRC32();
        c.update(b, 0, len);
        return (int) c.getValue();
    }

    private static void writeMap(DataOutputStream out, Map<String, String> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static void writeNodes(DataOutputStream out, List<Architecture.Node> nodes) throws IOException {
        out.writeInt(nodes.size());
        for (Architecture.Node n : nodes) {
            out.writeUTF(n.kind());
            out.writeUTF(n.name());
            writeMap(out, n.args());
            writeNodes(out, n.main());
            writeNodes(out, n.shortcut());
        }
    }

    private static void writeInts(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int v : a) out.writeInt(v);
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float v : a) out.writeFloat(v);
    }

    private static String readUTF(ByteBuffer bb) {
        int len = Short.toUnsignedInt(bb.getShort());
        byte[] s = new byte[len];
        bb.get(s);
        // Modified UTF-8 equals UTF-8 for every string without NUL or supplementary characters.
        return new String(s, StandardCharsets.UTF_8);
    }

    private static Map<String, String> readMap(ByteBuffer bb) {
        int n = bb.getInt();
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) m.put(readUTF(bb), readUTF(bb));
        return m;
    }

    private static List<Architecture.Node> readNodes(ByteBuffer bb, int depth) {
        int n = bb.getInt();
        if (n < 0 || n > bb.remaining() || depth > 32) throw new IllegalArgumentException(n + " layers at depth " + depth);
        List<Architecture.Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String kind = readUTF(bb), name = readUTF(bb);
            Map<String, String> args = readMap(bb);
            nodes.add(new Architecture.Node(kind, name, args, readNodes(bb, depth + 1), readNodes(bb, depth + 1)));
        }
        return nodes;
    }

    private static int[] readInts(ByteBuffer bb) {
        int n = bb.getInt();
        if (n < 0 || n > 16) throw new IllegalArgumentException("rank " + n);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = bb.getInt();
        return a;
    }

    private static float[] readFloats(ByteBuffer bb) {
        int n = bb.getInt();
        if (n < 0 || n > bb.remaining() / 4) throw new IllegalArgumentException(n + " floats");
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = bb.getFloat();
        return a;
    }
}
