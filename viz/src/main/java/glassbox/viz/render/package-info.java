/**
 * Drawing without a graphics library: {@link glassbox.viz.render.Raster} (RGB pixels), a built-in
 * {@link glassbox.viz.render.BitmapFont}, colormaps with a {@link glassbox.viz.render.ColorBar} legend,
 * {@link glassbox.viz.render.Grid} and {@link glassbox.viz.render.Page} layouts, and {@link glassbox.viz.render.Png} files.
 * Deterministic and headless: no system fonts, no Java2D drawing.
 */
package glassbox.viz.render;
