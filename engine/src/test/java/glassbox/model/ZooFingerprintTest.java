package glassbox.model;

import glassbox.layers.Layer;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The zoo's networks stay what they were when they were first written out layer by layer: the same layers
 * (names and kinds, in order), the same parameter and buffer names and shapes, and bit for bit the same
 * initial values for a seed. The checksums were taken from that first Zoo, before it was rewritten with
 * {@link Net}; a change to any name, shape, initializer or seed derivation changes them.
 */
class ZooFingerprintTest {
    /** CRC-32 of {@link #fingerprint} of each model built with seed 1, for MNIST-shaped and CIFAR-shaped input. */
    private static final Map<String, String> EXPECTED = Map.of(
            "linear", "d2932238 1cd88c9d",
            "mlp", "fe324ff9 44824306",
            "lenet5", "d08cd582 ba79eada",
            "smallvgg", "33bb1b37 4a71f655",
            "resnet20", "7ec814f5 ab6bd78f");

    @Test
    void everyZooModelIsBuiltAsBefore() {
        for (String name : EXPECTED.keySet()) {
            String got = crc(name, new int[]{1, 28, 28}) + " " + crc(name, new int[]{3, 32, 32});
            assertEquals(EXPECTED.get(name), got, () -> name + " changed; its layers and tensors now:\n"
                    + fingerprint(Zoo.build(name, Zoo.options(new int[]{1, 28, 28}, 10), 1)));
        }
    }

    private static String crc(String name, int[] input) {
        CRC32 c = new CRC32();
        c.update(fingerprint(Zoo.build(name, Zoo.options(input, 10), 1)).getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(c.getValue());
    }

    /** One line per layer (name, class) then one per tensor (name, shape, hash of the float bits). */
    static String fingerprint(Model m) {
        StringBuilder b = new StringBuilder(m.arch()).append(' ').append(Arrays.toString(m.inputShape())).append('\n');
        for (Layer l : m.allLayers()) b.append(l.name()).append(' ').append(l.getClass().getSimpleName()).append('\n');
        for (Map.Entry<String, Tensor> e : m.state().entrySet()) {
            b.append(e.getKey()).append(' ').append(e.getValue().shapeString()).append(' ')
                    .append(Integer.toHexString(Arrays.hashCode(e.getValue().data()))).append('\n');
        }
        return b.toString();
    }
}
