/**
 * What a network learned, read from how it responds to images: {@link glassbox.viz.activations.ActivationMaps}
 * (every layer's maps for one input), {@link glassbox.viz.activations.ActivationStats} (mean, std, sparsity per
 * layer), {@link glassbox.viz.activations.TopPatches} (the image patches that excite each channel most, found
 * with a bounded {@link glassbox.viz.activations.TopK} heap and cropped by the
 * {@link glassbox.viz.activations.ReceptiveField} computed from the architecture by
 * {@link glassbox.viz.activations.LayerGeometry}).
 */
package glassbox.viz.activations;
