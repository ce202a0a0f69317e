package glassbox.cli;

import glassbox.data.Dataset;
import glassbox.export.Npy;
import glassbox.export.Onnx;
import glassbox.layers.Layer;
import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.tensor.Tensor;
import glassbox.train.Evaluation;
import glassbox.train.Normalization;
import glassbox.viz.activations.Inputs;
import glassbox.viz.render.Png;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * {@code ./glassbox export}: a model as ONNX, or one tensor as a NumPy {@code .npy} file: a stored tensor
 * (weights, batch-norm statistics), a layer's activation for some images, or the loss gradient at a layer's
 * output or at the input (a saliency map).
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a model to ONNX, or a tensor (weights, activation, gradient) to .npy for numpy.",
                "  --onnx OUT.onnx                              the whole model (input: pixels in [0, 1], output: logits)",
                "  --tensor conv1.weight --npy OUT.npy          a stored tensor (--list shows them)",
                "  --activation relu1 --image 0 --npy OUT.npy   a layer's output for some images, [N, ...]",
                "  --gradient conv1|input --image 0 --npy OUT   dLoss/d(layer output) or dLoss/d(normalized input)"})
public final class ExportCommand implements Callable<Integer> {
    @Mixin
    ModelDataMixin input;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--onnx", paramLabel = "OUT.onnx", description = "Write the model as ONNX (opset 13).")
        Path onnx;
        @Option(names = "--tensor", paramLabel = "NAME", description = "A stored tensor, e.g. conv1.weight or bn1.running_mean.")
        String tensor;
        @Option(names = "--activation", paramLabel = "LAYER", description = "The output of this layer for the chosen images.")
        String activation;
        @Option(names = "--gradient", paramLabel = "LAYER|input", description = "dLoss/d(output of LAYER), or d/d(input) for 'input'.")
        String gradient;
        @Option(names = "--list", description = "List the stored tensors and the layers.")
        boolean list;
    }

    @Option(names = "--npy", paramLabel = "OUT.npy", description = "Where to write the tensor (.npy, float32, C order).")
    Path npy;

    @Option(names = "--image", paramLabel = "N|FILE", description = "Image index in the split (repeatable), or one image file (PNG). Default: 0.")
    List<String> image;

    @Option(names = "--images", paramLabel = "N", description = "Use the first N images of the split instead of --image.")
    Integer images;

    @Option(names = "--target", defaultValue = "true", description = "Class whose loss --gradient differentiates: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    ExplainCommand.TargetChoice target; // the same choice as explain's --target

    @Mixin
    ThreadsMixin threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        boolean predicted = target == ExplainCommand.TargetChoice.PREDICTED;
        if (images != null && images < 1) throw new IllegalArgumentException("--images must be >= 1, got " + images);
        ModelFile f = input.file();
        if (what.list) {
            System.out.println("stored tensors (--tensor):");
            f.tensors().forEach((k, v) -> {
                if (!k.startsWith(ModelFile.OPTIMIZER_PREFIX)) System.out.println("  " + k + " " + v.shapeString());
            });
            System.out.println("layers (--activation, --gradient):");
            for (Layer l : f.toModel().allLayers()) System.out.println("  " + l.name() + " (" + l.getClass().getSimpleName() + ")");
            return 0;
        }
        if (what.onnx != null) {
            Onnx.write(f, what.onnx);
            System.out.println("wrote " + what.onnx + " (ONNX opset " + Onnx.OPSET + "; input 'input' [N, "
                    + Arrays.stream(f.inputShape()).mapToObj(Integer::toString).reduce((a, b) -> a + ", " + b).orElse("")
                    + "] pixels in [0, 1], output 'logits')");
            return 0;
        }
        if (npy == null) throw new IllegalArgumentException("--npy OUT.npy is needed with --tensor, --activation or --gradient");
        Tensor t;
        String what2;
        if (what.tensor != null) {
            t = f.tensors().get(what.tensor);
            if (t == null) throw new IllegalArgumentException("no tensor '" + what.tensor + "' in the model; --list shows them");
            what2 = what.tensor;
        } else {
            Model m = f.toModel();
            String layer = what.activation != null ? what.activation : what.gradient;
            if (!layer.equals("input")) m.layer(layer); // fails with the layer names if unknown
            Dataset d;
            int[] idx;
            boolean fromFile = image != null && image.stream().anyMatch(s -> !s.matches("\\d+"));
            if (fromFile) {
                if (image.size() != 1 || images != null) throw new IllegalArgumentException("--image FILE takes one image file, without other --image or --images");
                Path p = Path.of(image.getFirst());
                if (!Files.isRegularFile(p)) throw new IllegalArgumentException("--image " + p + " is neither an index nor an image file");
                if (what.gradient != null && !predicted) throw new IllegalArgumentException("an image file has no true label: use --target predicted");
                int[] in = f.inputShape();
                d = Inputs.fromPicture(Png.read(p), p.getFileName().toString(), in[0], in[1], in[2], f.classNames());
                idx = new int[]{0};
            } else {
                d = input.data(f);
                idx = images != null ? IntStream.range(0, Math.min(images, d.size())).toArray()
                        : image == null ? new int[]{0} : image.stream().mapToInt(Integer::parseInt).toArray();
            }
            Tensor x = Inputs.batch(d, idx, Inputs.normalized(new Normalization(f.mean(), f.std())));
            Tensor logits = m.forward(x, false);
            if (what.activation != null) {
                if (layer.equals("input")) throw new IllegalArgumentException("--activation input: use a layer name (--list)");
                t = m.activation(layer);
                what2 = "activation of " + layer;
            } else {
                int[] labels = predicted ? Evaluation.argmax(logits) : Arrays.stream(idx).map(d::label).toArray();
                SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
                loss.forward(logits, labels);
                Tensor dx = m.backward(loss.backward());
                t = layer.equals("input") ? dx : m.gradient(layer);
                what2 = "dLoss/d(" + (layer.equals("input") ? "normalized input" : "output of " + layer) + "), "
                        + (predicted ? "predicted" : "true") + " class";
            }
            what2 += " for image" + (idx.length > 1 ? "s " : " ") + (idx.length > 8 ? idx.length + " images" : Arrays.toString(idx));
        }
        Npy.write(t, npy);
        System.out.println("wrote " + npy + ": " + what2 + ", shape " + t.shapeString());
        return 0;
    }
}
