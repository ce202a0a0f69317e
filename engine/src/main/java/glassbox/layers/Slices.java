package glassbox.layers;

import glassbox.kernels.Parallel;

/**
 * Element-wise work on a large tensor shared between threads: the flat range is cut into blocks, and the
 * blocks into one slice per thread. Element-wise kernels give the same bits whatever the cut. Used by the
 * layers whose work is one pass over a tensor ({@link ReLU}, {@link Residual}'s sum). Leaves out reductions
 * (their result would depend on the cut).
 */
final class Slices {
    /** Tensors below this many floats run on the calling thread (a hand-over would cost more than it saves). */
    static final int PARALLEL_MIN = 1 << 15;
    private static final int BLOCK = 1024;

    private Slices() {
    }

    /** One slice [off, off + len) of the range. */
    interface Slice {
        void run(int off, int len);
    }

    /**
     * Runs body over [0, len): tensors of at least {@link #PARALLEL_MIN} floats in one slice per thread (whole
     * blocks of 1,024). Measured for ReLU with 2 threads, data in cache: 1.6-2.2x on 0.1-2 M floats.
     */
    static void run(int len, Slice body) {
        if (len < PARALLEL_MIN) {
            body.run(0, len);
            return;
        }
        int blocks = Math.ceilDiv(len, BLOCK);
        Parallel.forRange(blocks, (chunk, from, to) -> body.run(from * BLOCK, Math.min(len, to * BLOCK) - from * BLOCK));
    }
}
