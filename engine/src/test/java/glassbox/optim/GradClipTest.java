package glassbox.optim;

import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GradClipTest {
    private static List<Param> grads(float a, float b) {
        Param p = new Param("p", Tensor.zeros(1), true), q = new Param("q", Tensor.zeros(1), true);
        p.grad().data()[0] = a;
        q.grad().data()[0] = b;
        return List.of(p, q);
    }

    @Test
    void clipsToMaxNormKeepingDirection() {
        List<Param> ps = grads(3f, 4f); // global norm 5
        assertEquals(5.0, GradClip.clip(ps, 1.0), 1e-9);
        assertArrayEquals(new float[]{0.6f}, ps.get(0).grad().data(), 1e-6f);
        assertArrayEquals(new float[]{0.8f}, ps.get(1).grad().data(), 1e-6f);
    }

    @Test
    void leavesSmallGradientsAlone() {
        List<Param> ps = grads(0.3f, 0.4f);
        GradClip.clip(ps, 1.0);
        assertEquals(0.3f, ps.get(0).grad().data()[0], 0f);
        assertEquals(0.4f, ps.get(1).grad().data()[0], 0f);
    }
}
