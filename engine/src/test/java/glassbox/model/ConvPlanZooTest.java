package glassbox.model;

import glassbox.kernels.ConvPlan;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins the algorithm of every convolution pass of every zoo network at batch 64, in training and in eval
 * (ConvPlan's routes: forward / input gradient / weight gradient, images per GEMM, kept im2col). A change to the
 * plan's rules shows up here as a diff of named layers, to be measured and then written down.
 */
class ConvPlanZooTest {
    private static final Map<String, int[]> INPUT = Map.of("linear", new int[]{1, 28, 28}, "mlp", new int[]{1, 28, 28},
            "lenet5", new int[]{1, 28, 28}, "smallvgg", new int[]{3, 32, 32}, "resnet20", new int[]{3, 32, 32});

    /** One line per convolution: name, the three routes, "gN" when N images share a GEMM, "kept" when im2col is kept. */
    private static String routes(String arch, boolean training) {
        Model m = Zoo.build(arch, Zoo.options(INPUT.get(arch), 10), 1);
        return m.summary(64, training).stream().filter(l -> l.plan() != null).map(l -> {
            ConvPlan p = l.plan();
            return l.name() + " " + p.forward() + " " + p.inputGradient() + " " + p.weightGradient()
                    + (p.transposedWeightGradient() ? "ᵀ" : "") + (p.group() > 1 ? " g" + p.group() : "") + (p.keepCols() ? " kept" : "");
        }).collect(Collectors.joining("\n"));
    }

    @Test
    void everyZooLayerTakesItsMeasuredRoute() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("linear train", ""), Map.entry("linear eval", ""), // no convolutions
                Map.entry("mlp train", ""), Map.entry("mlp eval", ""),
                Map.entry("lenet5 train", """
                        conv1 IM2COL COL2IM KEPT_COLS kept
                        conv2 WIDE_ROWS_GROUPED WIDE_ROWS KEPT_COLS g4 kept"""),
                Map.entry("lenet5 eval", """
                        conv1 IM2COL COL2IM IM2COL
                        conv2 WIDE_ROWS WIDE_ROWS WIDE_ROWS g4"""),
                Map.entry("smallvgg train", """
                        conv1 IM2COL COL2IM KEPT_COLSᵀ kept
                        conv2 WINOGRAD WINOGRAD WINOGRAD
                        conv3 WINOGRAD WINOGRAD WINOGRAD
                        conv4 WINOGRAD WINOGRAD WINOGRAD"""),
                Map.entry("smallvgg eval", """
                        conv1 IM2COL COL2IM IMPLICIT_IM2COLᵀ
                        conv2 WINOGRAD WINOGRAD WINOGRAD
                        conv3 WINOGRAD WINOGRAD WINOGRAD
                        conv4 WINOGRAD WINOGRAD WINOGRAD"""),
                Map.entry("resnet20 train", """
                        conv1 IM2COL COL2IM KEPT_COLS kept
                        block1_1.conv1 WINOGRAD WINOGRAD IM2COL
                        block1_1.conv2 WINOGRAD WINOGRAD IM2COL
                        block1_2.conv1 WINOGRAD WINOGRAD IM2COL
                        block1_2.conv2 WINOGRAD WINOGRAD IM2COL
                        block1_3.conv1 WINOGRAD WINOGRAD IM2COL
                        block1_3.conv2 WINOGRAD WINOGRAD IM2COL
                        block2_1.conv1 IM2COL COL2IM KEPT_COLSᵀ kept
                        block2_1.conv2 WINOGRAD WINOGRAD WINOGRAD
                        block2_1.proj IM2COL COL2IM IM2COLᵀ
                        block2_2.conv1 WINOGRAD WINOGRAD WINOGRAD
                        block2_2.conv2 WINOGRAD WINOGRAD WINOGRAD
                        block2_3.conv1 WINOGRAD WINOGRAD WINOGRAD
                        block2_3.conv2 WINOGRAD WINOGRAD WINOGRAD
                        block3_1.conv1 IM2COL_GROUPED COL2IM_GROUPED KEPT_COLSᵀ g8 kept
                        block3_1.conv2 WINOGRAD WINOGRAD WINOGRAD
                        block3_1.proj IM2COL_GROUPED COL2IM_GROUPED IM2COLᵀ g8
                        block3_2.conv1 WINOGRAD WINOGRAD WINOGRAD
                        block3_2.conv2 WINOGRAD WINOGRAD WINOGRAD
                        block3_3.conv1 WINOGRAD WINOGRAD WINOGRAD
                        block3_3.conv2 WINOGRAD WINOGRAD WINOGRAD"""),
                Map.entry("resnet20 eval", """
                        conv1 IM2COL COL2IM IM2COL
                        block1_1.conv1 WINOGRAD WINOGRAD IM2COL
                        block1_1.conv2 WINOGRAD WINOGRAD IM2COL
                        block1_2.conv1 WINOGRAD WINOGRAD IM2COL
                        block1_2.conv2 WINOGRAD WINOGRAD IM2COL
                        block1_3.conv1 WINOGRAD WINOGRAD IM2COL
                        block1_3.conv2 WINOGRAD WINOGRAD IM2COL
                        block2_1.conv1 IM2COL COL2IM IM2COLᵀ
                        block2_1.conv2 WINOGRAD WINOGRAD WINOGRAD
                        block2_1.proj IM2COL COL2IM IM2COLᵀ
                        block2_2.conv1 WINOGRAD WINOGRAD WINOGRAD
                        block2_2.conv2 WINOGRAD WINOGRAD WINOGRAD
                        block2_3.conv1 WINOGRAD WINOGRAD WINOGRAD
                        block2_3.conv2 WINOGRAD WINOGRAD WINOGRAD
                        block3_1.conv1 IM2COL COL2IM_GROUPED IM2COLᵀ g8
                        block3_1.conv2 WINOGRAD WINOGRAD WINOGRAD
                        block3_1.proj IM2COL_GROUPED COL2IM_GROUPED IM2COLᵀ g8
                        block3_2.conv1 WINOGRAD WINOGRAD WINOGRAD
                        block3_2.conv2 WINOGRAD WINOGRAD WINOGRAD
                        block3_3.conv1 WINOGRAD WINOGRAD WINOGRAD
                        block3_3.conv2 WINOGRAD WINOGRAD WINOGRAD"""));
        StringBuilder got = new StringBuilder();
        for (String arch : Zoo.NAMES)
            for (boolean training : new boolean[]{true, false}) {
                String key = arch + (training ? " train" : " eval");
                got.append(key).append(":\n").append(routes(arch, training)).append("\n");
            }
        StringBuilder want = new StringBuilder();
        for (String arch : Zoo.NAMES)
            for (String mode : new String[]{" train", " eval"}) want.append(arch + mode).append(":\n").append(expected.get(arch + mode)).append("\n");
        assertEquals(want.toString(), got.toString());
    }
}
