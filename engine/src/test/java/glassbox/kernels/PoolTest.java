package glassbox.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pool kernels against their scalar twins (exactly: pooling does not reorder sums), plus hand-checked cases. */
class PoolTest {
    private static final int THREADS = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(THREADS);
    }

    private static PoolShape[] shapes() {
        return new PoolShape[]{
                new PoolShape(1, 1, 4, 4, 2, 2), new PoolShape(2, 3, 5, 7, 2, 2),   // odd sizes: last row/col dropped
                new PoolShape(3, 2, 9, 6, 3, 2), new PoolShape(1, 4, 7, 7, 3, 1),   // overlapping windows
                new PoolShape(64, 16, 28, 28, 2, 2),                                // LeNet-5 pool1: multi-threaded path
                new PoolShape(2, 5, 8, 8, 1, 1), new PoolShape(1, 1, 6, 6, 6, 6)};
    }

    @Test
    void maxPoolingMatchesScalarWithTies() {
        Parallel.setThreads(2);
        Random r = new Random(1);
        for (PoolShape s : shapes()) {
            int in = s.planes() * s.h() * s.w(), out = s.planes() * s.hout() * s.wout();
            float[] x = new float[in];
            for (int i = 0; i < in; i++) x[i] = r.nextInt(5); // ties: the first maximum must win in both
            float[] y1 = new float[out], y2 = new float[out];
            int[] a1 = new int[out], a2 = new int[out];
            Pool.maxForward(s, x, y1, a1);
            Pool.maxForwardScalar(s, x, y2, a2);
            assertArrayEquals(y2, y1, s.toString());
            assertArrayEquals(a2, a1, s.toString());
            float[] dy = Close.random(r, out), dx1 = Close.random(r, in), dx2 = new float[in];
            Pool.maxBackward(s, dy, a1, dx1);
            Pool.maxBackwardScalar(s, dy, a2, dx2);
            assertArrayEquals(dx2, dx1, s.toString());
        }
    }

    @Test
    void averagePoolingMatchesScalar() {
        Parallel.setThreads(2);
        Random r = new Random(2);
        for (PoolShape s : shapes()) {
            int in = s.planes() * s.h() * s.w(), out = s.planes() * s.hout() * s.wout();
            float[] x = Close.random(r, in), y1 = new float[out], y2 = new float[out];
            Pool.avgForward(s, x, y1);
            Pool.avgForwardScalar(s, x, y2);
            assertArrayEquals(y2, y1, s.toString());
            float[] dy = Close.random(r, out), dx1 = Close.random(r, in), dx2 = new float[in];
            Pool.avgBackward(s, dy, dx1);
            Pool.avgBackwardScalar(s, dy, dx2);
            assertArrayEquals(dx2, dx1, s.toString());
        }
    }

    @Test
    void globalAveragePoolingMatchesScalar() {
        Random r = new Random(3);
        for (int size : new int[]{1, 15, 16, 17, 64, 100}) {
            int planes = 6;
            float[] x = Close.random(r, planes * size), y1 = new float[planes], y2 = new float[planes];
            Pool.globalAvgForward(planes, size, x, y1);
            Pool.globalAvgForwardScalar(planes, size, x, y2);
            for (int p = 0; p < planes; p++) {
                double mag = Vec.sumScalar(Close.abs(x), p * size, size) / size;
                assertEquals(y2[p], y1[p], 3e-7 * (size + 2) * mag + 1e-30);
            }
            float[] dy = Close.random(r, planes), dx1 = new float[planes * size], dx2 = new float[planes * size];
            Pool.globalAvgBackward(planes, size, dy, dx1);
            Pool.globalAvgBackwardScalar(planes, size, dy, dx2);
            assertArrayEquals(dx2, dx1);
        }
    }

    @Test
    void tooShortArraysGiveAClearError() {
        PoolShape s = new PoolShape(1, 2, 4, 4, 2, 2);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Pool.maxForward(s, new float[32], new float[8], new int[7]));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("argmax has 7 elements, needs 8"), e.getMessage());
    }

    @Test
    void handWorkedMaxPoolExample() {
        // one 4x4 plane, 2x2 windows:  1 2 | 0 0        y = 4 0
        //                              3 4 | 0 0            0 9
        //                              ----+----
        //                              0 0 | 9 1
        //                              0 0 | 1 1
        float[] x = {1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 9, 1, 0, 0, 1, 1};
        PoolShape s = new PoolShape(1, 1, 4, 4, 2, 2);
        float[] y = new float[4];
        int[] arg = new int[4];
        Pool.maxForward(s, x, y, arg);
        assertArrayEquals(new float[]{4, 0, 0, 9}, y);
        assertArrayEquals(new int[]{5, 2, 8, 10}, arg); // ties among zeros: the first in scan order wins
        float[] dx = new float[16];
        Pool.maxBackward(s, new float[]{1, 2, 3, 4}, arg, dx);
        assertArrayEquals(new float[]{0, 0, 2, 0, 0, 1, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0}, dx);
    }
}
