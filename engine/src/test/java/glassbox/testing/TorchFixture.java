package glassbox.testing;

import glassbox.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a PyTorch reference fixture written by {@code engine/src/test/python/make_torch_fixtures.py}:
 * named float32 tensors (weights, input, activations, gradients) that a test compares the engine with.
 *
 * <p>Format, little-endian: magic {@code "GBFX"}, int32 version (1), int32 count, then per tensor an int32
 * name length, the UTF-8 name, an int32 rank, rank int32 dimensions and the float32 values row-major
 * (rank 0 is a scalar with one value). A damaged file fails with the resource name, tensor and byte offset.
 * Leaves out other dtypes: labels are stored as floats.
 */
public final class TorchFixture {
    private static final int VERSION = 1;
    private final String source;
    private final Map<String, Tensor> tensors;

    private TorchFixture(String source, Map<String, Tensor> tensors) {
        this.source = source;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Loads {@code /torch/<name>.bin} from the test class path. */
    public static TorchFixture load(String name) {
        String resource = "/torch/" + name + ".bin";
        try (InputStream in = TorchFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + resource + " is not on the test class path; "
                        + "regenerate with /usr/bin/python3 engine/src/test/python/make_torch_fixtures.py");
            }
            return parse(resource, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + resource, e);
        }
    }

    /** Parses fixture bytes; {@code source} names the file in error messages. */
    public static TorchFixture parse(String source, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> out = new LinkedHashMap<>();
        String at = "header";
        try {
            byte[] magic = new byte[4];
            b.get(magic);
            if (!Arrays.equals(magic, "GBFX".getBytes(StandardCharsets.US_ASCII))) {
                throw new IllegalArgumentException(source + ": not a Glassbox fixture (magic "
                        + Arrays.toString(magic) + " at offset 0, expected \"GBFX\")");
            }
            int version = b.getInt();
            if (version != VERSION) {
                throw new IllegalArgumentException(source + ": fixture version " + version + ", this reader knows " + VERSION);
            }
            int count = b.getInt();
            for (int t = 0; t < count; t++) {
                at = "tensor #" + t + " at offset " + b.position();
                byte[] name = new byte[checked(b.getInt(), b.remaining(), source, at, "name length")];
                b.get(name);
                String key = new String(name, StandardCharsets.UTF_8);
                at = "tensor '" + key + "' at offset " + b.position();
                int[] shape = new int[checked(b.getInt(), 8, source, at, "rank")];
                for (int i = 0; i < shape.length; i++) shape[i] = checked(b.getInt(), Integer.MAX_VALUE, source, at, "dimension");
                float[] data = new float[checked(Tensor.sizeOf(shape), b.remaining() / 4, source, at, "element count")];
                b.asFloatBuffer().get(data);
                b.position(b.position() + 4 * data.length);
                if (out.put(key, new Tensor(data, shape)) != null) {
                    throw new IllegalArgumentException(source + ": tensor '" + key + "' appears twice");
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException(source + ": file ends inside " + at + " (" + bytes.length + " bytes)");
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(source + ": " + b.remaining() + " unexpected bytes after the last tensor");
        }
        return new TorchFixture(source, out);
    }

    private static int checked(int v, int max, String source, String at, String what) {
        if (v < 0 || v > max) throw new IllegalArgumentException(source + ": " + at + ": bad " + what + " " + v);
        return v;
    }

    /** The tensor called {@code name}; an error lists what the fixture holds if it is missing. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException(source + " has no tensor '" + name + "'; it has " + tensors.keySet());
        return t;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    public Set<String> names() {
        return tensors.keySet();
    }

    /** Class labels (stored as floats). */
    public int[] labels() {
        float[] f = get("labels").data();
        int[] l = new int[f.length];
        for (int i = 0; i < f.length; i++) l[i] = Math.round(f[i]);
        return l;
    }

    public String source() {
        return source;
    }
}
