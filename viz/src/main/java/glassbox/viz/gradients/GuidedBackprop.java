package glassbox.viz.gradients;

import glassbox.layers.ReLU;
import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.List;

/**
 * Guided backpropagation (Springenberg et al. 2015, "Striving for Simplicity: The All Convolutional Net")
 * and the deconvnet (Zeiler &amp; Fergus 2014, "Visualizing and Understanding Convolutional Networks"): the
 * input gradient with every ReLU's backward rule changed (see {@link ReLU.Rule}). Guided: pass dy where
 * dy &gt; 0 and x &gt; 0, so only positive evidence flows back through active units; deconvnet: pass dy
 * where dy &gt; 0, ignoring the forward. The gradient below each ReLU is then non-negative; convolutions
 * and linear layers below can still mix signs, so the input map is signed (summed over channels).
 */
public final class GuidedBackprop {
    private GuidedBackprop() {
    }

    /** Guided backpropagation of one image [1, C, H, W]. */
    public static Attribution guided(Model m, Tensor x, Target t, List<String> classNames) {
        return of("guided-backprop", ReLU.Rule.GUIDED, m, x, t, classNames);
    }

    /** Deconvnet of one image [1, C, H, W]. */
    public static Attribution deconvnet(Model m, Tensor x, Target t, List<String> classNames) {
        return of("deconvnet", ReLU.Rule.DECONVNET, m, x, t, classNames);
    }

    private static Attribution of(String method, ReLU.Rule rule, Model m, Tensor x, Target t, List<String> classNames) {
        Backprop.requireOne(x);
        Backprop.Pass p = Backprop.run(m, x, t, rule);
        int c = x.dim(1), h = x.dim(2), w = x.dim(3);
        float[] g = p.inputGradient().data().clone();
        return Attribution.of(method, t.describe(classNames), p.scores()[0], c, h, w, g, Maps.sumOverChannels(g, c, h * w), true);
    }
}
