/**
 * Layers: one class per concept, each with {@code forwardImpl} and {@code backwardImpl} side by side.
 *
 * <p>{@link glassbox.layers.Layer} keeps every layer's last input, output and gradients as plain fields, so
 * visualization reads them without hooks. Convolution and pooling: {@link glassbox.layers.Conv2d},
 * {@link glassbox.layers.MaxPool2d}, {@link glassbox.layers.AvgPool2d}, {@link glassbox.layers.GlobalAvgPool};
 * dense: {@link glassbox.layers.Linear}, {@link glassbox.layers.Flatten}; activations:
 * {@link glassbox.layers.ReLU}, {@link glassbox.layers.LeakyReLU}, {@link glassbox.layers.Tanh},
 * {@link glassbox.layers.Sigmoid}; regularization and normalization: {@link glassbox.layers.Dropout},
 * {@link glassbox.layers.BatchNorm2d}, {@link glassbox.layers.BatchNorm1d}; blocks:
 * {@link glassbox.layers.Residual}.
 */
package glassbox.layers;
