/**
 * Checks that a layer's backward pass computes the derivative of its forward pass:
 * {@link glassbox.check.GradCheck}, finite differences against the analytic gradients, for the engine's own tests
 * and for anyone writing a new layer.
 */
package glassbox.check;
