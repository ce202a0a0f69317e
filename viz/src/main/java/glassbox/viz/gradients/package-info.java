/**
 * Gradient-based explanations: which input pixels drive a class score or a feature map, and which inputs
 * a network "wants" to see.
 *
 * <p>Each method is one small class returning a record of numbers (no drawing): {@link Saliency} (vanilla
 * gradient, signed gradient), {@link GradientTimesInput}, {@link GuidedBackprop} and deconvnet,
 * {@link SmoothGrad}, {@link IntegratedGradients}, {@link GradCam} and Guided Grad-CAM,
 * {@link Occlusion}, {@link ClassModel} (activation maximization), {@link FeatureInversion}, and the
 * {@link SanityCheck} of Adebayo et al. 2018. What to explain is a {@link Target}: a class score or one
 * channel of any layer. Every backward pass here goes through {@link Backprop}, which turns parameter
 * gradients off (explanations need only dL/dx) and leaves the model as it found it. {@link Explanations}
 * renders the records; the CLI, the report and the explorer call the same classes.
 */
package glassbox.viz.gradients;
