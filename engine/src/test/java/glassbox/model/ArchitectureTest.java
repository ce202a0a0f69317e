package glassbox.model;

import glassbox.layers.Layer;
import glassbox.layers.Tanh;
import glassbox.tensor.Tensor;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model files record the architecture: networks outside the zoo rebuild without their code; old files still load. */
class ArchitectureTest {
    private static ModelFile fileOf(Model m) {
        return new ModelFile(m.arch(), Map.of(), m.inputShape(), List.of("a", "b", "c"), new float[]{0f}, new float[]{1f},
                Map.of(), m.state(), Architecture.of(m));
    }

    @Test
    void aNetworkOutsideTheZooRebuildsFromItsFile() throws IOException {
        Model m = Net.builder("mine", 1, 12, 12)
                .conv(4, 3, 1, 1, false).batchNorm().leakyRelu(0.1f)
                .residual(b -> b.conv(4, 3, 1, 1).tanh().conv(4, 3, 1, 1))
                .residual(b -> b.conv(8, 3, 2, 1).sigmoid(), sc -> sc.conv(8, 1, 2, 0))
                .avgPool(2).dropout(0.25f).flatten().linear(6).batchNorm().relu().linear(3)
                .build(9);
        Tensor x = Rand.normal(2, 1f, 2, 1, 12, 12);
        float[] expected = m.forward(x, false).data().clone();

        ModelFile back = ModelIO.fromBytes(ModelIO.toBytes(fileOf(m)), Path.of("mine.gbx"));
        assertEquals(Architecture.of(m), back.architecture());
        Model rebuilt = back.toModel();
        assertEquals(m.toString(), rebuilt.toString());
        assertArrayEquals(expected, rebuilt.forward(x, false).data(), 0f);
    }

    @Test
    void everyZooModelRebuildsFromItsRecord() {
        for (String name : Zoo.NAMES) {
            Model m = Zoo.build(name, Zoo.options(new int[]{3, 32, 32}, 10), 2);
            Model rebuilt = new Model(name, m.inputShape(), Architecture.of(m).build());
            assertEquals(Architecture.of(m), Architecture.of(rebuilt), name);
            assertEquals(m.toString(), rebuilt.toString(), name);
            assertEquals(m.state().keySet(), rebuilt.state().keySet(), name);
        }
    }

    /** A layer the engine does not know, as a student would write it. */
    static final class Cube extends Layer {
        Cube(String name) {
            super(name);
        }

        @Override
        public int[] outputShape(int[] s) {
            return s.clone();
        }

        @Override
        protected Tensor forwardImpl(Tensor x, boolean training) {
            float[] y = x.data().clone();
            for (int i = 0; i < y.length; i++) y[i] = y[i] * y[i] * y[i];
            return new Tensor(y, x.shape());
        }

        @Override
        protected Tensor backwardImpl(Tensor dy) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void anUnknownLayerKindIsRefusedByName() throws IOException {
        Model m = Net.builder("cubic", 4).linear(4).layer(new Cube("cube1")).linear(3).build(1);
        ModelFile back = ModelIO.fromBytes(ModelIO.toBytes(fileOf(m)), Path.of("cubic.gbx"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, back::toModel);
        assertTrue(e.getMessage().contains("layer 'cube1' is of kind 'glassbox.model.ArchitectureTest$Cube'"), e.getMessage());
        assertTrue(e.getMessage().contains("loadInto"), e.getMessage());
        // The weights still load into the network built in code.
        Model same = Net.builder("cubic", 4).linear(4).layer(new Cube("cube1")).linear(3).build(2);
        back.loadInto(same);
        assertArrayEquals(m.param("fc2.weight").value().data(), same.param("fc2.weight").value().data(), 0f);
    }

    @Test
    void aVersion1FileStillLoadsThroughTheZoo() throws IOException {
        byte[] b;
        try (InputStream in = ArchitectureTest.class.getResourceAsStream("v1-mlp.gbx")) {
            assertNotNull(in, "fixture v1-mlp.gbx");
            b = in.readAllBytes();
        }
        assertEquals(1, ByteBuffer.wrap(b).getInt(8), "the fixture is a version 1 file");
        ModelFile f = ModelIO.fromBytes(b, Path.of("v1-mlp.gbx"));
        assertNull(f.architecture());
        assertEquals("written by format version 1", f.meta().get("note"));
        Map<String, String> o = new LinkedHashMap<>(Zoo.options(new int[]{1, 4, 4}, 3));
        o.put("hidden", "5");
        Model expected = Zoo.build("mlp", o, 4);
        Model m = f.toModel();
        Tensor x = Rand.normal(3, 1f, 2, 1, 4, 4);
        assertArrayEquals(expected.forward(x, false).data(), m.forward(x, false).data(), 0f);
        // Saved again, it is a current-version file that records its layers.
        ModelFile again = ModelIO.fromBytes(ModelIO.toBytes(f.with(Map.of(), Map.of())), Path.of("again.gbx"));
        assertNull(again.architecture(), "nothing is invented for a file that had no record");
        ModelFile recorded = ModelIO.fromBytes(ModelIO.toBytes(fileOf(m)), Path.of("recorded.gbx"));
        assertEquals(ModelIO.VERSION, ByteBuffer.wrap(ModelIO.toBytes(fileOf(m))).getInt(8));
        assertEquals(Architecture.of(m), recorded.architecture());
    }

    @Test
    void recordReadsAsText() {
        String text = Architecture.of(Zoo.build("resnet20", Zoo.options(new int[]{3, 32, 32}, 10), 1)).toString();
        assertTrue(text.contains("block2_1       residual"), text);
        assertTrue(text.contains("shortcut:"), text);
        assertTrue(text.contains("block2_1.proj  conv             in=16 out=32 kernel=1 stride=2 padding=0 bias=false"), text);
    }
}
