package glassbox.viz.activations;

import glassbox.tensor.Tensor;
import glassbox.viz.testing.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ActivationStatsTest {
    @Test
    void knownTensor() {
        // [N=2, C=2, 1, 2]: channel 1 is zero everywhere (dead), channel 0 holds 1, 3, 0, 4
        Tensor a = Tensor.of(new float[]{1, 3, 0, 0, 0, 4, 0, 0}, 2, 2, 1, 2);
        ActivationStats.LayerStats s = ActivationStats.of("relu", "ReLU", a);
        assertEquals(1.0, s.mean(), 1e-9);
        assertEquals(Math.sqrt((1 + 9 + 16) / 8.0 - 1), s.std(), 1e-9);
        assertEquals(5 / 8.0, s.zeroFraction(), 1e-9);
        assertEquals(0.5, s.deadChannelFraction(), 1e-9);
    }

    @Test
    void everyLayerOfAModelInForwardOrder() {
        var m = TinyModels.randomize(TinyModels.residual(), 2, 0.5f);
        m.forward(Inputs.batch(TinyModels.randomImages(1, 4, 1, 16, 16, 2), new int[]{0, 1, 2, 3}, Inputs.UNIT), false);
        List<ActivationStats.LayerStats> s = ActivationStats.of(m);
        assertEquals(List.of("stem", "res1.conv1", "res1.relu", "res1.conv2", "res1.proj", "res1", "pool"),
                s.stream().map(ActivationStats.LayerStats::layer).toList());
        ActivationStats.LayerStats relu = s.get(2);
        assertTrue(relu.zeroFraction() > 0.2 && relu.zeroFraction() < 0.8, "a ReLU of random weights zeroes some: " + relu.zeroFraction());
        assertTrue(ActivationStatsSheet.render(s, 4).height() > s.size() * 10);
    }
}
