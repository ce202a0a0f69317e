/**
 * Losses and the output gradients that start a backward pass: {@link glassbox.loss.SoftmaxCrossEntropy}
 * for training, {@link glassbox.loss.Gradients} (one-hot class scores, single channels) for explaining.
 */
package glassbox.loss;
