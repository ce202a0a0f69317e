package glassbox.shell;

import glassbox.data.DataOptions;
import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.Split;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;
import glassbox.viz.activations.Inputs;
import glassbox.viz.render.ColorBar;
import glassbox.viz.render.Colormap;
import glassbox.viz.render.Fonts;
import glassbox.viz.render.Grid;
import glassbox.viz.render.Images;
import glassbox.viz.render.Png;
import glassbox.viz.render.Raster;
import glassbox.viz.render.ValueRange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The helpers of {@code ./glassbox shell}: JShell imports them statically, so a student types
 * {@code var m = model("runs/lenet5.gbx")}, {@code show(m.forward(image(0), false))} and
 * {@code png(m.activation("conv1"), "conv1.png")}.
 *
 * <p>{@link #model} remembers the model it loaded as the <em>current</em> one: {@link #image}, {@link #batch}
 * and {@link #label} then read that model's data set (from its metadata) and normalize pixels the way it was
 * trained, and {@link #className} names its outputs. Everything else is the engine's own API, used as is
 * ({@code m.forward}, {@code m.backward}, {@code m.activation}, {@code m.param("conv1.weight")}). Checked
 * I/O errors come back unchecked, so a student's {@code .jsh} script needs no {@code throws}. Leaves out
 * training (use {@code ./glassbox train} or {@code glassbox.train.Trainer}) and drawing beyond one tensor.
 */
public final class Shell {
    private static ModelFile current;
    private static final Map<String, Dataset> DATA = new HashMap<>();

    private Shell() {
    }

    /** The text {@code ./glassbox shell} greets with: what is imported and which helpers exist. */
    public static String banner() {
        return """
                Glassbox shell (JShell). Imported: glassbox.tensor, layers, model, loss, optim, train, data.Dataset.
                Helpers:
                  var m = model("FILE.gbx")            load a trained model, or a shipped one: model("lenet5-mnist")
                  image(i), batch(from, n)             its test images, normalized for it: [N, C, H, W]
                  label(i), className(k)               true label of test image i, name of class k
                  predict(m, x), probabilities(m, x)   class and softmax of the first sample
                  predictions(m, xs)                   the class of every sample of a batch
                  show(t)                              shape and statistics of a tensor
                  png(t, "out.png")                    save a tensor as a picture (maps with a colour bar)
                  npy(t, "out.npy")                    save a tensor for numpy (np.load)
                  image("sample", i)                   an image of any data set, pixels / 255
                Engine: m.forward(x, false), m.backward(g), m.activation("conv1"), m.param("conv1.weight"),
                        Net.builder("mine", 1, 28, 28).conv(6, 5).relu()...build(seed). Guide: docs/shell.md
                /help for JShell's commands, /exit to leave.""";
    }

    // ---- models ----------------------------------------------------------------------------------------

    /**
     * Loads a model file written by {@code ./glassbox train} (or by {@link ModelIO#save}), or a shipped model
     * by name ({@code model("lenet5-mnist")}, see {@code ./glassbox models}), rebuilds its network and makes it
     * the current model.
     */
    public static Model model(String fileOrName) {
        Path p;
        try {
            p = glassbox.cli.Gallery.resolve(Path.of(fileOrName));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (write one with ./glassbox train --model lenet5 --dataset mnist --out "
                    + fileOrName + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            current = ModelIO.load(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return current.toModel();
    }

    /** The file of the current model: build options, class names, normalization, metadata (e.g. accuracy). */
    public static ModelFile modelFile() {
        if (current == null) throw new IllegalStateException("no model loaded yet: var m = model(\"FILE.gbx\")");
        return current;
    }

    // ---- images ----------------------------------------------------------------------------------------

    /** Test image {@code i} of the current model's data set, normalized for it: [1, C, H, W]. */
    public static Tensor image(int i) {
        return batch(i, 1);
    }

    /** Test images {@code from .. from+n-1} of the current model's data set, normalized for it: [n, C, H, W]. */
    public static Tensor batch(int from, int n) {
        ModelFile f = modelFile();
        int[] idx = new int[n];
        for (int k = 0; k < n; k++) idx[k] = from + k;
        Normalization norm = new Normalization(f.mean(), f.std());
        return Inputs.batch(testSet(), idx, Inputs.normalized(norm));
    }

    /** The true label of test image {@code i} of the current model's data set. */
    public static int label(int i) {
        return testSet().label(i);
    }

    /** Image {@code i} of the test split of any data set (mnist, fashion, cifar10, sample), pixels / 255: [1, C, H, W]. */
    public static Tensor image(String dataset, int i) {
        return Inputs.batch(data(dataset, "test"), new int[]{i}, Inputs.UNIT);
    }

    /** A data set split ("test" or "train"), loaded once and kept. */
    public static Dataset data(String dataset, String split) {
        String key = dataset.toLowerCase(Locale.ROOT) + "/" + split;
        Dataset d = DATA.get(key);
        if (d == null) {
            try {
                d = Datasets.load(dataset, Split.of(split), DataOptions.defaults());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            DATA.put(key, d);
        }
        return d;
    }

    private static Dataset testSet() {
        String name = modelFile().meta().get("dataset");
        if (name == null) throw new IllegalStateException("the current model does not say its data set; use image(\"mnist\", i)");
        return data(name, "test");
    }

    // ---- predictions -----------------------------------------------------------------------------------

    /** Softmax of the model's output for the first sample of {@code x}. */
    public static float[] probabilities(Model m, Tensor x) {
        Tensor logits = m.forward(x, false);
        int k = logits.dim(1);
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < k; j++) max = Math.max(max, logits.data()[j]);
        float[] p = new float[k];
        for (int j = 0; j < k; j++) sum += p[j] = (float) Math.exp(logits.data()[j] - max);
        for (int j = 0; j < k; j++) p[j] /= (float) sum;
        return p;
    }

    /** The class the model predicts for the first sample of {@code x} (runs forward, so activations are fresh). */
    public static int predict(Model m, Tensor x) {
        float[] p = probabilities(m, x);
        int best = 0;
        for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
        return best;
    }

    /** The predicted class of every sample of {@code x} (one forward pass). */
    public static int[] predictions(Model m, Tensor x) {
        Tensor logits = m.forward(x, false);
        int n = logits.dim(0), k = logits.dim(1);
        int[] best = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < k; j++) if (logits.data()[i * k + j] > logits.data()[i * k + best[i]]) best[i] = j;
        }
        return best;
    }

    /** Name of class {@code k} of the current model (its index if the file names none). */
    public static String className(int k) {
        List<String> names = modelFile().classNames();
        return k >= 0 && k < names.size() ? names.get(k) : Integer.toString(k);
    }

    // ---- looking at tensors ----------------------------------------------------------------------------

    /** Shape and summary statistics of a tensor; NaN and infinities are counted, not averaged. */
    public record Stats(int[] shape, float min, float max, double mean, double std, double zeroFraction, int nonFinite) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s  min %.4g  max %.4g  mean %.4g  std %.4g  zeros %.1f%%%s",
                    Arrays.toString(shape), min, max, mean, std, 100 * zeroFraction,
                    nonFinite > 0 ? "  NON-FINITE " + nonFinite : "");
        }
    }

    /** Statistics of {@code t} (see {@link Stats}). */
    public static Stats stats(Tensor t) {
        float[] v = t.data();
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        double sum = 0, sq = 0;
        int zeros = 0, bad = 0, n = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                bad++;
                continue;
            }
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
            sq += (double) x * x;
            if (x == 0f) zeros++;
            n++;
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double std = n == 0 ? Double.NaN : Math.sqrt(Math.max(0, sq / n - mean * mean));
        return new Stats(t.shape(), min, max, mean, std, v.length == 0 ? 0 : zeros / (double) v.length, bad);
    }

    /** Prints {@link #stats} of {@code t}, and its values when it has at most 16. */
    public static void show(Tensor t) {
        System.out.println(stats(t));
        if (t.size() <= 16) {
            StringBuilder b = new StringBuilder(" ");
            for (float x : t.data()) b.append(String.format(Locale.ROOT, " %.4g", x));
            System.out.println(b);
        }
    }

    /** Saves {@code t} as a numpy {@code .npy} file (float32, its shape) and returns the file. */
    public static Path npy(Tensor t, String file) {
        Path p = Path.of(file);
        try {
            glassbox.export.Npy.write(t, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Most maps {@link #png} draws; a bigger tensor shows its first ones and says so in the title. */
    public static final int MAX_MAPS = 256;

    /**
     * Saves {@code t} as a picture and returns the file. Leading dimensions of size 1 are dropped; then
     * [A, B, H, W] (a batch of activations, or convolution weights [out, in, k, k]) becomes one map per (a, b),
     * [C, H, W] one map per channel, [H, W] one map, [K] a strip of K cells; all maps share one colour scale.
     * Signed values use a blue-white-red map centred on zero, others viridis; the colour bar gives the real range.
     */
    public static Path png(Tensor t, String file) {
        int[] s = t.shape();
        int from = 0;
        while (s.length - from > 2 && s[from] == 1) from++; // [1, 6, 28, 28] -> [6, 28, 28]
        int[] shape = Arrays.copyOfRange(s, from, s.length);
        if (shape.length > 4) throw new IllegalArgumentException("png: tensors up to rank 4, got " + t.shapeString());
        int h = shape.length >= 2 ? shape[shape.length - 2] : 1, w = shape[shape.length - 1];
        int a = shape.length == 4 ? shape[0] : 1, b = shape.length >= 3 ? shape[shape.length - 3] : 1;
        int maps = Math.min(a * b, MAX_MAPS), plane = h * w;
        ValueRange raw = ValueRange.of(t.data(), 0, maps * plane);
        ValueRange range = raw.min() < 0 && raw.max() > 0 ? ValueRange.symmetric(t.data(), 0, maps * plane) : raw;
        Colormap cmap = Colormap.forRange(range);
        int f = Images.upscaleFactor(h, w, maps == 1 ? 256 : 64);
        List<Grid.Tile> tiles = new ArrayList<>();
        for (int k = 0; k < maps; k++) {
            String label = maps == 1 ? "" : a > 1 && b > 1 ? (k / b) + "," + (k % b) : Integer.toString(k);
            tiles.add(new Grid.Tile(Images.map(t.data(), k * plane, h, w, cmap, range).upscale(f), label));
        }
        Raster grid = new Grid(Grid.squareColumns(maps, a > 1 && b > 1 ? b : 12)).render(tiles);
        String title = Path.of(file).getFileName().toString().replaceFirst("\\.png$", "") + "  " + Arrays.toString(s)
                + (maps < a * b ? "  (first " + maps + " of " + a * b + " maps)" : "");
        Raster bar = ColorBar.render(cmap, range, Math.min(Math.max(grid.width(), 160), 320), "value");
        int titleH = Raster.lineHeight(Fonts.bold(13)) + 6;
        int width = Math.max(Math.max(grid.width(), bar.width()), Raster.textWidth(title, Fonts.bold(13))) + 16;
        Raster page = new Raster(width, titleH + grid.height() + bar.height() + 20, Raster.WHITE);
        page.drawText(title, 8, 4, Fonts.bold(13), Raster.BLACK);
        page.blit(grid, 8, titleH);
        page.blit(bar, 8, titleH + grid.height() + 8);
        Path out = Path.of(file);
        Png.write(page, out);
        return out;
    }
}
