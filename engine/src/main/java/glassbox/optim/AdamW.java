package glassbox.optim;

import glassbox.tensor.Param;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay
 * Regularization"): the weight shrinks by {@code lr·weightDecay·w} each step, outside the adaptive
 * scaling, instead of adding {@code weightDecay·w} to the gradient as L2-regularized {@link Adam} does.
 * Same update order as PyTorch's {@code torch.optim.AdamW}: decay first, then the Adam step.
 */
public final class AdamW extends Adam {
    public AdamW(List<Param> params, double lr, double weightDecay) {
        super(params, lr, 0.9, 0.999, 1e-8, weightDecay, true);
    }
}
