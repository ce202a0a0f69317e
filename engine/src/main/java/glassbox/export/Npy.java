package glassbox.export;

import glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes a tensor as a NumPy {@code .npy} file (format version 1.0,
 * https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html), so a student can go on with
 * {@code np.load("conv1.weight.npy")} and matplotlib.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, version bytes 1 and 0, a 2-byte little-endian header length,
 * then the header, a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (64, 3, 5, 5), }} padded with spaces and
 * ended by a newline so that the data starts at a multiple of 64 bytes; then the values as little-endian
 * float32 in C (row-major) order, which is the tensor's own order (NCHW for images). Leaves out other
 * dtypes and reading (see the tests for a small reader).
 */
public final class Npy {
    private Npy() {
    }

    /** The .npy bytes of {@code t}: shape and float32 values. */
    public static byte[] toBytes(Tensor t) {
        int[] s = t.shape();
        String shape = s.length == 1 ? "(" + s[0] + ",)"
                : Arrays.stream(s).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        int prefix = 6 + 2 + 2; // magic, version, header length
        int total = prefix + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(padded + 4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        b.asFloatBuffer().put(t.data(), 0, t.size());
        return b.array();
    }

    /** Writes {@code t} to {@code file} (parent folders created). */
    public static void write(Tensor t, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.write(file, toBytes(t));
    }
}
