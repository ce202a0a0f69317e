package glassbox.viz.activations;

import glassbox.model.Model;
import glassbox.model.Zoo;
import glassbox.tensor.Tensor;
import glassbox.viz.testing.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LayerGeometryTest {
    @Test
    void leNet5LayersMatchTheHandComputation() {
        Model m = TinyModels.lenet5();
        assertEquals(new ReceptiveField(5, 1, 0), LayerGeometry.receptiveField(m, "conv1"));
        assertEquals(new ReceptiveField(5, 1, 0), LayerGeometry.receptiveField(m, "relu1"));
        assertEquals(new ReceptiveField(6, 2, 0), LayerGeometry.receptiveField(m, "pool1"));
        assertEquals(new ReceptiveField(14, 2, 0), LayerGeometry.receptiveField(m, "conv2"));
        assertEquals(new ReceptiveField(16, 4, 0), LayerGeometry.receptiveField(m, "pool2"));
        assertEquals(32, LayerGeometry.receptiveField(m, "conv3").size()); // C5 sees all of the 32x32 input
        assertTrue(LayerGeometry.receptiveField(m, "fc").size() >= 32);
    }

    @Test
    void smallVggLayersMatchTheHandComputation() {
        Model m = TinyModels.smallVgg();
        String[] layers = {"conv1", "conv2", "pool1", "conv3", "conv4", "pool2", "conv5", "conv6", "pool3"};
        int[] sizes = {3, 5, 6, 10, 14, 16, 24, 32, 36};
        int[] jumps = {1, 1, 2, 2, 2, 4, 4, 4, 8};
        for (int i = 0; i < layers.length; i++) {
            ReceptiveField rf = LayerGeometry.receptiveField(m, layers[i]);
            assertEquals(sizes[i], rf.size(), layers[i]);
            assertEquals(jumps[i], rf.jump(), layers[i]);
        }
        assertEquals(-1, LayerGeometry.receptiveField(m, "conv1").start());
        assertEquals(-2, LayerGeometry.receptiveField(m, "conv2").start());
    }

    /** The zoo's own networks, by hand: see the comments for each sum. */
    @Test
    void zooNetworksMatchTheHandComputation() {
        Model lenet = Zoo.build("lenet5", Zoo.options(new int[]{1, 28, 28}, 10), 1); // conv1 pads 28x28 MNIST by 2
        assertEquals(new ReceptiveField(5, 1, -2), LayerGeometry.receptiveField(lenet, "conv1"));
        assertEquals(new ReceptiveField(6, 2, -2), LayerGeometry.receptiveField(lenet, "pool1"));   // 5 + 1*1
        assertEquals(new ReceptiveField(14, 2, -2), LayerGeometry.receptiveField(lenet, "conv2"));  // 6 + 4*2
        assertEquals(new ReceptiveField(16, 4, -2), LayerGeometry.receptiveField(lenet, "pool2"));  // 14 + 1*2

        Model vgg = Zoo.build("smallvgg", Zoo.options(new int[]{3, 32, 32}, 10), 1);
        String[] layers = {"conv1", "conv2", "pool1", "conv3", "conv4", "pool2"};
        int[][] expected = {{3, 1, -1}, {5, 1, -2}, {6, 2, -2}, {10, 2, -4}, {14, 2, -6}, {16, 4, -6}};
        for (int i = 0; i < layers.length; i++) {
            ReceptiveField rf = LayerGeometry.receptiveField(vgg, layers[i]);
            assertEquals(new ReceptiveField(expected[i][0], expected[i][1], expected[i][2]), rf, layers[i]);
        }

        // resnet20: conv1 3; stage 1 adds 2 convs x 3 blocks at jump 1: 3 + 6*2 = 15 (start -7);
        // block2_1 strides by 2: 15 + 2 + 2*2 = 21; two more blocks at jump 2: 29, 37;
        // block3_1: 37 + 4 + 2*4 = 49, then 65, 81 (jump 4).
        Model res = Zoo.build("resnet20", Zoo.options(new int[]{3, 32, 32}, 10), 1);
        assertEquals(new ReceptiveField(15, 1, -7), LayerGeometry.receptiveField(res, "block1_3"));
        assertEquals(new ReceptiveField(17, 2, -8), LayerGeometry.receptiveField(res, "block2_1.conv1"));
        assertEquals(new ReceptiveField(15, 2, -7), LayerGeometry.receptiveField(res, "block2_1.proj"));
        assertEquals(new ReceptiveField(21, 2, -10), LayerGeometry.receptiveField(res, "block2_1"));
        assertEquals(37, LayerGeometry.receptiveField(res, "relu2_3").size());
        assertEquals(new ReceptiveField(81, 4, -40), LayerGeometry.receptiveField(res, "block3_3"));
    }

    @Test
    void residualBlockIsTheUnionOfItsPaths() {
        Model m = TinyModels.residual();
        // stem 3x3 p1: size 3, start -1. main: conv 3x3 s2 p1 -> 5, jump 2, start -2; conv 3x3 p1 -> 9, start -4.
        assertEquals(new ReceptiveField(5, 2, -2), LayerGeometry.receptiveField(m, "res1.conv1"));
        assertEquals(new ReceptiveField(9, 2, -4), LayerGeometry.receptiveField(m, "res1.conv2"));
        assertEquals(new ReceptiveField(3, 2, -1), LayerGeometry.receptiveField(m, "res1.proj"));
        assertEquals(new ReceptiveField(9, 2, -4), LayerGeometry.receptiveField(m, "res1"));
        assertEquals(new ReceptiveField(11, 4, -4), LayerGeometry.receptiveField(m, "pool"));
    }

    /**
     * The computed window is exactly the set of input pixels whose gradient is non-zero when one unit is
     * backpropagated (no ReLU and average pooling, so no path is cut).
     */
    @Test
    void windowMatchesTheGradientSupportOfOneUnit() {
        Model m = new Model("probe", new int[]{1, 20, 20}, List.of(
                new glassbox.layers.Conv2d("c1", 1, 2, 3, 1, 1, false), new glassbox.layers.AvgPool2d("p1", 2, 2),
                new glassbox.layers.Conv2d("c2", 2, 2, 5, 2, 2, false)));
        TinyModels.randomize(m, 5, 1);
        for (float[] d : new float[][]{m.param("c1.weight").value().data(), m.param("c2.weight").value().data()}) {
            for (int i = 0; i < d.length; i++) d[i] = Math.abs(d[i]) + 0.1f; // positive: no cancellation
        }
        ReceptiveField rf = LayerGeometry.receptiveField(m, "c2");
        Tensor y = m.forward(Tensor.zeros(1, 1, 20, 20).fill(1f), false);
        for (int[] unit : new int[][]{{0, 0}, {2, 3}, {4, 4}}) {
            Tensor g = Tensor.zeros(y.shape());
            g.set(0, 1, unit[0], unit[1], 1f);
            Tensor dx = m.backward(g);
            for (int yy = 0; yy < 20; yy++) {
                for (int xx = 0; xx < 20; xx++) {
                    boolean inside = yy >= rf.first(unit[0]) && yy <= rf.last(unit[0]) && xx >= rf.first(unit[1]) && xx <= rf.last(unit[1]);
                    assertEquals(inside, dx.get(0, 0, yy, xx) != 0f, "pixel " + yy + "," + xx + " for unit " + unit[0] + "," + unit[1]);
                }
            }
        }
    }

    @Test
    void unknownLayerListsTheValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerGeometry.receptiveField(TinyModels.lenet5(), "conv9"));
        assertTrue(e.getMessage().contains("conv1"), e.getMessage());
        assertEquals(List.of("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "conv3", "relu3"), LayerGeometry.spatialLayers(TinyModels.lenet5()));
    }
}
