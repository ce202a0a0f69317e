package glassbox.testing;

import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixture reader: round trip of a hand-made file, clear errors on damaged ones, committed files complete. */
class TorchFixtureTest {
    /** A two-tensor file built by hand, byte by byte, as the Python script writes it. */
    private static byte[] sample() {
        ByteBuffer b = ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GBFX".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(2);
        byte[] n1 = "conv1.weight".getBytes(StandardCharsets.UTF_8);
        b.putInt(n1.length).put(n1).putInt(2).putInt(2).putInt(3);
        for (int i = 0; i < 6; i++) b.putFloat(i * 0.5f);
        byte[] n2 = "loss".getBytes(StandardCharsets.UTF_8);
        b.putInt(n2.length).put(n2).putInt(0).putFloat(2.25f);
        return Arrays.copyOf(b.array(), b.position());
    }

    @Test
    void readsNamesShapesAndValues() {
        TorchFixture f = TorchFixture.parse("sample", sample());
        Tensor w = f.get("conv1.weight");
        assertArrayEquals(new int[]{2, 3}, w.shape());
        assertArrayEquals(new float[]{0f, 0.5f, 1f, 1.5f, 2f, 2.5f}, w.data());
        assertEquals(0, f.get("loss").rank());
        assertEquals(2.25f, f.get("loss").data()[0]);
    }

    @Test
    void damagedFilesNameSourceAndPlace() {
        byte[] good = sample();
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> TorchFixture.parse("cut.bin", Arrays.copyOf(good, good.length - 3)));
        assertTrue(cut.getMessage().contains("cut.bin") && cut.getMessage().contains("loss"), cut.getMessage());
        byte[] bad = good.clone();
        bad[0] = 'X';
        IllegalArgumentException magic = assertThrows(IllegalArgumentException.class, () -> TorchFixture.parse("bad.bin", bad));
        assertTrue(magic.getMessage().contains("bad.bin") && magic.getMessage().contains("GBFX"), magic.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TorchFixture.parse("s", good).get("fc.bias"));
        assertTrue(missing.getMessage().contains("conv1.weight"), missing.getMessage());
    }

    /** Every parameter in a committed fixture has its gradient, of the same shape. */
    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "vgg_bn", "resblock", "misc"})
    void committedFixturesAreComplete(String net) {
        TorchFixture f = TorchFixture.load(net);
        int params = 0;
        for (String name : f.names()) {
            if (name.endsWith(".weight") || name.endsWith(".bias")) {
                if (name.startsWith("grad.") || name.startsWith("act.")) continue;
                assertArrayEquals(f.get(name).shape(), f.get("grad." + name).shape(), name);
                params++;
            }
        }
        assertTrue(params >= 4, net + " has only " + params + " parameters");
        assertEquals(f.get("input").dim(0), f.labels().length);
        assertArrayEquals(f.get("input").shape(), f.get("grad.input").shape());
    }
}
