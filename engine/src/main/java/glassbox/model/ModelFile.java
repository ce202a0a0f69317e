package glassbox.model;

import glassbox.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a model file holds, in memory: enough to rebuild the network (its {@link Architecture}, or
 * for old files the {@link Zoo} name and build options), to feed it (input shape, per-channel normalization) and to
 * name its outputs (class names), plus named tensors (parameters AND buffers, and for a checkpoint the
 * optimizer state) and free-form metadata (dataset, epoch, accuracy, training settings).
 *
 * <p>Read and written by {@link ModelIO}. Tensors whose names start with {@value #OPTIMIZER_PREFIX}
 * belong to the optimizer, not to the model.
 *
 * @param arch        zoo name, e.g. "lenet5"
 * @param options     zoo build options (see {@link Zoo#build(String, Map, long)})
 * @param inputShape  one sample, e.g. [1, 28, 28]
 * @param classNames  one name per output
 * @param mean        per-channel mean subtracted after scaling pixels to [0, 1]
 * @param std         per-channel standard deviation divided by afterwards
 * @param meta        free-form key/value metadata, kept in order
 * @param tensors     named tensors, kept in order
 * @param architecture the network's layers as data, so a network that is not in the zoo rebuilds too; null
 *                     in files of format version 1 (they rebuild through the zoo)
 */
public record ModelFile(String arch, Map<String, String> options, int[] inputShape, List<String> classNames,
                        float[] mean, float[] std, Map<String, String> meta, Map<String, Tensor> tensors,
                        Architecture architecture) {
    /** Prefix of optimizer-state tensors in a checkpoint. */
    public static final String OPTIMIZER_PREFIX = "optimizer/";

    public ModelFile {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        classNames = List.copyOf(classNames);
        inputShape = inputShape.clone();
        mean = mean.clone();
        std = std.clone();
        if (mean.length != std.length) throw new IllegalArgumentException("mean has " + mean.length + " channels, std " + std.length);
    }

    /** A file without an architecture record: it rebuilds through the zoo by {@code arch} and {@code options}. */
    public ModelFile(String arch, Map<String, String> options, int[] inputShape, List<String> classNames,
                     float[] mean, float[] std, Map<String, String> meta, Map<String, Tensor> tensors) {
        this(arch, options, inputShape, classNames, mean, std, meta, tensors, null);
    }

    /**
     * Rebuilds the network from its architecture record (or, for a file without one, through the zoo) and
     * loads its parameters and buffers. A layer kind this Glassbox does not know is refused, naming it.
     */
    public Model toModel() {
        Model m = architecture != null ? new Model(arch, inputShape, architecture.build()) : Zoo.build(arch, options, 0);
        if (!Arrays.equals(m.inputShape(), inputShape)) {
            throw new IllegalArgumentException(arch + " rebuilt with input " + Arrays.toString(m.inputShape())
                    + " but the file says " + Arrays.toString(inputShape));
        }
        loadInto(m);
        return m;
    }

    /** Copies the stored tensors into the model's parameters and buffers; every one must be present with its shape. */
    public void loadInto(Model m) {
        for (Map.Entry<String, Tensor> e : m.state().entrySet()) {
            Tensor stored = tensors.get(e.getKey());
            if (stored == null) throw new IllegalArgumentException("model file has no tensor '" + e.getKey() + "' needed by " + arch);
            if (!stored.sameShape(e.getValue())) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has shape " + stored.shapeString()
                        + " in the file but " + e.getValue().shapeString() + " in " + arch);
            }
            System.arraycopy(stored.data(), 0, e.getValue().data(), 0, stored.size());
        }
    }

    /** The optimizer-state tensors with the prefix removed. */
    public Map<String, Tensor> optimizerState() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(OPTIMIZER_PREFIX)) s.put(k.substring(OPTIMIZER_PREFIX.length()), v);
        });
        return s;
    }

    /** Metadata value or a clear error naming the missing key. */
    public String require(String key) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException("model file has no '" + key + "' entry");
        return v;
    }

    /** The same file with more metadata and tensors (later entries win). */
    public ModelFile with(Map<String, String> moreMeta, Map<String, Tensor> moreTensors) {
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.putAll(moreMeta);
        Map<String, Tensor> t = new LinkedHashMap<>(tensors);
        t.putAll(moreTensors);
        return new ModelFile(arch, options, inputShape, classNames, mean, std, m, t, architecture);
    }
}
