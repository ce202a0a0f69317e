package glassbox.kernels;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The tiled transpose against its scalar twin: sizes around the tile width (16), strides and offsets. */
class TransposeTest {
    @Test
    void agreesWithScalarOnEdgesStridesAndOffsets() {
        Random r = new Random(3);
        int[] sizes = {1, 5, 15, 16, 17, 32, 33, 50};
        for (int rows : sizes)
            for (int cols : sizes) {
                int srcLd = cols + r.nextInt(4), dstLd = rows + r.nextInt(4), srcOff = r.nextInt(7), dstOff = r.nextInt(7);
                float[] src = Close.random(r, srcOff + rows * srcLd + 3);
                float[] fast = Close.random(r, dstOff + cols * dstLd + 3), slow = fast.clone(); // untouched around
                Transpose.transpose(src, srcOff, srcLd, rows, cols, fast, dstOff, dstLd);
                Transpose.transposeScalar(src, srcOff, srcLd, rows, cols, slow, dstOff, dstLd);
                assertArrayEquals(slow, fast, rows + "x" + cols + " srcLd=" + srcLd + " dstLd=" + dstLd);
            }
    }
}
