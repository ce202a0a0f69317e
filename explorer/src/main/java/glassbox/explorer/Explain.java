package glassbox.explorer;

import glassbox.data.Dataset;
import glassbox.layers.Layer;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.viz.activations.Inputs;
import glassbox.viz.gradients.Attribution;
import glassbox.viz.gradients.Method;
import glassbox.viz.gradients.Target;

import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One explanation of one image, for the page: the map of {@code ./glassbox explain <method>} (the very
 * {@link Method#explainer} the CLI runs, with its default options), sent as 8-bit values plus the real range.
 *
 * <p>Encoding: a signed map is scaled symmetrically around zero, {@code round(127.5 + 127.5 v / absMax)}, so
 * byte 128 is zero and the page draws it blue-white-red; a non-negative map is scaled between its min and max.
 * Leaves out the method's extra records (IG's completeness numbers, Grad-CAM's weights): the CLI JSON has them.
 */
public final class Explain {
    /** The methods the page offers, by CLI name (every {@link Method} is accepted by the route). */
    public static final List<String> OFFERED = List.of("saliency", "gradient-x-input", "guided-backprop", "smoothgrad",
            "integrated-gradients", "gradcam", "occlusion");

    /**
     * The answer.
     *
     * @param method    CLI name of the method
     * @param target    what was explained, e.g. "class 3 (3)" or "class 3 (3) at pool2" for Grad-CAM
     * @param cls       the explained class
     * @param predicted the model's predicted class for the image
     * @param layer     Grad-CAM's layer (null for the other methods)
     * @param score     the explained score (logit, or probability for occlusion)
     * @param shape     [H, W] of the map
     * @param min       smallest value of the map
     * @param max       largest value of the map
     * @param signed    whether signs mean something (then the bytes are symmetric around zero: 128 = 0)
     * @param absMax    max(|min|, |max|), the end of a signed scale
     * @param data      base64 of H*W bytes, encoded as the class comment says
     * @param millis    server-side time of the explanation
     */
    public record Explanation(String method, String target, int cls, int predicted, String layer, double score, int[] shape,
                              float min, float max, boolean signed, float absMax, String data, double millis) {
    }

    private Explain() {
    }

    /** Explains image {@code index} of {@code d} for class {@code cls} (null: predicted) with the named method. */
    public static Explanation run(ModelEntry entry, Dataset d, int index, Method method, Integer cls, String layer) {
        long t0 = System.nanoTime();
        Tensor x = Inputs.batch(d, new int[]{index}, Inputs.normalized(entry.normalization()));
        List<String> names = entry.file().classNames();
        Method.Options o = Method.Options.defaults(entry.normalization(), names).withCamLayer(layer);
        return entry.withModel(m -> {
            if (layer != null && layerOrNull(m, layer) == null) {
                throw ApiException.notFound("model " + entry.id() + " has no layer '" + layer + "'");
            }
            int predicted = argmax(m.forward(x, false).data());
            int k = cls != null ? cls : predicted;
            Attribution a;
            try {
                a = method.explainer(o).explain(m, x, new Target.ClassScore(k));
            } catch (IllegalArgumentException e) {
                if (layer == null && (method == Method.GRADCAM || method == Method.GUIDED_GRADCAM)) {
                    throw ApiException.badRequest(entry.file().arch() + " has no conv layer, so there is nothing for Grad-CAM to weigh ("
                            + e.getMessage() + ")");
                }
                throw e;
            }
            String at = method == Method.GRADCAM || method == Method.GUIDED_GRADCAM
                    ? a.target().replaceFirst("^.* at ", "") : null;
            float absMax = Math.max(Math.abs(a.min()), Math.abs(a.max()));
            return new Explanation(method.cliName(), a.target(), k, predicted, at, a.score(), new int[]{a.height(), a.width()},
                    a.min(), a.max(), a.signed(), absMax, encode(a, absMax), (System.nanoTime() - t0) / 1e6);
        });
    }

    /** The method called {@code name}, or a 400 listing the ones offered. */
    static Method method(String name) {
        try {
            return Method.of(name.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("method must be one of " + String.join(", ", OFFERED) + "; got '" + name + "'");
        }
    }

    private static String encode(Attribution a, float absMax) {
        float[] v = a.map();
        byte[] q = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            double t = a.signed() ? (absMax > 0 ? 127.5 + 127.5 * v[i] / absMax : 127.5)
                    : (a.max() > a.min() ? 255.0 * (v[i] - a.min()) / (a.max() - a.min()) : 0);
            q[i] = (byte) Math.clamp(Math.round(t), 0, 255);
        }
        return Base64.getEncoder().encodeToString(q);
    }

    private static Layer layerOrNull(Model m, String name) {
        for (Layer l : m.allLayers()) if (l.name().equals(name)) return l;
        return null;
    }

    private static int argmax(float[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[b]) b = i;
        return b;
    }
}
