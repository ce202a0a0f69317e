/**
 * Visualization toolkit. Each view is a computation that returns a record of numbers (sub-packages
 * {@code weights} and {@code activations}), a renderer that draws the record, and JSON of the same record
 * ({@link glassbox.viz.render.JsonOut}); {@link glassbox.viz.Renderings} runs all three for the
 * {@code ./glassbox viz} commands. {@code render} holds the drawing pieces (raster, bundled fonts, JFreeChart
 * theme, colormaps, layout, PNG). Visualization only reads what the engine exposes.
 */
package glassbox.viz;
