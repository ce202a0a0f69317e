/**
 * Training statistics: what every layer's weights, gradients, updates and activations looked like during
 * training, recorded by {@link glassbox.train.stats.StatsRecorder} into a run file
 * ({@link glassbox.train.stats.RunFile}, JSON Lines), read back by {@link glassbox.train.stats.RunReader}, and
 * read in words by the {@link glassbox.train.stats.Diagnoser} (vanishing or exploding gradients, dead ReLUs,
 * saturated units, a learning rate too high or too low, a loss that does not decrease).
 */
package glassbox.train.stats;
