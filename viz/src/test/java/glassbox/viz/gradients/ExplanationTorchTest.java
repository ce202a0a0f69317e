package glassbox.viz.gradients;

import glassbox.layers.BatchNorm2d;
import glassbox.layers.Conv2d;
import glassbox.layers.Flatten;
import glassbox.layers.GlobalAvgPool;
import glassbox.layers.Layer;
import glassbox.layers.Linear;
import glassbox.layers.MaxPool2d;
import glassbox.layers.ReLU;
import glassbox.layers.Residual;
import glassbox.model.Model;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The explanations agree with PyTorch (autograd, float64) on identical weights and inputs: saliency's
 * gradient, gradient x input, guided backprop, deconvnet, SmoothGrad with the same noise, Integrated
 * Gradients (trapezoid, black baseline), Grad-CAM at two layers (low resolution and upsampled with
 * {@code align_corners=False}), Guided Grad-CAM, and a channel target. Fixtures from
 * {@code viz/src/test/python/make_torch_explain_fixtures.py}; error measure and tolerance as in the engine's
 * TorchAgreementTest: {@code max |a - r| / max(max |r|, 1e-6) <= 1e-4}.
 */
class ExplanationTorchTest {
    static final double TOLERANCE = 1e-4;
    static final List<String> NAMES = List.of();

    @Test
    void lenet5() {
        Model m = new Model("lenet5", new int[]{1, 28, 28}, List.of(
                new Conv2d("conv1", 1, 6, 5, 1, 2, true), new ReLU("relu1"), new MaxPool2d("pool1", 2, 2),
                new Conv2d("conv2", 6, 16, 5, 1, 0, true), new ReLU("relu2"), new MaxPool2d("pool2", 2, 2),
                new Flatten("flatten"),
                new Linear("fc1", 400, 120), new ReLU("relu3"),
                new Linear("fc2", 120, 84), new ReLU("relu4"),
                new Linear("fc3", 84, 10)));
        agree("lenet5", m, List.of("pool2", "conv2"));
    }

    @Test
    void residualBlockWithBatchNormInEvalMode() {
        List<Layer> main = List.of(
                new Conv2d("res1.conv1", 3, 8, 3, 2, 1, false), new BatchNorm2d("res1.bn1", 8), new ReLU("res1.relu1"),
                new Conv2d("res1.conv2", 8, 8, 3, 1, 1, false), new BatchNorm2d("res1.bn2", 8));
        List<Layer> shortcut = List.of(new Conv2d("res1.proj", 3, 8, 1, 2, 0, false), new BatchNorm2d("res1.proj_bn", 8));
        Model m = new Model("resblock", new int[]{3, 9, 9}, List.of(
                new Residual("res1", main, shortcut), new ReLU("relu"), new GlobalAvgPool("gap"), new Linear("fc", 8, 10)));
        agree("resblock", m, List.of("relu", "res1.relu1"));
    }

    private static void agree(String name, Model m, List<String> camLayers) {
        Map<String, Tensor> f = load("explain_" + name);
        for (Map.Entry<String, Tensor> e : m.state().entrySet()) {
            System.arraycopy(f.get(e.getKey()).data(), 0, e.getValue().data(), 0, e.getValue().size());
        }
        Tensor x = f.get("input");
        Target t = new Target.ClassScore(Math.round(f.get("class").data()[0]));
        close(name, "saliency gradient", Saliency.saliency(m, x, t, NAMES).raw(), f.get("grad.input"));
        close(name, "gradient x input", GradientTimesInput.compute(m, x, t, NAMES).raw(), f.get("gxi"));
        close(name, "guided backprop", GuidedBackprop.guided(m, x, t, NAMES).raw(), f.get("guided"));
        close(name, "deconvnet", GuidedBackprop.deconvnet(m, x, t, NAMES).raw(), f.get("deconvnet"));
        close(name, "smoothgrad", SmoothGrad.withNoise(m, x, t, f.get("smooth.noise"), NAMES).raw(), f.get("smoothgrad"));
        int steps = Math.round(f.get("ig.steps").data()[0]);
        var norm = new glassbox.train.Normalization(f.get("norm.mean").data(), f.get("norm.std").data());
        Tensor base = IntegratedGradients.Baseline.BLACK.of(x, norm);
        close(name, "IG baseline", base.data(), f.get("ig.baseline"));
        close(name, "integrated gradients", IntegratedGradients.compute(m, x, t, base, steps, IntegratedGradients.Rule.TRAPEZOID, NAMES)
                .attribution().raw(), f.get("ig"));
        for (String layer : camLayers) {
            GradCam.Result cam = GradCam.compute(m, x, t, layer, NAMES);
            close(name, "Grad-CAM at " + layer, cam.cam(), f.get("cam." + layer));
            close(name, "Grad-CAM upsampled at " + layer, cam.attribution().map(), f.get("camup." + layer));
            close(name, "Guided Grad-CAM at " + layer, GradCam.guided(m, x, t, layer, NAMES).raw(), f.get("ggcam." + layer));
        }
        if (f.containsKey("chan.grad.input")) {
            Target ch = new Target.Channel("conv2", Math.round(f.get("chan.channel").data()[0]));
            close(name, "channel saliency", Saliency.signedGradient(m, x, ch, NAMES).raw(), f.get("chan.grad.input"));
        }
    }

    private static void close(String net, String what, float[] a, Tensor ref) {
        float[] r = ref.data();
        assertTrue(a.length == r.length, net + " " + what + ": " + a.length + " values, reference " + r.length);
        double d = 0, s = 1e-6;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - r[i]));
            s = Math.max(s, Math.abs(r[i]));
        }
        assertTrue(d / s <= TOLERANCE, net + " " + what + ": relative error " + d / s);
    }

    /** Reads a GBFX fixture (format in make_torch_explain_fixtures.py). */
    static Map<String, Tensor> load(String name) {
        try (InputStream in = ExplanationTorchTest.class.getResourceAsStream("/torch/" + name + ".bin")) {
            if (in == null) throw new IllegalStateException("no fixture /torch/" + name + ".bin; run viz/src/test/python/make_torch_explain_fixtures.py");
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[4];
            b.get(magic);
            if (!new String(magic, StandardCharsets.US_ASCII).equals("GBFX") || b.getInt() != 1) throw new IllegalStateException(name + ": not a version-1 GBFX fixture");
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int count = b.getInt(); count > 0; count--) {
                byte[] key = new byte[b.getInt()];
                b.get(key);
                int[] shape = new int[b.getInt()];
                for (int i = 0; i < shape.length; i++) shape[i] = b.getInt();
                float[] data = new float[Tensor.sizeOf(shape)];
                b.asFloatBuffer().get(data);
                b.position(b.position() + 4 * data.length);
                out.put(new String(key, StandardCharsets.UTF_8), new Tensor(data, shape));
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
