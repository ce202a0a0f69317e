package glassbox.viz.gradients;

import glassbox.train.Normalization;

import java.util.List;

/**
 * The per-image explanation methods by their command-line names, each turned into an {@link Explainer}
 * with the {@link Options} that change its numbers.
 */
public enum Method {
    SALIENCY("saliency"),
    GRADIENT("gradient"),
    GRADIENT_X_INPUT("gradient-x-input"),
    GUIDED_BACKPROP("guided-backprop"),
    DECONVNET("deconvnet"),
    SMOOTHGRAD("smoothgrad"),
    INTEGRATED_GRADIENTS("integrated-gradients"),
    GRADCAM("gradcam"),
    GUIDED_GRADCAM("guided-gradcam"),
    OCCLUSION("occlusion");

    private final String cliName;

    Method(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in files, e.g. "integrated-gradients". */
    public String cliName() {
        return cliName;
    }

    /** The method called {@code name} (its CLI name). */
    public static Method of(String name) {
        for (Method m : values()) if (m.cliName.equalsIgnoreCase(name)) return m;
        throw new IllegalArgumentException("no explanation method '" + name + "'");
    }

    /**
     * Settings of the methods that have any.
     *
     * @param norm          the model's input normalization (IG's black baseline, occlusion's grey)
     * @param smoothN       SmoothGrad samples
     * @param smoothNoise   SmoothGrad noise level (fraction of the image's range)
     * @param seed          SmoothGrad noise seed
     * @param igSteps       IG intervals
     * @param igBaseline    IG baseline
     * @param igRule        IG integration rule
     * @param camLayer      Grad-CAM layer (null: default)
     * @param patch         occlusion patch (0: default for the image size)
     * @param stride        occlusion stride (0: half the patch, rounded up)
     */
    public record Options(Normalization norm, List<String> classNames, int smoothN, double smoothNoise, long seed,
                          int igSteps, IntegratedGradients.Baseline igBaseline, IntegratedGradients.Rule igRule,
                          String camLayer, int patch, int stride) {
        public Options {
            classNames = List.copyOf(classNames);
        }

        /** SmoothGrad 50 at 15%, IG 50 trapezoid steps from black, default Grad-CAM layer and patch. */
        public static Options defaults(Normalization norm, List<String> classNames) {
            return new Options(norm, classNames, 50, 0.15, 1, 50, IntegratedGradients.Baseline.BLACK,
                    IntegratedGradients.Rule.TRAPEZOID, null, 0, 0);
        }

        public Options withCamLayer(String layer) {
            return new Options(norm, classNames, smoothN, smoothNoise, seed, igSteps, igBaseline, igRule, layer, patch, stride);
        }
    }

    /** This method as an explainer with the given options. */
    public Explainer explainer(Options o) {
        List<String> names = o.classNames();
        return switch (this) {
            case SALIENCY -> (m, x, t) -> Saliency.saliency(m, x, t, names);
            case GRADIENT -> (m, x, t) -> Saliency.signedGradient(m, x, t, names);
            case GRADIENT_X_INPUT -> (m, x, t) -> GradientTimesInput.compute(m, x, t, names);
            case GUIDED_BACKPROP -> (m, x, t) -> GuidedBackprop.guided(m, x, t, names);
            case DECONVNET -> (m, x, t) -> GuidedBackprop.deconvnet(m, x, t, names);
            case SMOOTHGRAD -> (m, x, t) -> SmoothGrad.compute(m, x, t, o.smoothN(), o.smoothNoise(), o.seed(), names).attribution();
            case INTEGRATED_GRADIENTS -> (m, x, t) -> IntegratedGradients.compute(m, x, t, o.igBaseline(), o.norm(), o.igSteps(),
                    o.igRule(), names).attribution();
            case GRADCAM -> (m, x, t) -> GradCam.compute(m, x, t, o.camLayer(), names).attribution();
            case GUIDED_GRADCAM -> (m, x, t) -> GradCam.guided(m, x, t, o.camLayer(), names);
            case OCCLUSION -> (m, x, t) -> {
                int side = Math.min(x.dim(2), x.dim(3));
                int p = o.patch() > 0 ? o.patch() : Occlusion.defaultPatch(side);
                int s = o.stride() > 0 ? o.stride() : (p + 1) / 2;
                return Occlusion.compute(m, x, t, p, s, new float[x.dim(1)], names, null).attribution();
            };
        };
    }
}
