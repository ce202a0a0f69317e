/**
 * What a network learned, read from how it responds to images. Each view is a computation returning a record
 * of numbers and a renderer drawing it: {@link glassbox.viz.activations.Activations} (every layer's output for
 * one input, with the prediction) drawn by {@link glassbox.viz.activations.ActivationMaps};
 * {@link glassbox.viz.activations.ActivationStats} (mean, std, sparsity per layer) drawn by
 * {@link glassbox.viz.activations.ActivationStatsSheet}; {@link glassbox.viz.activations.TopPatches} (the image
 * patches that excite each channel most, found with a bounded {@link glassbox.viz.activations.TopK} heap, with
 * the {@link glassbox.viz.activations.ReceptiveField} computed from the architecture by
 * {@link glassbox.viz.activations.LayerGeometry}) drawn by {@link glassbox.viz.activations.TopPatchSheets}.
 */
package glassbox.viz.activations;
