package glassbox.model;

import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelIOTest {
    @TempDir
    Path dir;

    private static ModelFile lenetFile() {
        Model m = Zoo.build("lenet5", Zoo.options(new int[]{1, 28, 28}, 10), 7);
        return new ModelFile("lenet5", Zoo.options(new int[]{1, 28, 28}, 10), m.inputShape(),
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), new float[]{0.1307f}, new float[]{0.3081f},
                Map.of("dataset", "mnist", "test_accuracy", "0.99"), m.state());
    }

    @Test
    void roundTripRebuildsTheSameModel() throws IOException {
        ModelFile f = lenetFile();
        Path p = dir.resolve("lenet.gbx");
        ModelIO.save(f, p);
        ModelFile g = ModelIO.load(p);
        assertEquals("lenet5", g.arch());
        assertEquals(f.options(), g.options());
        assertEquals(f.classNames(), g.classNames());
        assertEquals(f.meta(), g.meta());
        assertArrayEquals(f.mean(), g.mean());
        assertArrayEquals(f.std(), g.std());
        assertArrayEquals(new int[]{1, 28, 28}, g.inputShape());
        Model m = g.toModel();
        for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
            assertArrayEquals(e.getValue().data(), m.state().get(e.getKey()).data(), 0f, e.getKey());
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "the temp file is renamed away");
        }
    }

    @Test
    void bnBuffersAreSaved() throws IOException {
        Model m = Zoo.build("resnet20", Zoo.options(new int[]{3, 32, 32}, 10), 1);
        m.state().get("bn1.running_var").data()[3] = 4.5f;
        ModelFile f = new ModelFile("resnet20", Zoo.options(new int[]{3, 32, 32}, 10), m.inputShape(), List.of("a"),
                new float[3], new float[]{1, 1, 1}, Map.of(), m.state());
        Model back = ModelIO.fromBytes(ModelIO.toBytes(f), Path.of("x.gbx")).toModel();
        assertEquals(4.5f, back.state().get("bn1.running_var").data()[3]);
        assertTrue(back.state().containsKey("block3_1.projbn.running_mean"));
    }

    private String loadError(byte[] bytes) throws IOException {
        Path p = dir.resolve("bad.gbx");
        Files.write(p, bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.load(p));
        assertTrue(e.getMessage().startsWith(p.toString()), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void truncatedFileIsNamedTruncated() throws IOException {
        byte[] b = ModelIO.toBytes(lenetFile());
        String msg = loadError(Arrays.copyOf(b, b.length - 1000));
        assertTrue(msg.contains("truncated: " + (b.length - 1000) + " of " + b.length + " bytes"), msg);
        assertTrue(loadError(Arrays.copyOf(b, 10)).contains("truncated"), "even inside the header");
    }

    @Test
    void flippedByteIsNamedCorrupted() throws IOException {
        byte[] b = ModelIO.toBytes(lenetFile());
        b[b.length / 2] ^= 0x10;
        assertTrue(loadError(b).contains("corrupted: CRC-32"));
    }

    @Test
    void wrongVersionIsNamed() throws IOException {
        byte[] b = ModelIO.toBytes(lenetFile());
        ByteBuffer.wrap(b).putInt(8, ModelIO.VERSION + 1);
        String msg = loadError(b);
        assertTrue(msg.contains("format version " + (ModelIO.VERSION + 1) + ", but this Glassbox reads versions 1 to "
                + ModelIO.VERSION + " (written by a newer Glassbox?)"), msg);
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        byte[] b = ModelIO.toBytes(lenetFile());
        b[0] = 'P';
        b[1] = 'K';
        String msg = loadError(b);
        assertTrue(msg.contains("not a Glassbox model file (starts with 50 4b"), msg);
    }

    @Test
    void missingTensorIsNamed() {
        ModelFile f = lenetFile();
        Map<String, Tensor> t = new java.util.LinkedHashMap<>(f.tensors());
        t.remove("conv2.bias");
        ModelFile g = new ModelFile(f.arch(), f.options(), f.inputShape(), f.classNames(), f.mean(), f.std(), f.meta(), t);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g::toModel);
        assertTrue(e.getMessage().contains("conv2.bias"), e.getMessage());
    }
}
