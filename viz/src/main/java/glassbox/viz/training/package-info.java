/**
 * Training over time, from a run file ({@link glassbox.train.stats.RunReader}): {@link glassbox.viz.training.TrainingView}
 * turns the records into series and histogram heatmaps (numbers only), {@link glassbox.viz.training.TrainingCharts}
 * draws them with JFreeChart, with the diagnoses marked where they start.
 */
package glassbox.viz.training;
