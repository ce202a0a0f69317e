package glassbox.viz.gradients;

import glassbox.layers.Layer;
import glassbox.layers.ReLU;
import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.List;

/**
 * Grad-CAM (Selvaraju et al. 2017, "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 * Localization") and Guided Grad-CAM.
 *
 * <p>At a layer with feature maps A [K, h, w]: weights {@code α_k = mean_{h,w} d score / d A_k}, map
 * {@code cam = ReLU(sum_k α_k A_k)} [h, w], then upsampled bilinearly to the input's H x W with
 * {@link Maps#bilinear} (PyTorch's {@code align_corners=False}: pixel centres aligned). The default layer is
 * the last one whose output still has spatial extent (h·w &gt; 1), e.g. {@code pool2} of LeNet-5 or the
 * last residual block's ReLU of resnet20; for a channel target, the last such layer before it. The map is
 * not normalized (the paper divides by its maximum for display; the real values are kept here).
 *
 * <p>Guided Grad-CAM multiplies guided backprop [C, H, W] by the upsampled map, pixel by pixel.
 */
public final class GradCam {
    private GradCam() {
    }

    /**
     * @param attribution the upsampled map [H, W] (raw = map, one channel)
     * @param layer       the layer the map was taken at
     * @param camHeight   h
     * @param camWidth    w
     * @param cam         the map at the layer's resolution [h, w], after the ReLU
     * @param weights     α_k [K]
     */
    public record Result(Attribution attribution, String layer, int camHeight, int camWidth, float[] cam, float[] weights) {
    }

    /** Grad-CAM of one image [1, C, H, W] at {@code layer} (null: the default layer). */
    public static Result compute(Model m, Tensor x, Target t, String layer, List<String> classNames) {
        Backprop.requireOne(x);
        Backprop.Pass p = Backprop.run(m, x, t, ReLU.Rule.STANDARD);
        String at = layer != null ? layer : defaultLayer(m, t);
        Tensor a = m.activation(at), g = m.gradient(at);
        if (a == null || a.rank() != 4) {
            throw new IllegalArgumentException("Grad-CAM needs a layer with feature maps [N, K, h, w]; " + at + " has "
                    + (a == null ? "no output" : a.shapeString()));
        }
        if (g == null) throw new IllegalArgumentException("Grad-CAM: " + at + " does not lie on the backward path of " + t.describe(classNames));
        int k = a.dim(1), h = a.dim(2), w = a.dim(3), hw = h * w;
        float[] alpha = new float[k], cam = new float[hw];
        for (int ch = 0; ch < k; ch++) {
            double s = 0;
            for (int i = 0; i < hw; i++) s += g.data()[ch * hw + i];
            alpha[ch] = (float) (s / hw);
        }
        for (int i = 0; i < hw; i++) {
            double s = 0;
            for (int ch = 0; ch < k; ch++) s += alpha[ch] * a.data()[ch * hw + i];
            cam[i] = (float) Math.max(0, s);
        }
        int H = x.dim(2), W = x.dim(3);
        float[] up = Maps.bilinear(cam, h, w, H, W);
        Attribution attr = Attribution.of("gradcam", t.describe(classNames) + " at " + at, p.scores()[0], 1, H, W, up, up, false);
        return new Result(attr, at, h, w, cam, alpha);
    }

    /** Guided Grad-CAM: guided backprop [C, H, W] times the upsampled Grad-CAM map; the map sums over channels. */
    public static Attribution guided(Model m, Tensor x, Target t, String layer, List<String> classNames) {
        Result cam = compute(m, x, t, layer, classNames);
        Attribution gb = GuidedBackprop.guided(m, x, t, classNames);
        int c = x.dim(1), hw = x.dim(2) * x.dim(3);
        float[] raw = new float[c * hw], up = cam.attribution().map();
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < hw; i++) raw[ch * hw + i] = gb.raw()[ch * hw + i] * up[i];
        }
        return Attribution.of("guided-gradcam", cam.attribution().target(), gb.score(), c, x.dim(2), x.dim(3), raw,
                Maps.sumOverChannels(raw, c, hw), true);
    }

    /**
     * The last layer (in forward order, blocks' children included) whose output after the last forward is
     * [N, K, h, w] with h·w &gt; 1; for a channel target, the last such layer before the target's layer.
     */
    public static String defaultLayer(Model m, Target t) {
        String found = null;
        for (Layer l : m.allLayers()) {
            if (t instanceof Target.Channel ch && l.name().equals(ch.layer())) break;
            Tensor a = l.output();
            if (a != null && a.rank() == 4 && a.dim(2) * a.dim(3) > 1 && l.outputGrad() != null) found = l.name();
        }
        if (found == null) throw new IllegalArgumentException("no layer with spatial feature maps on the backward path of the target; pass a layer");
        return found;
    }
}
