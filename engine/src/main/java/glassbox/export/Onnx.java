package glassbox.export;

import glassbox.layers.AvgPool2d;
import glassbox.layers.BatchNorm;
import glassbox.layers.Conv2d;
import glassbox.layers.Dropout;
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
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model as an ONNX file (https://onnx.ai, opset 13), so it can run in ONNX Runtime, PyTorch
 * ({@code onnx2torch}), Netron and friends. The graph takes pixels scaled to [0, 1] ({@code input},
 * [N, C, H, W], N free) and returns the logits ({@code logits}, [N, classes]; no softmax): the model
 * file's per-channel normalization comes first as {@code Sub} and {@code Div} nodes. A file written from a
 * model file carries the class names ({@code class_names}, comma-separated) and the architecture in its
 * metadata.
 *
 * <p>Layer by layer (inference semantics, as {@code model.forward(x, false)}):
 * <table>
 *   <caption>Glassbox layers and their ONNX operators</caption>
 *   <tr><th>layer</th><th>ONNX</th></tr>
 *   <tr><td>Conv2d</td><td>Conv (kernel_shape, strides, pads; bias input when the layer has one)</td></tr>
 *   <tr><td>Linear</td><td>Gemm with transB = 1 (weight [out, in])</td></tr>
 *   <tr><td>ReLU, LeakyReLU, Sigmoid, Tanh</td><td>Relu, LeakyRelu (alpha), Sigmoid, Tanh</td></tr>
 *   <tr><td>MaxPool2d, AvgPool2d</td><td>MaxPool, AveragePool (no padding)</td></tr>
 *   <tr><td>GlobalAvgPool</td><td>GlobalAveragePool then Flatten (the engine's output is [N, C])</td></tr>
 *   <tr><td>BatchNorm1d/2d</td><td>BatchNormalization with the running mean and variance, epsilon 1e-5</td></tr>
 *   <tr><td>Flatten</td><td>Flatten (axis 1)</td></tr>
 *   <tr><td>Residual</td><td>its main path and shortcut (or the block input), then Add</td></tr>
 *   <tr><td>Dropout</td><td>nothing (the identity at inference)</td></tr>
 * </table>
 * Every node's output is named after its layer (e.g. {@code block2_1.conv1}), so an activation seen in
 * Glassbox can be found in the exported graph; weights keep their Glassbox names as initializers.
 * The protobuf is written by {@link Protobuf}; field numbers are those of {@code onnx/onnx.proto}.
 * Leaves out training graphs, dynamic spatial sizes and any layer the table does not list (an error names it).
 */
public final class Onnx {
    /** ONNX IR version 8 (ONNX 1.10 and later) and the default-domain opset used. */
    public static final int IR_VERSION = 8, OPSET = 13;
    private static final int FLOAT = 1; // TensorProto.DataType.FLOAT
    private static final int ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_INTS = 7; // AttributeProto.AttributeType

    private final Protobuf graph = new Protobuf();
    private final List<Protobuf[]> nodes = new ArrayList<>(); // {fields, attributes} per node, in graph order

    private Onnx() {
    }

    /** Writes {@code f}'s network (rebuilt through the zoo) with its normalization to {@code out}. */
    public static void write(ModelFile f, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("glassbox.arch", f.arch());
        meta.put("glassbox.options", f.options().toString());
        meta.put("class_names", String.join(",", f.classNames()));
        if (f.meta().containsKey("dataset")) meta.put("glassbox.dataset", f.meta().get("dataset"));
        Files.write(out, toBytes(f.toModel(), f.mean(), f.std(), f.arch(), meta));
    }

    /** {@link #toBytes(Model, float[], float[], String, Map)} without metadata. */
    public static byte[] toBytes(Model m, float[] mean, float[] std, String name) {
        return toBytes(m, mean, std, name, Map.of());
    }

    /**
     * The ONNX model of {@code m} preceded by {@code (x - mean[c]) / std[c]} per channel.
     *
     * @param mean per-channel mean of the model's input normalization (length C)
     * @param std  per-channel standard deviation (length C)
     * @param name graph name, e.g. the architecture
     * @param metadata key/value strings stored as the model's {@code metadata_props} (e.g. class names)
     */
    public static byte[] toBytes(Model m, float[] mean, float[] std, String name, Map<String, String> metadata) {
        int[] in = m.inputShape();
        if (mean.length != in[0] || std.length != in[0]) {
            throw new IllegalArgumentException("normalization has " + mean.length + " channels, the model takes " + in[0]);
        }
        Onnx o = new Onnx();
        o.graph.string(2, name); // GraphProto.name
        o.initializer("normalize.mean", Tensor.of(mean.clone(), 1, in[0], 1, 1));
        o.initializer("normalize.std", Tensor.of(std.clone(), 1, in[0], 1, 1));
        o.node("Sub", "normalize.sub", List.of("input", "normalize.mean"), "normalize.sub");
        o.node("Div", "normalize", List.of("normalize.sub", "normalize.std"), "normalize");
        String x = o.layers(m.layers(), "normalize");
        o.node("Identity", "logits", List.of(x), "logits");
        for (Protobuf[] n : o.nodes) o.graph.message(1, n[0].append(n[1])); // GraphProto.node
        o.graph.message(11, valueInfo("input", in[0], in[1], in[2]));      // GraphProto.input
        o.graph.message(12, valueInfo("logits", m.outputShape(1)[1]));      // GraphProto.output

        Protobuf model = new Protobuf()
                .int64(1, IR_VERSION)                                      // ModelProto.ir_version
                .string(2, "glassbox")                                     // producer_name
                .string(3, "0.1.0")                                        // producer_version
                .message(7, o.graph)                                       // graph
                .message(8, new Protobuf().string(1, "").int64(2, OPSET)); // opset_import: default domain
        metadata.forEach((k, v) -> model.message(14, new Protobuf().string(1, k).string(2, v))); // metadata_props
        return model.toByteArray();
    }

    /** Emits nodes for {@code layers} applied in order to tensor {@code x}; returns the last output's name. */
    private String layers(List<Layer> layers, String x) {
        for (Layer l : layers) x = layer(l, x);
        return x;
    }

    private String layer(Layer l, String x) {
        String n = l.name();
        switch (l) {
            case Conv2d c -> {
                initializer(c.weight().name(), c.weight().value());
                List<String> ins = c.bias() != null ? List.of(x, c.weight().name(), c.bias().name()) : List.of(x, c.weight().name());
                if (c.bias() != null) initializer(c.bias().name(), c.bias().value());
                Protobuf node = node("Conv", n, ins, n);
                ints(node, "kernel_shape", c.kernel(), c.kernel());
                ints(node, "strides", c.stride(), c.stride());
                ints(node, "pads", c.padding(), c.padding(), c.padding(), c.padding());
                return n;
            }
            case Linear fc -> {
                initializer(fc.weight().name(), fc.weight().value());
                initializer(fc.bias().name(), fc.bias().value());
                Protobuf node = node("Gemm", n, List.of(x, fc.weight().name(), fc.bias().name()), n);
                attrInt(node, "transB", 1);
                return n;
            }
            case ReLU r -> {
                if (r.rule() != ReLU.Rule.STANDARD) throw new IllegalArgumentException(n + ": ReLU rule " + r.rule() + " has no ONNX form; export with the standard rule");
                node("Relu", n, List.of(x), n);
                return n;
            }
            case LeakyReLU r -> {
                attrFloat(node("LeakyRelu", n, List.of(x), n), "alpha", r.slope());
                return n;
            }
            case Sigmoid s -> {
                node("Sigmoid", n, List.of(x), n);
                return n;
            }
            case Tanh t -> {
                node("Tanh", n, List.of(x), n);
                return n;
            }
            case MaxPool2d p -> {
                Protobuf node = node("MaxPool", n, List.of(x), n);
                ints(node, "kernel_shape", p.kernel(), p.kernel());
                ints(node, "strides", p.stride(), p.stride());
                return n;
            }
            case AvgPool2d p -> {
                Protobuf node = node("AveragePool", n, List.of(x), n);
                ints(node, "kernel_shape", p.kernel(), p.kernel());
                ints(node, "strides", p.stride(), p.stride());
                return n;
            }
            case GlobalAvgPool g -> {
                node("GlobalAveragePool", n + ".nchw", List.of(x), n + ".nchw"); // [N, C, 1, 1]
                attrInt(node("Flatten", n, List.of(n + ".nchw"), n), "axis", 1);
                return n;
            }
            case BatchNorm b -> {
                initializer(b.weight().name(), b.weight().value());
                initializer(b.bias().name(), b.bias().value());
                initializer(n + ".running_mean", b.runningMean());
                initializer(n + ".running_var", b.runningVar());
                Protobuf node = node("BatchNormalization", n,
                        List.of(x, b.weight().name(), b.bias().name(), n + ".running_mean", n + ".running_var"), n);
                attrFloat(node, "epsilon", BatchNorm.EPS);
                return n;
            }
            case Flatten f -> {
                attrInt(node("Flatten", n, List.of(x), n), "axis", 1);
                return n;
            }
            case Dropout d -> {
                return x; // the identity at inference
            }
            case Residual r -> {
                String main = layers(r.main(), x);
                String shortcut = layers(r.shortcut(), x);
                node("Add", n, List.of(main, shortcut), n);
                return n;
            }
            default -> throw new IllegalArgumentException("layer " + n + " (" + l.getClass().getSimpleName() + ") has no ONNX export");
        }
    }

    /**
     * Adds a NodeProto (encoded when the graph is finished, in the order added) and returns its attribute
     * list, still open: the caller appends the node's attributes to it.
     */
    private Protobuf node(String op, String name, List<String> inputs, String output) {
        Protobuf p = new Protobuf();
        for (String i : inputs) p.string(1, i); // NodeProto.input
        p.string(2, output);                    // output
        p.string(3, name);                      // name
        p.string(4, op);                        // op_type
        Protobuf attrs = new Protobuf();        // attribute entries (field 5), appended to p at the end
        nodes.add(new Protobuf[]{p, attrs});
        return attrs;
    }

    private static void ints(Protobuf node, String name, long... values) {
        Protobuf a = new Protobuf().string(1, name).int64(20, ATTR_INTS); // AttributeProto.name, type
        for (long v : values) a.int64(8, v);                              // ints
        node.message(5, a);                                               // NodeProto.attribute
    }

    private static void attrInt(Protobuf node, String name, long v) {
        node.message(5, new Protobuf().string(1, name).int64(20, ATTR_INT).int64(3, v));
    }

    private static void attrFloat(Protobuf node, String name, float v) {
        node.message(5, new Protobuf().string(1, name).int64(20, ATTR_FLOAT).float32(2, v));
    }

    /** Adds a TensorProto initializer: dims, FLOAT, name, raw little-endian data. */
    private void initializer(String name, Tensor t) {
        Protobuf p = new Protobuf();
        for (int d : t.shape()) p.int64(1, d);                 // TensorProto.dims
        p.int64(2, FLOAT);                                      // data_type
        p.string(8, name);                                      // name
        ByteBuffer b = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(t.data(), 0, t.size());
        p.bytes(9, b.array());                                  // raw_data
        graph.message(5, p);                                    // GraphProto.initializer
    }

    /** A ValueInfoProto of a float tensor [N, dims...] with a free batch dimension "N". */
    private static Protobuf valueInfo(String name, int... dims) {
        Protobuf shape = new Protobuf().message(1, new Protobuf().string(2, "N"));      // TensorShapeProto.dim: dim_param
        for (int d : dims) shape.message(1, new Protobuf().int64(1, d));                // dim_value
        Protobuf tensor = new Protobuf().int64(1, FLOAT).message(2, shape);              // TypeProto.Tensor: elem_type, shape
        return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensor)); // ValueInfoProto: name, type.tensor_type
    }
}
