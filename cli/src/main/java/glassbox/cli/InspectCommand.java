package glassbox.cli;

import glassbox.model.Model;
import glassbox.model.ModelIO;
import glassbox.model.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox inspect --model FILE|NAME}: each layer's name, output shape, parameter count and, for each
 * convolution, the algorithm that each pass runs (the {@link glassbox.kernels.ConvPlan}), in training and in eval.
 * Reads a model file, or builds a zoo architecture by name (1x28x28 input for linear, mlp and lenet5, 3x32x32 for
 * smallvgg and resnet20). Leaves out timing (see {@code ./glassbox bench}).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show each layer's output shape, parameters and the algorithm each convolution pass runs.")
public final class InspectCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE|NAME",
            description = "A model file, or a zoo architecture: linear, mlp, lenet5, smallvgg, resnet20.")
    String model;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size the plan is made for (1..65536). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Mixin
    ThreadsMixin threads;

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || batch > 65536) throw new IllegalArgumentException("--batch must be in 1..65536, got " + batch);
        threads.apply();
        Model m = load(model);
        System.out.println(m.describe(batch, true));
        System.out.println();
        System.out.println(m.describe(batch, false));
        System.out.println();
        System.out.println("Routes: docs/convolution-plan.md (or the Javadoc of glassbox.kernels.ConvPlan).");
        return 0;
    }

    /** A model file if the path exists, else a zoo architecture of that name. */
    static Model load(String model) throws Exception {
        Path p = Path.of(model);
        if (Files.isRegularFile(p)) return ModelIO.load(p).toModel();
        if (!Zoo.NAMES.contains(model)) {
            throw new IllegalArgumentException("--model '" + model + "' is neither a file nor a zoo architecture ("
                    + String.join(", ", Zoo.NAMES) + ")");
        }
        int[] input = model.equals("smallvgg") || model.equals("resnet20") ? new int[]{3, 32, 32} : new int[]{1, 28, 28};
        return Zoo.build(model, Zoo.options(input, 10), 1);
    }
}
