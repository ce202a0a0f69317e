/**
 * The engine's number crunching, on flat {@code float[]} arrays: matrix multiply ({@link glassbox.kernels.Gemm}),
 * convolution ({@link glassbox.kernels.Conv}), pooling ({@link glassbox.kernels.Pool}), element-wise kernels and
 * reductions ({@link glassbox.kernels.Vec}), and deterministic multithreading ({@link glassbox.kernels.Parallel}).
 *
 * <p>This is the only package that imports {@code jdk.incubator.vector} (run with
 * {@code --add-modules jdk.incubator.vector}). Every fast kernel has a scalar twin with the same signature
 * ({@code gemmScalar}, {@code forwardScalar}, ...) that is the definition of what it computes; the tests in
 * {@code glassbox.kernels} hold each fast kernel to its twin on random shapes, vector tails included.
 * {@link glassbox.kernels.FastPath} is the one switch that sends every kernel to its twin
 * ({@code -Dglassbox.scalar=true}). Which algorithm a convolution runs is data: a
 * {@link glassbox.kernels.ConvPlan}, chosen in one function and tabled in its Javadoc.
 * Layers call these kernels; nothing here knows about layers or tensors.
 */
package glassbox.kernels;
