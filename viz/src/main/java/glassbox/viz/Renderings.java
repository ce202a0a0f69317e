package glassbox.viz;

import glassbox.data.Dataset;
import glassbox.layers.Conv2d;
import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.train.Normalization;
import glassbox.viz.activations.ActivationMaps;
import glassbox.viz.activations.ActivationStats;
import glassbox.viz.activations.ActivationStatsSheet;
import glassbox.viz.activations.Activations;
import glassbox.viz.activations.Inputs;
import glassbox.viz.activations.LayerGeometry;
import glassbox.viz.activations.TopPatchSheets;
import glassbox.viz.activations.TopPatches;
import glassbox.viz.render.JsonOut;
import glassbox.viz.render.Png;
import glassbox.viz.render.Raster;
import glassbox.viz.render.Scaling;
import glassbox.viz.weights.ConvKernels;
import glassbox.viz.weights.FcTemplates;
import glassbox.viz.weights.KernelComparison;
import glassbox.viz.weights.KernelComparisonSheet;
import glassbox.viz.weights.KernelSheets;
import glassbox.viz.weights.KernelStats;
import glassbox.viz.weights.TemplateSheets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The renderings of "what did the network learn" for one model, written as PNG files plus a JSON of the
 * numbers: the {@code ./glassbox viz} commands call these. Each method runs a view's computation (a record
 * of numbers), draws it with the view's renderer and writes the record with {@link JsonOut}; a report or
 * the explorer calls the computations directly and serializes the same records.
 *
 * <p>Each method returns the files it wrote.
 */
public final class Renderings {
    private final Model model;
    private final List<String> classNames;
    private final Inputs.Encoder encoder;
    private Progress progress = Progress.NONE;

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

    /** Reports the progress of long scans (top patches) to {@code p}; returns this. */
    public Renderings progress(Progress p) {
        this.progress = p;
        return this;
    }

    public Model model() {
        return model;
    }

    public Inputs.Encoder encoder() {
        return encoder;
    }

    /** Templates per page of a {@link #templates} sheet (an MLP's 256 hidden units take 6 pages). */
    public static final int TEMPLATES_PER_PAGE = 50;

    /** FC templates of the first layer: global and per-template scaling, paginated; templates.json. */
    public List<Path> templates(Path out) {
        FcTemplates t = FcTemplates.firstLayer(model, classNames);
        int pages = (t.units() + TEMPLATES_PER_PAGE - 1) / TEMPLATES_PER_PAGE;
        List<Path> files = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            int from = p * TEMPLATES_PER_PAGE, to = Math.min(t.units(), from + TEMPLATES_PER_PAGE);
            String suffix = pages > 1 ? "-p" + (p + 1) : "";
            files.add(write(TemplateSheets.render(t, Scaling.GLOBAL, from, to), out.resolve("templates-global" + suffix + ".png")));
            files.add(write(TemplateSheets.render(t, Scaling.PER_TILE, from, to), out.resolve("templates-per-template" + suffix + ".png")));
        }
        files.add(json(t, out.resolve("templates.json")));
        return files;
    }

    /**
     * What kernels.json holds per conv layer: the weights, their loss gradient (null without a batch), and
     * for layers that see 1 or 3 channels each kernel's statistics with the layer's averages and the noise
     * baseline (null otherwise).
     */
    public record LayerKernels(ConvKernels weights, ConvKernels gradient, List<KernelStats> stats,
                               KernelComparison.Summary summary, KernelComparison.Summary noise) {
    }

    /**
     * Kernels of conv layer {@code layer} (null: every conv layer): a colour grid for layers that see 1 or 3
     * channels, per-input-channel grids (paginated) for the others, and if {@code gradBatch} is given the
     * weight gradients dL/dW of the cross-entropy loss on that batch, drawn the same way.
     */
    public List<Path> kernels(Path out, String layer, Scaling scaling, Dataset gradBatch) {
        List<Conv2d> convs = layer == null ? ConvKernels.convLayers(model) : List.of(ConvKernels.conv(model, layer));
        if (convs.isEmpty()) throw new IllegalArgumentException(model.arch() + " has no convolution layers; try 'viz templates'");
        double loss = gradBatch != null ? lossGradients(gradBatch) : Double.NaN;
        List<Path> files = new ArrayList<>();
        Map<String, LayerKernels> numbers = new LinkedHashMap<>();
        for (Conv2d c : convs) {
            ConvKernels w = ConvKernels.weights(c);
            ConvKernels g = gradBatch != null ? ConvKernels.gradient(c, gradBatch.size(), loss) : null;
            files.addAll(kernelSheets(out, w, scaling, ""));
            if (g != null) files.addAll(kernelSheets(out, g, scaling, "-grad"));
            KernelComparison.Layer st = c.inChannels() <= 3 ? KernelComparison.layer(c.name(), c.weight().value()) : null;
            numbers.put(c.name(), new LayerKernels(w, g, st != null ? st.stats() : null, st != null ? st.summary() : null, st != null ? st.noise() : null));
        }
        files.add(json(numbers, out.resolve("kernels.json")));
        return files;
    }

    private List<Path> kernelSheets(Path out, ConvKernels k, Scaling scaling, String suffix) {
        String base = "kernels-" + safe(k.layer()) + suffix;
        int in = k.shape()[1];
        if (in == 1 || in == 3) return List.of(write(KernelSheets.colourGrid(k, scaling), out.resolve(base + ".png")));
        List<Path> files = new ArrayList<>();
        int pages = KernelSheets.pages(k);
        for (int p = 0; p < pages; p++) {
            files.add(write(KernelSheets.channelGrid(k, scaling, p), out.resolve(base + (pages > 1 ? "-p" + (p + 1) : "") + ".png")));
        }
        return files;
    }

    /** Forward and backward of the mean cross-entropy over {@code batch}, leaving dL/dW in every Param.grad; returns the loss. */
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
            List<Conv2d> cs = ConvKernels.convLayers(models.get(i));
            if (cs.isEmpty()) throw new IllegalArgumentException(labels.get(i) + " (" + models.get(i).arch() + ") has no convolution layer to compare");
            entries.add(new KernelComparison.Entry(labels.get(i), cs.getFirst().weight().value()));
        }
        KernelComparison cmp = KernelComparison.of(entries);
        return List.of(write(KernelComparisonSheet.render(cmp), out.resolve("compare-kernels.png")), json(cmp, out.resolve("compare-kernels.json")));
    }

    /**
     * Every layer's activations for image {@code i} of {@code data} (a data set split, or a one-image set
     * from a file, whose conversion {@code inputNotes} describe): one sheet per layer, numbered in forward
     * order, and activations.json with every layer's output, the prediction and the true label.
     */
    public List<Path> activations(Path out, Dataset data, int i, Scaling scaling, String onlyLayer, List<String> inputNotes) {
        return activations(out, data, i, scaling, onlyLayer != null ? List.of(onlyLayer) : null, inputNotes);
    }

    /** As {@link #activations(Path, Dataset, int, Scaling, String, List)}, for the layers {@code onlyLayers} (null: every layer). */
    public List<Path> activations(Path out, Dataset data, int i, Scaling scaling, List<String> onlyLayers, List<String> inputNotes) {
        boolean file = data.split().equals(Inputs.FILE_SPLIT);
        String image = file ? data.name() : data.split() + " image " + i + " of " + data.name();
        String truth = !file && data.label(i) < data.numClasses() ? data.classNames().get(data.label(i)) : null;
        Activations a = Activations.of(model, Inputs.batch(data, new int[]{i}, encoder), image, inputNotes, truth, classNames,
                onlyLayers);
        Raster input = Inputs.picture(data, i);
        List<Path> files = new ArrayList<>();
        List<String> order = new ArrayList<>(LayerGeometry.outputShapes(model).keySet()); // forward order: a block after its children
        for (Activations.LayerOutput l : a.layers()) {
            int k = order.indexOf(l.layer()) + 1;
            files.add(write(ActivationMaps.render(a, l, input, scaling), out.resolve(String.format("act-%02d-%s.png", k, safe(l.layer())))));
        }
        files.add(json(a, out.resolve("activations.json")));
        return files;
    }

    /** What activation-stats.json holds: the images the statistics were taken over, and one entry per layer. */
    public record StatsFile(String dataset, int images, List<ActivationStats.LayerStats> layers) {
    }

    /** Mean, std, zero fraction and dead channels of every layer over the first {@code n} images of {@code data}. */
    public List<Path> stats(Path out, Dataset data, int n) {
        n = Math.min(n, data.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        List<ActivationStats.LayerStats> s = ActivationStats.of(model, Inputs.batch(data, idx, encoder));
        return List.of(write(ActivationStatsSheet.render(s, n), out.resolve("activation-stats.png")),
                json(new StatsFile(data.name() + "/" + data.split(), n, s), out.resolve("activation-stats.json")));
    }

    /** Top-k patches of every channel of {@code layer}, scanning the first {@code count} images of {@code data}. */
    public List<Path> topPatches(Path out, String layer, Dataset data, int k, int count) {
        List<String> spatial = LayerGeometry.spatialLayers(model);
        if (!spatial.contains(layer)) {
            throw new IllegalArgumentException("'" + layer + "' is not a layer with spatial maps; "
                    + (spatial.isEmpty() ? model.arch() + " has none (it has no convolution layers)" : "choose one of " + String.join(", ", spatial)));
        }
        TopPatches tp;
        progress.start("scanning " + data.name() + "/" + data.split(), Math.min(count, data.size()));
        try {
            tp = TopPatches.of(model, layer, data, encoder, k, count, 64, progress::stepTo);
        } finally {
            progress.end();
        }
        List<Path> files = new ArrayList<>();
        int perPage = TopPatchSheets.PER_PAGE, channels = tp.channels().size();
        for (int from = 0; from < channels; from += perPage) {
            int to = Math.min(channels, from + perPage);
            String suffix = channels > perPage ? "-p" + (from / perPage + 1) : "";
            files.add(write(TopPatchSheets.render(tp, model, data, from, to), out.resolve("top-patches-" + safe(layer) + suffix + ".png")));
        }
        files.add(json(tp, out.resolve("top-patches-" + safe(layer) + ".json")));
        return files;
    }

    static Path write(Raster r, Path file) {
        Png.write(r, file);
        return file;
    }

    static Path json(Object o, Path file) {
        JsonOut.write(o, file);
        return file;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
