/**
 * Training: mini-batches with augmentation prepared on a background thread ({@link glassbox.train.Batches}),
 * the deterministic, resumable {@link glassbox.train.Trainer}, and {@link glassbox.train.Evaluation}. What happens
 * inside during training (statistics, run file, diagnoses) is in {@link glassbox.train.stats}.
 */
package glassbox.train;
