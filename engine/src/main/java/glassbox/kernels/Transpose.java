package glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix transpose, dst[c][r] = src[r][c], next to its scalar twin. Used to turn channel-major activations
 * [channels, pixels] into pixel-major ones [pixels, channels], so that a vector holds L channels of a pixel.
 *
 * <p>The fast version goes through L x L blocks in a small tile that stays in L1: L vector loads, one per
 * source row, then L gathers of a tile column, one per destination row. The obvious loop, one source row after
 * another at a time per destination row, reads planes that are often 4 KiB apart (a 32x32 image), which share
 * an L1 cache set and evict each other: measured 5x slower on smallvgg's dy.
 */
final class Transpose {
    private Transpose() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Offsets of a column of an L x L tile: 0, L, 2L, ... */
    private static final int[] COLUMN = java.util.stream.IntStream.range(0, L).map(i -> i * L).toArray();
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[L * L]);

    /** dst[dstOff + c*dstLd + r] = src[srcOff + r*srcLd + c] for r &lt; rows, c &lt; cols. */
    static void transpose(float[] src, int srcOff, int srcLd, int rows, int cols, float[] dst, int dstOff, int dstLd) {
        int vr = rows / L * L, vc = cols / L * L;
        float[] tile = TILE.get();
        for (int c0 = 0; c0 < vc; c0 += L)
            for (int r0 = 0; r0 < vr; r0 += L) {
                for (int i = 0; i < L; i++) FloatVector.fromArray(S, src, srcOff + (r0 + i) * srcLd + c0).intoArray(tile, i * L);
                for (int j = 0; j < L; j++) FloatVector.fromArray(S, tile, j, COLUMN, 0).intoArray(dst, dstOff + (c0 + j) * dstLd + r0);
            }
        for (int c = 0; c < cols; c++) // the rest: rows past vr of every column, all rows of columns past vc
            for (int r = c < vc ? vr : 0; r < rows; r++) dst[dstOff + c * dstLd + r] = src[srcOff + r * srcLd + c];
    }

    static void transposeScalar(float[] src, int srcOff, int srcLd, int rows, int cols, float[] dst, int dstOff, int dstLd) {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) dst[dstOff + c * dstLd + r] = src[srcOff + r * srcLd + c];
    }
}
