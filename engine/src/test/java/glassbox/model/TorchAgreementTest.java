package glassbox.model;

import glassbox.kernels.Parallel;
import glassbox.layers.AvgPool2d;
import glassbox.layers.BatchNorm2d;
import glassbox.layers.Conv2d;
import glassbox.layers.Flatten;
import glassbox.layers.GlobalAvgPool;
import glassbox.layers.Layer;
import glassbox.layers.LeakyReLU;
import glassbox.layers.Linear;
import glassbox.layers.MaxPool2d;
import glassbox.layers.ReLU;
import glassbox.layers.Residual;
import glassbox.layers.Sigmoid;
import glassbox.layers.Tanh;
import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import glassbox.testing.TorchFixture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The engine agrees with PyTorch on identical weights.
 *
 * <p>Each test builds a network from Glassbox layers with the names used by
 * {@code engine/src/test/python/make_torch_fixtures.py}, loads the weights, input and labels PyTorch used,
 * runs one training forward, the softmax cross-entropy loss and backward, and compares with the stored
 * reference (computed by PyTorch in float64): logits, loss, every layer's output, the gradient of every
 * parameter and of the input, batch-norm running statistics after the step, and an eval-mode forward.
 * Every tensor of the fixture must be used: a name the model does not know fails the test.
 *
 * <p>Tolerance: for a reference tensor r and an engine tensor a of the same shape, the error is
 * {@code max_i |a_i - r_i| / max(max_i |r_i|, 1e-6)}, i.e. relative to the scale of the whole tensor (an
 * element-wise relative error is meaningless for elements that are nearly zero by cancellation), with a
 * small floor for tensors that are nearly zero everywhere. It must be at most 1e-4. float32 PyTorch itself
 * lands within about 2e-6 of the float64 reference on these networks (the script prints it).
 */
class TorchAgreementTest {
    static final double TOLERANCE = 1e-4;
    static final double FLOOR = 1e-6;

    @Test
    void lenet5() {
        List<Layer> layers = List.of(
                new Conv2d("conv1", 1, 6, 5, 1, 2, true), new ReLU("relu1"), new MaxPool2d("pool1", 2, 2),
                new Conv2d("conv2", 6, 16, 5, 1, 0, true), new ReLU("relu2"), new MaxPool2d("pool2", 2, 2),
                new Flatten("flatten"),
                new Linear("fc1", 400, 120), new ReLU("relu3"),
                new Linear("fc2", 120, 84), new ReLU("relu4"),
                new Linear("fc3", 84, 10));
        agree("lenet5", new int[]{1, 28, 28}, layers);
    }

    @Test
    void vggWithBatchNormInTrainingMode() {
        List<Layer> layers = List.of(
                new Conv2d("conv1", 3, 8, 3, 1, 1, false), new BatchNorm2d("bn1", 8), new ReLU("relu1"),
                new Conv2d("conv2", 8, 8, 3, 1, 1, false), new BatchNorm2d("bn2", 8), new ReLU("relu2"),
                new MaxPool2d("pool1", 2, 2),
                new Conv2d("conv3", 8, 16, 3, 1, 1, false), new BatchNorm2d("bn3", 16), new ReLU("relu3"),
                new AvgPool2d("pool2", 2, 2),
                new Flatten("flatten"),
                new Linear("fc", 256, 10));
        agree("vgg_bn", new int[]{3, 16, 16}, layers);
    }

    @Test
    void residualBlockWithProjectionShortcut() {
        Residual block = new Residual("res1",
                List.of(new Conv2d("res1.conv1", 3, 8, 3, 2, 1, false), new BatchNorm2d("res1.bn1", 8),
                        new ReLU("res1.relu1"),
                        new Conv2d("res1.conv2", 8, 8, 3, 1, 1, false), new BatchNorm2d("res1.bn2", 8)),
                List.of(new Conv2d("res1.proj", 3, 8, 1, 2, 0, false), new BatchNorm2d("res1.proj_bn", 8)));
        List<Layer> layers = List.of(block, new ReLU("relu"), new GlobalAvgPool("gap"), new Linear("fc", 8, 10));
        agree("resblock", new int[]{3, 9, 9}, layers);
    }

    @Test
    void leakyReluTanhSigmoidAndOverlappingPools() {
        agree("misc", new int[]{2, 9, 9}, misc());
    }

    private static List<Layer> misc() {
        return List.of(
                new Conv2d("conv1", 2, 4, 3, 1, 1, true), new LeakyReLU("lrelu1", 0.1f), new MaxPool2d("pool1", 3, 2),
                new Conv2d("conv2", 4, 4, 3, 1, 1, true), new Tanh("tanh1"), new AvgPool2d("pool2", 3, 1),
                new Flatten("flatten"),
                new Linear("fc1", 16, 12), new Sigmoid("sigmoid1"),
                new Linear("fc2", 12, 5));
    }

    /**
     * Loads the fixture into a model of {@code layers}, runs one step, and fails unless everything agrees;
     * once on one thread and once on two, so the parallel paths of the kernels are held to it as well.
     */
    private static void agree(String net, int[] inputShape, List<Layer> layers) {
        int before = Parallel.threads();
        try {
            for (int threads : new int[]{1, 2}) {
                Parallel.setThreads(threads);
                Comparison c = compare(net, inputShape, layers, model -> { });
                System.out.println(c.summary() + ", " + threads + " thread" + (threads == 1 ? "" : "s"));
                if (!c.failures.isEmpty()) {
                    fail(net + " on " + threads + " thread(s) disagrees with PyTorch (tolerance " + TOLERANCE + "):\n  "
                            + String.join("\n  ", c.failures));
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    /**
     * Loads the fixture into a model of {@code layers}, lets {@code tamper} change it (for the test that
     * shows a wrong engine fails), runs one step and compares every tensor of the fixture.
     */
    static Comparison compare(String net, int[] inputShape, List<Layer> layers, Consumer<Model> tamper) {
        TorchFixture f = TorchFixture.load(net);
        Model model = new Model(net, inputShape, layers); // weights, gradients and running stats are all overwritten below
        Comparison c = new Comparison(net);
        Set<String> used = new HashSet<>(Set.of("input", "labels"));

        // Weights and running statistics as PyTorch had them before the step.
        Map<String, Tensor> state = model.state();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor src = f.get(e.getKey());
            if (!src.sameShape(e.getValue())) {
                fail(net + ": " + e.getKey() + " is " + e.getValue().shapeString() + " in the engine, " + src.shapeString() + " in the fixture");
            }
            System.arraycopy(src.data(), 0, e.getValue().data(), 0, src.size());
            used.add(e.getKey());
        }
        tamper.accept(model);

        // One training step: forward, loss, backward.
        Tensor x = f.get("input");
        model.zeroGrad();
        Tensor logits = model.forward(x, true);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        float l = loss.forward(logits, f.labels());
        Tensor dx = model.backward(loss.backward());

        c.check("logits", f.get("logits"), logits, used);
        c.check("loss", f.get("loss"), Tensor.of(new float[]{l}), used);
        c.check("grad.input", f.get("grad.input"), dx, used);
        for (Layer layer : model.allLayers()) c.check("act." + layer.name(), f.get("act." + layer.name()), layer.output(), used);
        for (Param p : model.params()) c.check("grad." + p.name(), f.get("grad." + p.name()), p.grad(), used);
        for (Map.Entry<String, Tensor> e : model.state().entrySet()) {
            if (f.has("after." + e.getKey())) c.check("after." + e.getKey(), f.get("after." + e.getKey()), e.getValue(), used);
        }

        // Eval mode uses the running statistics the training forward just updated.
        c.check("eval.logits", f.get("eval.logits"), model.forward(x, false), used);

        Set<String> unused = new HashSet<>(f.names());
        unused.removeAll(used);
        assertTrue(unused.isEmpty(), net + ": fixture tensors the engine model does not have: " + unused);
        return c;
    }

    /** Relative errors of one network, the worst one, and every tensor above the tolerance. */
    static final class Comparison {
        final String net;
        final List<String> failures = new ArrayList<>();
        double worst = 0;
        String worstName = "-";
        int tensors = 0;

        Comparison(String net) {
            this.net = net;
        }

        void check(String name, Tensor ref, Tensor actual, Set<String> used) {
            used.add(name);
            tensors++;
            if (actual == null) {
                failures.add(name + ": the engine kept no tensor");
                return;
            }
            if (!ref.sameShape(actual)) {
                failures.add(name + ": shape " + actual.shapeString() + ", PyTorch " + ref.shapeString());
                return;
            }
            double err = relativeError(ref.data(), actual.data());
            if (err > worst) {
                worst = err;
                worstName = name;
            }
            if (!(err <= TOLERANCE)) failures.add(String.format("%s: relative error %.3g", name, err) + worstElement(ref.data(), actual.data()));
        }

        String summary() {
            return String.format("%s: %d tensors compared with PyTorch (float64 reference), max relative error %.2e (%s)",
                    net, tensors, worst, worstName);
        }
    }

    /** max |a - r| / max(max |r|, FLOOR), in double; NaN anywhere gives NaN. */
    static double relativeError(float[] ref, float[] a) {
        double scale = FLOOR, diff = 0;
        for (int i = 0; i < ref.length; i++) {
            scale = Math.max(scale, Math.abs(ref[i]));
            double d = Math.abs((double) a[i] - ref[i]);
            if (Double.isNaN(d)) return Double.NaN;
            diff = Math.max(diff, d);
        }
        return diff / scale;
    }

    private static String worstElement(float[] ref, float[] a) {
        int worst = 0;
        for (int i = 0; i < ref.length; i++) {
            if (!(Math.abs(a[i] - ref[i]) <= Math.abs(a[worst] - ref[worst]))) worst = i;
        }
        return String.format(" (worst at flat index %d: engine %.7g, PyTorch %.7g)", worst, a[worst], ref[worst]);
    }

    /** The comparison is sharp: one weight 1% off shows up in that layer's output, not in the layers before. */
    @Test
    void aSlightlyWrongWeightIsCaught() {
        Comparison c = compare("misc", new int[]{2, 9, 9}, misc(), model -> model.param("conv2.weight").value().data()[7] *= 1.01f);
        assertTrue(c.failures.stream().anyMatch(s -> s.startsWith("act.conv2:")), c.failures::toString);
        assertTrue(c.failures.stream().noneMatch(s -> s.startsWith("act.conv1:")), c.failures::toString);
    }

    @Test
    void relativeErrorIsScaledByTheTensorNotTheElement() {
        // 1e-3 off on an element near zero is small next to a tensor whose scale is 10.
        assertEquals(1e-4, relativeError(new float[]{10f, 0f}, new float[]{10f, 1e-3f}), 1e-9);
        // A tensor that is zero everywhere is measured against the floor.
        assertEquals(1.0, relativeError(new float[]{0f}, new float[]{1e-6f}), 1e-6);
        assertTrue(Double.isNaN(relativeError(new float[]{1f}, new float[]{Float.NaN})));
        assertTrue(relativeError(new float[]{1f, 2f}, new float[]{1f, 2.001f}) > TOLERANCE, "a real difference must fail");
    }
}
