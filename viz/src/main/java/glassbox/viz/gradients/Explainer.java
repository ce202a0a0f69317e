package glassbox.viz.gradients;

import glassbox.model.Model;
import glassbox.tensor.Tensor;

/** Any method that explains one image [1, C, H, W] for a target: what {@link SanityCheck} and comparisons run. */
@FunctionalInterface
public interface Explainer {
    Attribution explain(Model m, Tensor x, Target t);
}
