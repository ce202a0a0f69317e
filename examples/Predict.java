// Glassbox from Java: load a trained model file, classify one test image, and read a layer's activations.
// Run from the repository root (after ./glassbox has built cli/target/glassbox.jar):
//   java --add-modules jdk.incubator.vector -cp cli/target/glassbox.jar examples/Predict.java runs/lenet5.gbx 0
// Leaves out batching and the GPU-free speed tricks: see glassbox.train.Evaluation for a whole test set.

import glassbox.data.DataOptions;
import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.Split;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;

public class Predict {
    public static void main(String[] args) throws Exception {
        ModelFile file = ModelIO.load(Path.of(args[0]));     // weights, architecture, normalization, class names
        Model model = file.toModel();                          // the network, rebuilt with its trained weights
        int index = args.length > 1 ? Integer.parseInt(args[1]) : 0;

        // The test split of the data set the model was trained on ("mnist", "sample", ...).
        Dataset test = Datasets.load(file.meta().get("dataset"), Split.TEST, DataOptions.defaults());
        int c = test.channels(), h = test.height(), w = test.width(), size = c * h * w;

        // Input normalization, exactly as in training: x = (pixel / 255 - mean[channel]) / std[channel],
        // with the training set's mean and std stored in the model file.
        float[] x = new float[size];                           // one image, [1, C, H, W]
        for (int k = 0; k < size; k++) {
            int channel = k / (h * w);
            int pixel = test.pixels()[index * size + k] & 0xff;
            x[k] = (pixel / 255f - file.mean()[channel]) / file.std()[channel];
        }

        Tensor logits = model.forward(Tensor.of(x, 1, c, h, w), false);   // [1, classes]; false: inference
        float[] scores = logits.data();
        int predicted = 0;
        for (int k = 1; k < scores.length; k++) if (scores[k] > scores[predicted]) predicted = k;
        System.out.println("test image " + index + ": predicted " + file.classNames().get(predicted)
                + ", true " + file.classNames().get(test.labels()[index]));

        // Every layer's output stays readable by name after a forward pass.
        String first = model.layers().getFirst().name();
        System.out.println(first + " output shape " + Arrays.toString(model.activation(first).shape()));
    }
}
