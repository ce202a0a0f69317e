/**
 * Optimizers ({@link glassbox.optim.SGD}, {@link glassbox.optim.Adam}, {@link glassbox.optim.AdamW}),
 * learning-rate schedules ({@link glassbox.optim.LrSchedule}) and gradient clipping
 * ({@link glassbox.optim.GradClip}). Each optimizer cites its paper and states its update rule.
 */
package glassbox.optim;
