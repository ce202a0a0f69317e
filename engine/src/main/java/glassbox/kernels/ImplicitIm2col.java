package glassbox.kernels;

/**
 * The im2col matrix of a stride-1 convolution without writing it out.
 *
 * <p>Copy an image into a zero-padded buffer xp [cin, hp, wp] (hp = h + 2*pad, wp = w + 2*pad) and read it
 * as one flat array. Output position (oy, ox) multiplies weight[., ci, ky, kx] by xp[ci, oy + ky, ox + kx],
 * which sits at flat index {@code ci*hp*wp + ky*wp + kx + (oy*wp + ox)}. So row (ci, ky, kx) of the im2col
 * matrix is the run of xp starting at {@code rows[(ci, ky, kx)] = ci*hp*wp + ky*wp + kx}, indexed by
 * p = oy*wp + ox: every row is the same padded image, shifted. The price is that p also takes the
 * {@code wp - wout} positions per output row that lie past the right edge (ox &gt;= wout); a product over p
 * gives them zero weight by zeroing those positions in the operand that runs along p (here dy).
 *
 * <p>{@link Conv} uses it two ways. Read in place: dWᵀ [cin*k*k, cout] = col · dyᵀ, where {@link Gemm#gemmRowsA}
 * reads the rows of col in xp and dyᵀ [hout*wp, cout] is dy transposed with zero rows at the dead positions
 * (for smallvgg's 32x32 layers p runs over 32*34 instead of 32*32 positions, 6% more multiply-adds, and the
 * 9-times-larger col matrix is neither written nor packed). Written out with wide rows ({@link #fill},
 * {@link #accumulate}): one copy per row of col, for layers whose output rows are too short to copy one by one.
 */
final class ImplicitIm2col {
    private ImplicitIm2col() {
    }

    /** Stride 1 (any kernel size and padding), and not 1x1 without padding (there x already is col). */
    static boolean applies(ConvShape s) {
        return s.stride() == 1 && !(s.k() == 1 && s.pad() == 0);
    }

    static int paddedWidth(ConvShape s) {
        return s.w() + 2 * s.pad();
    }

    /** Floats of one padded channel plane: hp * wp. */
    static int paddedPlane(ConvShape s) {
        return (s.h() + 2 * s.pad()) * paddedWidth(s);
    }

    /** Positions p = oy*wp + ox that a row of col runs over: hout * wp. */
    static int positions(ConvShape s) {
        return s.hout() * paddedWidth(s);
    }

    /**
     * Floats of the padded image buffer: cin*hp*wp, plus k for the last row, whose window ends k - 2 floats
     * past the last plane (it covers the dead positions of the last output row).
     */
    static int paddedLength(ConvShape s) {
        return s.cin() * paddedPlane(s) + s.k();
    }

    /** Start of row (ci, ky, kx) of col in the padded image, for every row in im2col's order. */
    static int[] rows(ConvShape s) {
        int k = s.k(), wp = paddedWidth(s), plane = paddedPlane(s);
        int[] rows = new int[s.cin() * k * k];
        int r = 0;
        for (int ci = 0; ci < s.cin(); ci++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++) rows[r++] = ci * plane + ky * wp + kx;
        return rows;
    }

    /** xp [cin, hp, wp] (+ slack) = image x[xOff ..] [cin, h, w] with a zero border of pad pixels. */
    static void pad(ConvShape s, float[] x, int xOff, float[] xp) {
        int h = s.h(), w = s.w(), pad = s.pad(), wp = paddedWidth(s), plane = paddedPlane(s);
        java.util.Arrays.fill(xp, 0, paddedLength(s), 0f);
        for (int ci = 0; ci < s.cin(); ci++)
            for (int iy = 0; iy < h; iy++)
                System.arraycopy(x, xOff + (ci * h + iy) * w, xp, ci * plane + (iy + pad) * wp + pad, w);
    }

    /**
     * Writes the im2col matrix out with rows of {@link #positions} floats ("wide" rows, dead positions
     * included): row r of image x[xOff ..] goes to col[colOff + r*ld ..], one copy of the padded image's run
     * from rows[r]. Much cheaper than im2col's copy per output row when those are short (LeNet's conv2: one
     * copy of 140 floats instead of ten of 10); xp is scratch of {@link #paddedLength} floats.
     */
    static void fill(ConvShape s, float[] x, int xOff, int[] rows, float[] xp, float[] col, int colOff, int ld) {
        pad(s, x, xOff, xp);
        int p = positions(s);
        for (int r = 0; r < rows.length; r++) System.arraycopy(xp, rows[r], col, colOff + r * ld, p);
    }

    /**
     * The adjoint of {@link #fill}: dx[xOff ..] [cin, h, w] = the sum of every wide col entry back onto its
     * pixel (overwritten). Dead positions must hold zeros (they land on the padding or on the next row's
     * left edge). xp is scratch of {@link #paddedLength} floats.
     */
    static void accumulate(ConvShape s, float[] col, int colOff, int ld, int[] rows, float[] xp, float[] dx, int xOff) {
        int p = positions(s), h = s.h(), w = s.w(), pad = s.pad(), wp = paddedWidth(s), plane = paddedPlane(s);
        java.util.Arrays.fill(xp, 0, paddedLength(s), 0f);
        for (int r = 0; r < rows.length; r++) Vec.axpy(1f, col, colOff + r * ld, xp, rows[r], p);
        for (int ci = 0; ci < s.cin(); ci++)
            for (int iy = 0; iy < h; iy++)
                System.arraycopy(xp, ci * plane + (iy + pad) * wp + pad, dx, xOff + (ci * h + iy) * w, w);
    }

    /**
     * Spreads the dy (or y) of {@code count} images, image i at src[srcOff + i*stride ..] [cout, hout, wout],
     * into dst [cout, count * positions]: image i's row oy at columns i*positions + oy*wp, zeros at the dead
     * positions.
     */
    static void spread(ConvShape s, float[] src, int srcOff, int stride, int count, float[] dst) {
        int cout = s.cout(), ho = s.hout(), wo = s.wout(), wp = paddedWidth(s), p = positions(s), ld = count * p;
        for (int co = 0; co < cout; co++)
            for (int i = 0; i < count; i++)
                for (int oy = 0; oy < ho; oy++) {
                    int d = co * ld + i * p + oy * wp;
                    System.arraycopy(src, srcOff + i * stride + (co * ho + oy) * wo, dst, d, wo);
                    java.util.Arrays.fill(dst, d + wo, d + wp, 0f);
                }
    }

    /** The inverse of {@link #spread}: src [cout, count * positions] back to count images [cout, hout, wout]. */
    static void crop(ConvShape s, float[] src, int count, float[] dst, int dstOff, int stride) {
        int cout = s.cout(), ho = s.hout(), wo = s.wout(), wp = paddedWidth(s), p = positions(s), ld = count * p;
        for (int co = 0; co < cout; co++)
            for (int i = 0; i < count; i++)
                for (int oy = 0; oy < ho; oy++)
                    System.arraycopy(src, co * ld + i * p + oy * wp, dst, dstOff + i * stride + (co * ho + oy) * wo, wo);
    }

    /**
     * dyT [hout*wp, cout]: dyT[oy*wp + ox][co] = dy[dyOff + (co*hout + oy)*wout + ox] for ox &lt; wout, and 0 at
     * the dead positions ox &gt;= wout, so that they add nothing to a product over p.
     */
    static void transposeDy(ConvShape s, float[] dy, int dyOff, float[] dyT) {
        int cout = s.cout(), ho = s.hout(), wo = s.wout(), wp = paddedWidth(s);
        for (int oy = 0; oy < ho; oy++) { // row oy of every channel [cout, wo] -> [wo, cout], then zero dead rows
            Transpose.transpose(dy, dyOff + oy * wo, ho * wo, cout, wo, dyT, oy * wp * cout, cout);
            java.util.Arrays.fill(dyT, (oy * wp + wo) * cout, (oy + 1) * wp * cout, 0f);
        }
    }
}
