/**
 * Visualization toolkit: {@link glassbox.viz.Renderings} writes every rendering of a model as PNG + JSON (the
 * {@code ./glassbox viz} commands call it). Sub-packages: {@code render} (drawing, fonts, colormaps, layout),
 * {@code weights}, {@code activations}. Visualization only reads what the engine exposes.
 */
package glassbox.viz;
