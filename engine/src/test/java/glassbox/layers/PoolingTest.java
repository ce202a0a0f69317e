package glassbox.layers;

import glassbox.tensor.Tensor;
import glassbox.check.GradCheck;
import glassbox.testing.Rand;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MaxPool2d, AvgPool2d, GlobalAvgPool and Flatten. */
class PoolingTest {
    @Test
    void maxPoolGradients() {
        // distinct values 0.05 apart and h = 0.01: a finite-difference step never changes a window's winner
        GradCheck.check(new MaxPool2d("pool", 2, 2), Rand.distinct(1, 0.05f, 2, 3, 6, 7), true, 2);
    }

    @Test
    void maxPoolOverlappingWindowsAccumulate() {
        GradCheck.check(new MaxPool2d("pool", 3, 2), Rand.distinct(3, 0.05f, 2, 2, 7, 7), true, 4);
        // the centre of a 3×3 input with a 2×2 window stride 1 wins all four windows
        MaxPool2d p = new MaxPool2d("pool", 2, 1);
        Tensor x = Tensor.of(new float[]{0, 1, 0, 1, 9, 1, 0, 1, 0}, 1, 1, 3, 3);
        assertArrayEquals(new float[]{9, 9, 9, 9}, p.forward(x, false).data());
        Tensor dx = p.backward(Tensor.of(new float[]{1, 2, 3, 4}, 1, 1, 2, 2));
        assertArrayEquals(new float[]{0, 0, 0, 0, 10, 0, 0, 0, 0}, dx.data());
    }

    @Test
    void maxPoolByHandAndFloorShape() {
        MaxPool2d p = new MaxPool2d("pool", 2, 2);
        Tensor x = Tensor.of(new float[]{
                1, 5, 2, 0, 7,
                3, 4, 8, 1, 7,
                9, 9, 9, 9, 9}, 1, 1, 3, 5);
        Tensor y = p.forward(x, false);
        assertArrayEquals(new int[]{1, 1, 1, 2}, y.shape()); // floor: last row and column dropped
        assertArrayEquals(new float[]{5, 8}, y.data());
    }

    @Test
    void avgPoolGradientsAndValue() {
        GradCheck.check(new AvgPool2d("avg", 2, 2), Rand.normal(5, 1f, 2, 3, 5, 6), true, 6);
        GradCheck.check(new AvgPool2d("avg", 3, 1), Rand.normal(7, 1f, 1, 2, 5, 4), true, 8);
        Tensor y = new AvgPool2d("avg", 2, 2).forward(Tensor.of(new float[]{1, 2, 3, 6}, 1, 1, 2, 2), false);
        assertArrayEquals(new float[]{3f}, y.data());
    }

    @Test
    void globalAvgPoolGradientsAndValue() {
        GradCheck.check(new GlobalAvgPool("gap"), Rand.normal(9, 1f, 3, 4, 3, 5), true, 10);
        Tensor y = new GlobalAvgPool("gap").forward(Tensor.of(new float[]{1, 2, 3, 6, 10, 10, 10, 10}, 1, 2, 2, 2), false);
        assertArrayEquals(new int[]{1, 2}, y.shape());
        assertArrayEquals(new float[]{3f, 10f}, y.data());
    }

    @Test
    void flattenKeepsNchwOrderAndShares() {
        Flatten f = new Flatten("flat");
        Tensor x = Rand.normal(11, 1f, 2, 3, 4, 5);
        Tensor y = f.forward(x, false);
        assertArrayEquals(new int[]{2, 60}, y.shape());
        assertSame(x.data(), y.data());
        assertTrue(y.data()[(1 * 3 + 2) * 20 + 3 * 5 + 4] == x.get(1, 2, 3, 4));
        GradCheck.check(f, x, true, 12);
        f.forward(x, true);
        assertArrayEquals(x.shape(), f.backward(Tensor.zeros(2, 60)).shape());
    }

    @Test
    void poolWrongRankOrTooSmallNamesLayer() {
        ShapeException e = assertThrows(ShapeException.class, () -> new MaxPool2d("pool1", 2, 2).forward(Tensor.zeros(4, 10), false));
        assertTrue(e.getMessage().contains("pool1") && e.getMessage().contains("[4, 10]"), e.getMessage());
        ShapeException s = assertThrows(ShapeException.class, () -> new AvgPool2d("pool2", 3, 3).forward(Tensor.zeros(1, 1, 2, 2), false));
        assertTrue(s.getMessage().contains("pool2 (AvgPool2d k=3)") && s.getMessage().contains("[1, 1, 2, 2]"), s.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d("pool3", 0, 1));
        assertTrue(k.getMessage().contains("pool3: bad MaxPool2d kernel=0"), k.getMessage());
        ShapeException g = assertThrows(ShapeException.class, () -> new GlobalAvgPool("gap").forward(Tensor.zeros(1, 8), false));
        assertTrue(g.getMessage().contains("gap"), g.getMessage());
    }
}
