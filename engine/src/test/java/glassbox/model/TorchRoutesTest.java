package glassbox.model;

import glassbox.kernels.ConvPlan;
import glassbox.kernels.FastPath;
import glassbox.kernels.Parallel;
import glassbox.layers.Conv2d;
import glassbox.layers.Flatten;
import glassbox.layers.GlobalAvgPool;
import glassbox.layers.Layer;
import glassbox.layers.Linear;
import glassbox.layers.MaxPool2d;
import glassbox.layers.ReLU;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every route of {@link ConvPlan} held to PyTorch, at the zoo's real widths (32 and 64 channels), in training
 * mode, on one and two threads: the {@code routes_wide} and {@code routes_narrow} fixtures of
 * {@code make_torch_fixtures.py} run with each layer's kept-im2col threshold at its default (small layers keep
 * their im2col matrices) and at 0 (none kept: the implicit and wide-row weight gradients), and once on the scalar
 * twins. The same comparison and tolerance as {@link TorchAgreementTest}; and the test fails if a route of the
 * plan was reached by none of these runs, so a new route must come with a fixture that reaches it.
 */
class TorchRoutesTest {
    private static List<Layer> wide() {
        return List.of(
                new Conv2d("conv1", 3, 32, 3, 1, 1, true), new ReLU("relu1"),
                new Conv2d("conv2", 32, 32, 3, 1, 1, true), new ReLU("relu2"),
                new Conv2d("conv3", 32, 32, 1, 1, 0, true), new ReLU("relu3"),
                new Conv2d("conv4", 32, 64, 3, 2, 1, true), new ReLU("relu4"),
                new Conv2d("conv5", 64, 64, 3, 1, 1, true), new ReLU("relu5"),
                new GlobalAvgPool("gap"), new Linear("fc", 64, 10));
    }

    private static List<Layer> narrow() {
        return List.of(
                new Conv2d("conv1", 8, 16, 5, 1, 2, true), new ReLU("relu1"), new MaxPool2d("pool1", 2, 2),
                new Conv2d("conv2", 16, 16, 5, 1, 0, true), new ReLU("relu2"),
                new Conv2d("conv3", 16, 16, 3, 1, 1, true), new ReLU("relu3"),
                new Conv2d("conv4", 16, 16, 3, 2, 1, true), new ReLU("relu4"),
                new Flatten("flatten"), new Linear("fc", 144, 10));
    }

    @Test
    void everyRouteAgreesWithPyTorchAndNoneIsLeftOut() {
        Set<Object> reached = new HashSet<>();
        int before = Parallel.threads();
        try {
            for (int threads : new int[]{1, 2})
                for (long keep : new long[]{Conv2d.KEEP_COLS_BYTES, 0}) {
                    Parallel.setThreads(threads);
                    run("routes_wide", new int[]{3, 16, 16}, TorchRoutesTest::wide, keep, threads, reached);
                    run("routes_narrow", new int[]{8, 20, 20}, TorchRoutesTest::narrow, keep, threads, reached);
                }
            FastPath.set(false); // the definitions, at the same widths
            run("routes_narrow", new int[]{8, 20, 20}, TorchRoutesTest::narrow, Conv2d.KEEP_COLS_BYTES, 1, reached);
        } finally {
            FastPath.set(true);
            Parallel.setThreads(before);
        }
        Set<Object> missed = new HashSet<>(List.of("transposed dW", "untransposed dW"));
        missed.addAll(EnumSet.allOf(ConvPlan.Forward.class));
        missed.addAll(EnumSet.allOf(ConvPlan.InputGradient.class));
        missed.addAll(EnumSet.allOf(ConvPlan.WeightGradient.class));
        missed.removeAll(reached);
        assertEquals(Set.of(), missed, "routes of ConvPlan that no PyTorch fixture reaches: add a layer that takes them");
    }

    private static void run(String net, int[] input, Supplier<List<Layer>> layers, long keep, int threads, Set<Object> reached) {
        List<Layer> ls = layers.get();
        TorchAgreementTest.Comparison c = TorchAgreementTest.compare(net, input, ls, model -> {
            for (Layer l : model.allLayers()) if (l instanceof Conv2d conv) conv.setKeepColsBytes(keep);
        });
        StringBuilder routes = new StringBuilder();
        for (Layer l : ls) {
            if (!(l instanceof Conv2d conv)) continue;
            ConvPlan p = conv.plan(conv.input().shape(), true); // the training plan (the eval forward ran last)
            reached.add(p.forward());
            reached.add(p.inputGradient());
            reached.add(p.weightGradient());
            reached.add(p.transposedWeightGradient() ? "transposed dW" : "untransposed dW");
            routes.append(String.format("%n    %s: %s", l.name(), p.describe()));
        }
        System.out.println(c.summary() + ", " + threads + " thread(s), keep " + keep + " bytes" + (FastPath.on() ? "" : ", scalar") + routes);
        if (!c.failures.isEmpty()) {
            fail(net + " (" + threads + " thread(s), keep " + keep + ", fast " + FastPath.on() + ") disagrees with PyTorch (tolerance "
                    + TorchAgreementTest.TOLERANCE + "):\n  " + String.join("\n  ", c.failures) + routes);
        }
    }
}
