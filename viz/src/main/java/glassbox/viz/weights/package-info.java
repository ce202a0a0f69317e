/**
 * What a network learned, read from its weights. Each view is a computation returning a record of numbers
 * and a renderer drawing that record: {@link glassbox.viz.weights.FcTemplates} (rows of a pixel-facing fully
 * connected layer as images) drawn by {@link glassbox.viz.weights.TemplateSheets};
 * {@link glassbox.viz.weights.ConvKernels} (convolution kernels or their gradients) drawn by
 * {@link glassbox.viz.weights.KernelSheets}; {@link glassbox.viz.weights.KernelStats} (orientation, frequency,
 * colour and smoothness of one kernel) and {@link glassbox.viz.weights.KernelComparison} (first layers of several
 * architectures side by side, with those numbers) drawn by {@link glassbox.viz.weights.KernelComparisonSheet}.
 */
package glassbox.viz.weights;
