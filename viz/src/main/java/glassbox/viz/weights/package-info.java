/**
 * What a network learned, read from its weights: {@link glassbox.viz.weights.FcTemplates} (rows of a
 * pixel-facing fully connected layer as images), {@link glassbox.viz.weights.KernelSheets} (convolution kernels
 * and their gradients as grids), {@link glassbox.viz.weights.KernelStats} (orientation, frequency, colour and
 * smoothness of one kernel) and {@link glassbox.viz.weights.KernelComparison} (first layers of several
 * architectures side by side, with those numbers).
 */
package glassbox.viz.weights;
