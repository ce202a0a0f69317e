package glassbox.export;

import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .npy files read back by a small reader here and, when /usr/bin/python3 has numpy, by numpy itself. */
class NpyTest {
    @TempDir
    Path dir;

    /** The shape and values of a little-endian float32, C-order .npy file. */
    private record Read(int[] shape, float[] data) {
    }

    private static Read read(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((byte) 0x93, buf.get());
        byte[] magic = new byte[5];
        buf.get(magic);
        assertEquals("NUMPY", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(1, buf.get(), "major version");
        assertEquals(0, buf.get(), "minor version");
        int len = Short.toUnsignedInt(buf.getShort());
        byte[] h = new byte[len];
        buf.get(h);
        String header = new String(h, StandardCharsets.US_ASCII);
        assertEquals(0, (10 + len) % 64, "data aligned to 64 bytes");
        assertTrue(header.endsWith("\n"), header);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False"), header);
        Matcher m = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(header);
        assertTrue(m.find(), header);
        int[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        float[] data = new float[Tensor.sizeOf(shape)];
        buf.asFloatBuffer().get(data);
        assertEquals(b.length, 10 + len + 4 * data.length, "nothing after the data");
        return new Read(shape, data);
    }

    private static Tensor ramp(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) t.data()[i] = i * 0.5f - 3;
        return t;
    }

    @Test
    void readsBackShapeAndValuesForSeveralRanks() {
        for (int[] shape : new int[][]{{7}, {3, 4}, {2, 3, 5, 5}, {1, 1, 1, 1}}) {
            Tensor t = ramp(shape);
            Read r = read(Npy.toBytes(t));
            assertArrayEquals(shape, r.shape());
            assertArrayEquals(t.data(), r.data(), 0f);
        }
    }

    @Test
    void numpyLoadsTheFileWhenPresent() throws Exception {
        Path py = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(py), "no /usr/bin/python3");
        Path f = dir.resolve("sub/conv1.weight.npy");
        Tensor t = ramp(4, 3, 5, 5);
        Npy.write(t, f);
        Process p = new ProcessBuilder(py.toString(), "-c", "import sys\ntry:\n import numpy as np\nexcept ImportError:\n sys.exit(3)\n"
                + "a = np.load(sys.argv[1]); print(a.dtype, a.shape, repr(float(a.sum())), repr(float(a[1, 2, 3, 4])))", f.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        int code = p.waitFor();
        Assumptions.assumeTrue(code != 3, "python3 has no numpy");
        assertEquals(0, code, out);
        double sum = 0;
        for (float v : t.data()) sum += v;
        assertEquals("float32 (4, 3, 5, 5) " + sum + " " + (double) t.get(1, 2, 3, 4), out);
    }
}
