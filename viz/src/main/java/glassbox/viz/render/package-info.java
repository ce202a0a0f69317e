/**
 * Drawing and files: {@link glassbox.viz.render.Raster} (RGB pixels for true images, with Java2D text
 * through {@link glassbox.viz.render.Raster#draw}), the bundled {@link glassbox.viz.render.Fonts},
 * JFreeChart charts styled by {@link glassbox.viz.render.Charts}, colormaps with a
 * {@link glassbox.viz.render.ColorBar} legend, {@link glassbox.viz.render.Grid} and
 * {@link glassbox.viz.render.Page} layouts, {@link glassbox.viz.render.Png} files and
 * {@link glassbox.viz.render.JsonOut} (Jackson) for the numbers behind each picture.
 */
package glassbox.viz.render;
