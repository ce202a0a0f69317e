package glassbox.viz;

import glassbox.data.Dataset;
import glassbox.layers.Conv2d;
import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;
import glassbox.viz.activations.ActivationMaps;
import glassbox.viz.activations.ActivationStats;
import glassbox.viz.activations.Inputs;
import glassbox.viz.activations.LayerGeometry;
import glassbox.viz.activations.ReceptiveField;
import glassbox.viz.activations.TopK;
import glassbox.viz.activations.TopPatches;
import glassbox.viz.render.Json;
import glassbox.viz.render.Png;
import glassbox.viz.render.Raster;
import glassbox.viz.render.Scaling;
import glassbox.viz.weights.FcTemplates;
import glassbox.viz.weights.KernelComparison;
import glassbox.viz.weights.KernelSheets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The renderings of "what did the network learn", written as PNG files plus a JSON of the numbers shown,
 * for one model: the same calls back the {@code ./glassbox viz} commands, the report and the explorer.
 *
 * <p>Each method returns the files it wrote. Pictures are built by the classes of {@code viz.weights} and
 * {@code viz.activations}, which return {@link Raster}s for callers that want them in memory instead.
 */
public final class Renderings {
    private final Model model;
    private final List<String> classNames;
    private final Inputs.Encoder encoder;

    /** A model with its class names and input normalization. */
    public Renderings(Model model, List<String> classNames, Inputs.Encoder encoder) {
        this.model = model;
        this.classNames = List.copyOf(classNames);
        this.encoder = encoder;
    }

    /** From a model file: rebuilds the network, takes class names and normalization from the file. */
    public static Renderings of(ModelFile f) {
        return new Renderings(f.toModel(), f.classNames(), Inputs.normalized(new Normalization(f.mean(), f.std())));
    }

    public Model model() {
        return model;
    }

    public Inputs.Encoder encoder() {
        return encoder;
    }

    /** Templates per page of a {@link #templates} sheet (an MLP's 256 hidden units take 6 pages). */
    public static final int TEMPLATES_PER_PAGE = 50;

    /** FC templates of the first layer: global and per-template scaling (plus a signed view for grey input), paginated. */
    public List<Path> templates(Path out) {
        FcTemplates t = FcTemplates.firstLayer(model);
        boolean named = t.units() == classNames.size();
        List<String> labels = named ? classNames : null;
        int pages = (t.units() + TEMPLATES_PER_PAGE - 1) / TEMPLATES_PER_PAGE;
        List<Path> files = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            int from = p * TEMPLATES_PER_PAGE, to = Math.min(t.units(), from + TEMPLATES_PER_PAGE);
            String suffix = pages > 1 ? "-p" + (p + 1) : "";
            files.add(write(t.render(Scaling.GLOBAL, labels, from, to), out.resolve("templates-global" + suffix + ".png")));
            files.add(write(t.render(Scaling.PER_TILE, labels, from, to), out.resolve("templates-per-template" + suffix + ".png")));
            if (model.inputShape()[0] == 1) files.add(write(t.renderSigned(labels, from, to), out.resolve("templates-signed" + suffix + ".png")));
        }
        files.add(json(t.summary(labels), out.resolve("templates.json")));
        return files;
    }

    /**
     * Kernels of conv layer {@code layer} (null: every conv layer): a colour grid for layers that see 1 or 3
     * channels, per-input-channel grids (paginated) for the others, and if {@code gradBatch} is given the
     * weight gradients dL/dW of the cross-entropy loss on that batch, drawn the same way.
     */
    public List<Path> kernels(Path out, String layer, Scaling scaling, Dataset gradBatch) {
        List<Conv2d> convs = layer == null ? KernelSheets.convLayers(model) : List.of(KernelSheets.conv(model, layer));
        if (convs.isEmpty()) throw new IllegalArgumentException(model.arch() + " has no convolution layers; try 'viz templates'");
        if (gradBatch != null) lossGradients(gradBatch);
        List<Path> files = new ArrayList<>();
        Map<String, Object> numbers = new LinkedHashMap<>();
        for (Conv2d c : convs) {
            files.addAll(kernelSheets(out, c.name(), c.weight().value(), scaling, "weights", ""));
            if (gradBatch != null) files.addAll(kernelSheets(out, c.name(), c.weight().grad(), scaling, "dL/dW", "-grad"));
            if (c.inChannels() <= 3) numbers.put(c.name(), KernelComparison.numbers(c.name(), c.weight().value()));
        }
        if (!numbers.isEmpty()) files.add(json(numbers, out.resolve("kernels.json")));
        return files;
    }

    private List<Path> kernelSheets(Path out, String name, Tensor w, Scaling scaling, String what, String suffix) {
        String base = "kernels-" + safe(name) + suffix;
        if (w.dim(1) == 1 || w.dim(1) == 3) return List.of(write(KernelSheets.colourGrid(name, w, scaling, what), out.resolve(base + ".png")));
        List<Path> files = new ArrayList<>();
        int pages = KernelSheets.pages(w);
        for (int p = 0; p < pages; p++) {
            files.add(write(KernelSheets.channelGrid(name, w, scaling, what, p), out.resolve(base + (pages > 1 ? "-p" + (p + 1) : "") + ".png")));
        }
        return files;
    }

    /** Forward and backward of the mean cross-entropy over {@code batch}, leaving dL/dW in every Param.grad. */
    public float lossGradients(Dataset batch) {
        int[] idx = new int[batch.size()], labels = new int[batch.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
            labels[i] = batch.label(i);
        }
        model.zeroGrad();
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        float l = loss.forward(model.forward(Inputs.batch(batch, idx, encoder), false), labels);
        model.backward(loss.backward());
        return l;
    }

    /** First-layer kernels of several models side by side, with their statistics; {@code labels} name the models. */
    public static List<Path> compareKernels(List<String> labels, List<Model> models, Path out) {
        List<KernelComparison.Entry> entries = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            List<Conv2d> cs = KernelSheets.convLayers(models.get(i));
            if (cs.isEmpty()) throw new IllegalArgumentException(labels.get(i) + " (" + models.get(i).arch() + ") has no convolution layer to compare");
            entries.add(new KernelComparison.Entry(labels.get(i), cs.getFirst().weight().value()));
        }
        KernelComparison cmp = new KernelComparison(entries);
        return List.of(write(cmp.render(), out.resolve("compare-kernels.png")), json(cmp.numbers(), out.resolve("compare-kernels.json")));
    }

    /**
     * Every layer's activations for image {@code i} of {@code data} (a data set split, or a one-image set
     * from a file): one sheet per layer, numbered in forward order, and the statistics of this image.
     */
    public List<Path> activations(Path out, Dataset data, int i, Scaling scaling, String onlyLayer) {
        model.forward(Inputs.batch(data, new int[]{i}, encoder), false);
        Raster input = Inputs.picture(data, i);
        List<Path> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (onlyLayer != null) {
            model.layer(onlyLayer);
            names.add(onlyLayer);
        } else {
            names.addAll(LayerGeometry.outputShapes(model).keySet()); // forward order: a block after its children
        }
        int k = 0;
        int last = model.layers().size() - 1;
        for (String n : names) {
            k++;
            boolean logits = n.equals(model.layers().get(last).name());
            Raster r = ActivationMaps.render(model, n, input, scaling, logits ? classNames : null);
            files.add(write(r, out.resolve(String.format("act-%02d-%s.png", k, safe(n)))));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", data.split().equals(Inputs.FILE_SPLIT) ? data.name() : data.name() + "/" + data.split() + "#" + i);
        boolean labelled = !data.split().equals(Inputs.FILE_SPLIT) && data.label(i) < data.numClasses();
        m.put("label", labelled ? data.classNames().get(data.label(i)) : null);
        float[] logits = model.layers().get(last).output().data();
        int best = 0;
        for (int j = 1; j < logits.length; j++) if (logits[j] > logits[best]) best = j;
        m.put("predicted", best < classNames.size() ? classNames.get(best) : Integer.toString(best));
        m.put("layers", ActivationStats.numbers(ActivationStats.of(model)));
        files.add(json(m, out.resolve("activations.json")));
        return files;
    }

    /** Mean, std, zero fraction and dead channels of every layer over the first {@code n} images of {@code data}. */
    public List<Path> stats(Path out, Dataset data, int n) {
        n = Math.min(n, data.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        model.forward(Inputs.batch(data, idx, encoder), false);
        List<ActivationStats.LayerStats> s = ActivationStats.of(model);
        return List.of(write(ActivationStats.render(s, n), out.resolve("activation-stats.png")),
                json(ActivationStats.numbers(s), out.resolve("activation-stats.json")));
    }

    /** Top-k patches of every channel of {@code layer}, scanning the first {@code count} images of {@code data}. */
    public List<Path> topPatches(Path out, String layer, Dataset data, int k, int count) {
        if (!LayerGeometry.spatialLayers(model).contains(layer)) {
            throw new IllegalArgumentException("'" + layer + "' is not a layer with spatial maps; choose one of " + String.join(", ", LayerGeometry.spatialLayers(model)));
        }
        TopK top = TopPatches.scan(model, layer, data, encoder, k, count, 64, true);
        ReceptiveField rf = LayerGeometry.receptiveField(model, layer);
        List<Path> files = new ArrayList<>();
        int perPage = 16;
        for (int from = 0; from < top.channels(); from += perPage) {
            int to = Math.min(top.channels(), from + perPage);
            String suffix = top.channels() > perPage ? "-p" + (from / perPage + 1) : "";
            files.add(write(TopPatches.render(model, layer, top, data, from, to), out.resolve("top-patches-" + safe(layer) + suffix + ".png")));
        }
        files.add(json(TopPatches.numbers(layer, rf, top), out.resolve("top-patches-" + safe(layer) + ".json")));
        return files;
    }

    static Path write(Raster r, Path file) {
        Png.write(r, file);
        return file;
    }

    static Path json(Object o, Path file) {
        Json.write(o, file);
        return file;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
