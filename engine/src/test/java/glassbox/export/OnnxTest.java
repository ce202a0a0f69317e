package glassbox.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import glassbox.layers.AvgPool2d;
import glassbox.layers.BatchNorm;
import glassbox.layers.BatchNorm1d;
import glassbox.layers.Conv2d;
import glassbox.layers.Flatten;
import glassbox.layers.Layer;
import glassbox.layers.LeakyReLU;
import glassbox.layers.Linear;
import glassbox.layers.Sigmoid;
import glassbox.layers.Tanh;
import glassbox.model.Init;
import glassbox.model.Model;
import glassbox.model.Zoo;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exported ONNX files run in ONNX Runtime and give the engine's logits: max |ort - engine| within 1e-4 of
 * max |engine| over the batch, for zoo models with random weights and non-trivial batch-norm statistics.
 */
class OnnxTest {
    private static final float TOLERANCE = 1e-4f;

    private static Map<String, String> opts(int[] in, String... kv) {
        Map<String, String> o = new LinkedHashMap<>(Zoo.options(in, 10));
        for (int i = 0; i < kv.length; i += 2) o.put(kv[i], kv[i + 1]);
        return o;
    }

    /** Random batch-norm scale, shift and running statistics, so the exported BatchNormalization matters. */
    private static Model withRandomBatchNorm(Model m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Layer l : m.allLayers()) {
            if (l instanceof BatchNorm b) {
                float[] g = b.weight().value().data(), be = b.bias().value().data(), mu = b.runningMean().data(), var = b.runningVar().data();
                for (int c = 0; c < g.length; c++) {
                    g[c] = (float) (0.5 + r.nextDouble());
                    be[c] = (float) (0.2 * r.nextGaussian());
                    mu[c] = (float) (0.1 * r.nextGaussian());
                    var[c] = (float) (0.5 + r.nextDouble());
                }
            }
        }
        return m;
    }

    /** Runs the engine (eval mode, normalized input) and ONNX Runtime (raw input) on the same pixels. */
    private static void assertSameLogits(Model m, String what) throws Exception {
        int[] in = m.inputShape();
        int n = 3;
        float[] mean = new float[in[0]], std = new float[in[0]];
        for (int c = 0; c < in[0]; c++) {
            mean[c] = 0.4f + 0.05f * c;
            std[c] = 0.25f + 0.02f * c;
        }
        Tensor pixels = Tensor.zeros(n, in[0], in[1], in[2]);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < pixels.size(); i++) pixels.data()[i] = (float) rnd.nextDouble(); // pixels in [0, 1)
        Tensor x = pixels.copy();
        float[] xd = x.data();
        int plane = in[1] * in[2];
        for (int i = 0; i < xd.length; i++) {
            int c = i / plane % in[0];
            xd[i] = (xd[i] - mean[c]) / std[c];
        }
        float[] engine = m.forward(x, false).data().clone();

        byte[] onnx = Onnx.toBytes(m, mean, std, what);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels.data()), new long[]{n, in[0], in[1], in[2]});
             OrtSession.Result r = s.run(Map.of("input", t))) {
            float[][] ort = (float[][]) r.get("logits").orElseThrow().getValue();
            assertEquals(n, ort.length, what);
            float maxAbs = 0, maxDiff = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(engine.length / n, ort[i].length, what);
                for (int k = 0; k < ort[i].length; k++) {
                    float e = engine[i * ort[i].length + k];
                    maxAbs = Math.max(maxAbs, Math.abs(e));
                    maxDiff = Math.max(maxDiff, Math.abs(e - ort[i][k]));
                }
            }
            assertTrue(maxAbs > 0, what + ": all-zero logits test nothing");
            System.out.printf(java.util.Locale.ROOT, "onnx %s: max |ort - engine| / max |logit| = %.2e%n", what, maxDiff / maxAbs);
            assertTrue(maxDiff <= TOLERANCE * maxAbs, what + ": max |ort - engine| = " + maxDiff + ", max |logit| = " + maxAbs);
        }
    }

    @Test
    void zooModelsRunInOnnxRuntimeWithTheSameLogits() throws Exception {
        int[] mnist = {1, 28, 28}, cifar = {3, 32, 32};
        Model linear = Zoo.build("linear", opts(mnist), 1);
        Init.xavier(linear.param("fc.weight"), 1); // the zoo starts it at zero
        linear.param("fc.bias").value().fill(0.3f);
        assertSameLogits(linear, "linear");
        assertSameLogits(Zoo.build("mlp", opts(mnist, "hidden", "64,32", "dropout", "0.5"), 2), "mlp");
        assertSameLogits(Zoo.build("lenet5", opts(mnist), 3), "lenet5");
        assertSameLogits(withRandomBatchNorm(Zoo.build("smallvgg", opts(cifar, "batchnorm", "true", "dropout", "0.3"), 4), 4), "smallvgg+bn");
        assertSameLogits(withRandomBatchNorm(Zoo.build("alexnet", opts(cifar, "kernel1", "7"), 5), 5), "alexnet");
        assertSameLogits(withRandomBatchNorm(Zoo.build("resnet20", opts(cifar), 6), 6), "resnet20");
    }

    @Test
    void otherActivationsAveragePoolingAndBatchNorm1d() throws Exception {
        Conv2d conv = new Conv2d("conv", 2, 4, 3, 2, 1, true);
        Linear fc1 = new Linear("fc1", 4 * 2 * 2, 8), fc2 = new Linear("fc2", 8, 5);
        Init.he(conv.weight(), 1);
        Init.he(fc1.weight(), 1);
        Init.xavier(fc2.weight(), 1);
        conv.bias().value().fill(0.1f);
        Model m = new Model("custom", new int[]{2, 9, 9}, List.of(conv, new LeakyReLU("leaky", 0.1f), new AvgPool2d("avg", 2, 2),
                new Tanh("tanh"), new Flatten("flatten"), fc1, new BatchNorm1d("bn", 8), new Sigmoid("sigmoid"), fc2));
        assertSameLogits(withRandomBatchNorm(m, 9), "custom");
    }

    @Test
    void fileStartsAsAnOnnxModelAndUnsupportedReluRulesAreRefused() throws Exception {
        Model m = Zoo.build("lenet5", opts(new int[]{1, 28, 28}), 1);
        byte[] b = Onnx.toBytes(m, new float[]{0.5f}, new float[]{0.25f}, "lenet5");
        assertArrayEquals(new byte[]{0x08, Onnx.IR_VERSION}, new byte[]{b[0], b[1]}, "field 1 (ir_version), varint");
        m.setReluRule(glassbox.layers.ReLU.Rule.GUIDED);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Onnx.toBytes(m, new float[]{0.5f}, new float[]{0.25f}, "x"));
        assertTrue(e.getMessage().contains("relu1"), e.getMessage());
    }

    @Test
    void aModelFileExportsItsClassNames(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Model m = Zoo.build("lenet5", opts(new int[]{1, 28, 28}), 1);
        glassbox.model.ModelFile f = new glassbox.model.ModelFile("lenet5", opts(new int[]{1, 28, 28}), m.inputShape(),
                List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"), new float[]{0.5f},
                new float[]{0.25f}, Map.of("dataset", "mnist"), new LinkedHashMap<>(m.state()));
        Path out = dir.resolve("x/lenet5.onnx");
        Onnx.write(f, out);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(out.toString(), new OrtSession.SessionOptions())) {
            Map<String, String> meta = s.getMetadata().getCustomMetadata();
            assertEquals("zero,one,two,three,four,five,six,seven,eight,nine", meta.get("class_names"));
            assertEquals("lenet5", meta.get("glassbox.arch"));
            assertEquals("glassbox", s.getMetadata().getProducerName());
        }
    }

    @Test
    void onnxCheckerAcceptsTheFileWhenPythonHasOnnx(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path py = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(py), "no /usr/bin/python3");
        Path f = dir.resolve("resnet20.onnx");
        Files.write(f, Onnx.toBytes(Zoo.build("resnet20", opts(new int[]{3, 32, 32}), 1), new float[]{0.5f, 0.5f, 0.5f},
                new float[]{0.25f, 0.25f, 0.25f}, "resnet20"));
        Process p = new ProcessBuilder(py.toString(), "-c", "import sys\ntry:\n import onnx\nexcept ImportError:\n sys.exit(3)\n"
                + "m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print(len(m.graph.node))", f.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        org.junit.jupiter.api.Assumptions.assumeTrue(code != 3, "python3 has no onnx module");
        assertEquals(0, code, out);
    }
}
