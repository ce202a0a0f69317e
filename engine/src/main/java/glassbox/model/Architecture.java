package glassbox.model;

import glassbox.layers.AvgPool2d;
import glassbox.layers.BatchNorm1d;
import glassbox.layers.BatchNorm2d;
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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A network's layers as data: what a model file records so that any network, zoo or not, rebuilds without
 * the code that built it.
 *
 * <p>Each layer is a {@link Node}: its kind (one of {@link Kind}, the engine's own list), its name, its
 * arguments as text (channels, kernel, stride ...) and, for a residual block, the nodes of its two paths.
 * {@link #of} describes a model's layers; {@link #build} makes fresh layers from the description (weights
 * zero: the file's tensors are loaded afterwards). Kinds map to constructors through a {@code switch}, never
 * through class names: a layer this Glassbox does not know (one written by a student) is recorded under its
 * class name and refused by {@link #build} with a message naming it. Leaves out the ReLU backward rule and
 * other run-time switches: they are not part of the architecture.
 */
public record Architecture(List<Node> layers) {
    public Architecture {
        layers = List.copyOf(layers);
    }

    /** The layer kinds a model file can name, with the id written in the file. */
    public enum Kind {
        CONV("conv"), LINEAR("linear"), RELU("relu"), LEAKY_RELU("leaky_relu"), SIGMOID("sigmoid"), TANH("tanh"),
        MAX_POOL("max_pool"), AVG_POOL("avg_pool"), GLOBAL_AVG_POOL("global_avg_pool"), FLATTEN("flatten"),
        BATCH_NORM_2D("batch_norm_2d"), BATCH_NORM_1D("batch_norm_1d"), DROPOUT("dropout"), RESIDUAL("residual");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** The kind with this id, or null. */
        public static Kind of(String id) {
            for (Kind k : values()) if (k.id.equals(id)) return k;
            return null;
        }

        /** Every id, comma-separated (for messages). */
        public static String ids() {
            return Arrays.stream(values()).map(Kind::id).collect(Collectors.joining(", "));
        }
    }

    /**
     * One layer: {@code kind} is a {@link Kind} id, or the class name of a layer the engine does not know.
     *
     * @param args     constructor arguments by name, as text (e.g. {@code out=6}, {@code kernel=5})
     * @param main     a residual block's main path (empty for other layers)
     * @param shortcut a residual block's shortcut path (empty: identity)
     */
    public record Node(String kind, String name, Map<String, String> args, List<Node> main, List<Node> shortcut) {
        public Node {
            args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
            main = List.copyOf(main);
            shortcut = List.copyOf(shortcut);
        }

        int i(String key) {
            String v = args.get(key);
            if (v == null) throw new IllegalArgumentException("layer '" + name + "' (" + kind + ") has no argument '" + key + "'");
            return Integer.parseInt(v);
        }

        float f(String key) {
            String v = args.get(key);
            if (v == null) throw new IllegalArgumentException("layer '" + name + "' (" + kind + ") has no argument '" + key + "'");
            return Float.parseFloat(v);
        }
    }

    /** The description of {@code m}'s layers. */
    public static Architecture of(Model m) {
        return new Architecture(describe(m.layers()));
    }

    private static List<Node> describe(List<Layer> layers) {
        List<Node> nodes = new ArrayList<>();
        for (Layer l : layers) nodes.add(describe(l));
        return nodes;
    }

    private static Node describe(Layer l) {
        String n = l.name();
        return switch (l) {
            case Conv2d c -> node(Kind.CONV, n, "in", c.inChannels(), "out", c.outChannels(), "kernel", c.kernel(),
                    "stride", c.stride(), "padding", c.padding(), "bias", c.bias() != null);
            case Linear f -> node(Kind.LINEAR, n, "in", f.inFeatures(), "out", f.outFeatures());
            case ReLU _ -> node(Kind.RELU, n);
            case LeakyReLU r -> node(Kind.LEAKY_RELU, n, "slope", r.slope());
            case Sigmoid _ -> node(Kind.SIGMOID, n);
            case Tanh _ -> node(Kind.TANH, n);
            case MaxPool2d p -> node(Kind.MAX_POOL, n, "kernel", p.kernel(), "stride", p.stride());
            case AvgPool2d p -> node(Kind.AVG_POOL, n, "kernel", p.kernel(), "stride", p.stride());
            case GlobalAvgPool _ -> node(Kind.GLOBAL_AVG_POOL, n);
            case Flatten _ -> node(Kind.FLATTEN, n);
            case BatchNorm2d b -> node(Kind.BATCH_NORM_2D, n, "channels", b.channels());
            case BatchNorm1d b -> node(Kind.BATCH_NORM_1D, n, "features", b.channels());
            case Dropout d -> node(Kind.DROPOUT, n, "p", d.p());
            case Residual r -> new Node(Kind.RESIDUAL.id(), n, Map.of(), describe(r.main()), describe(r.shortcut()));
            default -> new Node(l.getClass().getName(), n, Map.of(), List.of(), List.of());
        };
    }

    private static Node node(Kind kind, String name, Object... keyValues) {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) args.put((String) keyValues[i], String.valueOf(keyValues[i + 1]));
        return new Node(kind.id(), name, args, List.of(), List.of());
    }

    /**
     * Fresh layers as described (weights zero). Throws naming the first layer whose kind this Glassbox does
     * not know, with what to do instead.
     */
    public List<Layer> build() {
        return build(layers);
    }

    private static List<Layer> build(List<Node> nodes) {
        List<Layer> ls = new ArrayList<>();
        for (Node n : nodes) ls.add(build(n));
        return ls;
    }

    private static Layer build(Node n) {
        Kind k = Kind.of(n.kind());
        if (k == null) {
            throw new IllegalArgumentException("layer '" + n.name() + "' is of kind '" + n.kind() + "', which this Glassbox "
                    + "does not know (it knows " + Kind.ids() + "); build the network in code with that layer and load "
                    + "the file's weights with ModelFile.loadInto(model)");
        }
        String name = n.name();
        return switch (k) {
            case CONV -> new Conv2d(name, n.i("in"), n.i("out"), n.i("kernel"), n.i("stride"), n.i("padding"),
                    Boolean.parseBoolean(n.args().get("bias")));
            case LINEAR -> new Linear(name, n.i("in"), n.i("out"));
            case RELU -> new ReLU(name);
            case LEAKY_RELU -> new LeakyReLU(name, n.f("slope"));
            case SIGMOID -> new Sigmoid(name);
            case TANH -> new Tanh(name);
            case MAX_POOL -> new MaxPool2d(name, n.i("kernel"), n.i("stride"));
            case AVG_POOL -> new AvgPool2d(name, n.i("kernel"), n.i("stride"));
            case GLOBAL_AVG_POOL -> new GlobalAvgPool(name);
            case FLATTEN -> new Flatten(name);
            case BATCH_NORM_2D -> new BatchNorm2d(name, n.i("channels"));
            case BATCH_NORM_1D -> new BatchNorm1d(name, n.i("features"));
            case DROPOUT -> new Dropout(name, n.f("p"));
            case RESIDUAL -> new Residual(name, build(n.main()), build(n.shortcut()));
        };
    }

    /** One line per layer, blocks indented: {@code conv1  conv  in=1 out=6 kernel=5 ...}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        print(b, layers, "");
        return b.toString();
    }

    private static void print(StringBuilder b, List<Node> nodes, String indent) {
        for (Node n : nodes) {
            b.append(indent).append(String.format("%-14s %-16s", n.name(), n.kind()));
            n.args().forEach((key, v) -> b.append(' ').append(key).append('=').append(v));
            b.append('\n');
            if (!n.shortcut().isEmpty()) b.append(indent).append("  main:\n");
            print(b, n.main(), indent + "    ");
            if (!n.shortcut().isEmpty()) {
                b.append(indent).append("  shortcut:\n");
                print(b, n.shortcut(), indent + "    ");
            }
        }
    }
}
