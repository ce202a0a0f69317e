package glassbox.kernels;

/**
 * Single-precision matrix multiply, row-major: {@code C[m,n] (+)= op(A)[m,k] · op(B)[k,n]}.
 *
 * <p>{@code op(X)} is X or its transpose ({@code transA}, {@code transB}); {@code lda}, {@code ldb},
 * {@code ldc} are row strides of the matrices as stored. With {@code accumulate} the product is added to C,
 * otherwise C is overwritten. {@link #gemmScalar} is the plain triple loop that defines the result;
 * {@link #gemm} is the fast path and must agree with it.
 */
public final class Gemm {
    private Gemm() {
    }

    /** Fast path. TODO(kernels): packed, register-blocked Vector API version. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        gemmScalar(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** Reference: the definition of the product, one dot product per output element. */
    public static void gemmScalar(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += aip * bpj;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + sum : sum;
            }
        }
    }
}
