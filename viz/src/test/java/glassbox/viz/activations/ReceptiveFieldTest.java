package glassbox.viz.activations;

import glassbox.viz.activations.ReceptiveField.Stage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ReceptiveFieldTest {
    private static Stage conv(int k, int p) {
        return new Stage("conv", k, 1, p);
    }

    private static Stage pool() {
        return new Stage("pool", 2, 2, 0);
    }

    @Test
    void leNet5ByHand() {
        // conv 5x5 -> 5; pool 2/2 -> 6 (jump 2); conv 5x5 -> 6 + 4*2 = 14; pool -> 16 (jump 4);
        // conv 5x5 (C5) -> 16 + 4*4 = 32: the classic result that C5 sees the whole 32x32 input.
        assertEquals(new ReceptiveField(5, 1, 0), ReceptiveField.of(List.of(conv(5, 0))));
        assertEquals(new ReceptiveField(6, 2, 0), ReceptiveField.of(List.of(conv(5, 0), pool())));
        assertEquals(new ReceptiveField(14, 2, 0), ReceptiveField.of(List.of(conv(5, 0), pool(), conv(5, 0))));
        assertEquals(new ReceptiveField(16, 4, 0), ReceptiveField.of(List.of(conv(5, 0), pool(), conv(5, 0), pool())));
        assertEquals(32, ReceptiveField.of(List.of(conv(5, 0), pool(), conv(5, 0), pool(), conv(5, 0))).size());
        // with padding 2 on the first conv (28x28 MNIST kept at 28x28) the window starts 2 pixels out
        ReceptiveField padded = ReceptiveField.of(List.of(conv(5, 2), pool(), conv(5, 0), pool()));
        assertEquals(16, padded.size());
        assertEquals(-2, padded.first(0));
        assertEquals(-2 + 4 * 3, padded.first(3));
        assertEquals(-2 + 12 + 15, padded.last(3));
    }

    @Test
    void smallVggByHand() {
        // pairs of 3x3 'same' convs then 2x2 pooling: 3, 5, pool 6 (jump 2), 10, 14, pool 16 (jump 4),
        // 24, 32, pool 36 (jump 8)
        int[] expected = {3, 5, 6, 10, 14, 16, 24, 32, 36};
        List<Stage> net = List.of(conv(3, 1), conv(3, 1), pool(), conv(3, 1), conv(3, 1), pool(), conv(3, 1), conv(3, 1), pool());
        for (int i = 0; i < net.size(); i++) {
            assertEquals(expected[i], ReceptiveField.of(net.subList(0, i + 1)).size(), "after stage " + i);
        }
        ReceptiveField rf = ReceptiveField.of(net);
        assertEquals(8, rf.jump());
        assertEquals(-1 - 1 - 2 - 2 - 4 - 4, rf.start()); // padding 1 at jumps 1,1,2,2,4,4
    }

    @Test
    void identityStagesChangeNothing() {
        assertEquals(ReceptiveField.of(List.of(conv(3, 1))),
                ReceptiveField.of(List.of(Stage.identity("relu"), conv(3, 1), Stage.identity("bn"))));
        assertThrows(IllegalArgumentException.class, () -> new Stage("bad", 0, 1, 0));
    }
}
