package tutorial;

import glassbox.check.GradCheck;
import glassbox.data.Dataset;
import glassbox.data.EmbeddedSample;
import glassbox.data.Split;
import glassbox.model.Init;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.model.Net;
import glassbox.shell.Shell;
import glassbox.tensor.Tensor;
import glassbox.train.Evaluation;
import glassbox.train.ImageData;
import glassbox.train.Normalization;
import glassbox.train.TrainConfig;
import glassbox.train.TrainListener;
import glassbox.train.Trainer;
import glassbox.viz.activations.ActivationStats;
import glassbox.viz.activations.ActivationStatsSheet;
import glassbox.viz.render.Png;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The code of docs/tutorial-custom-layer.md, step by step: every snippet in the tutorial is cut from this
 * file or from {@link Swish} and {@link DepthwiseConv2d}, so the tutorial compiles and runs with the engine.
 */
class TutorialTest {
    @TempDir
    Path dir;

    /** A test input away from zero by more than the checker's step (no kinks here, but a habit worth having). */
    static Tensor input(long seed, int... shape) {
        Random r = new Random(seed);
        float[] x = new float[Tensor.sizeOf(shape)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 1.5);
        return Tensor.of(x, shape);
    }

    @Test
    void step1_swishPassesTheGradientCheck() {
        // tutorial: check-swish
        GradCheck.check(new Swish("swish"), input(1, 2, 3, 5, 5), true, 42);
        // end
    }

    /** Swish with a classic slip: the product rule's second term forgotten, so dy/dx = σ(x). */
    static final class SwishForgotATerm extends glassbox.layers.Layer {
        SwishForgotATerm(String name) {
            super(name);
        }

        @Override
        public int[] outputShape(int[] s) {
            return s.clone();
        }

        @Override
        protected Tensor forwardImpl(Tensor x, boolean training) {
            Tensor out = newOutput(x.shape());
            for (int i = 0; i < x.size(); i++) out.data()[i] = x.data()[i] * Swish.sigmoid(x.data()[i]);
            return out;
        }

        @Override
        protected Tensor backwardImpl(Tensor dy) {
            Tensor grad = newInputGrad(dy.shape());
            for (int i = 0; i < dy.size(); i++) grad.data()[i] = dy.data()[i] * Swish.sigmoid(input().data()[i]); // + x·σ'(x) forgotten
            return grad;
        }
    }

    @Test
    void step1_aWrongBackwardFailsAndSaysWhere() {
        // tutorial: check-fails
        try {
            GradCheck.check(new SwishForgotATerm("swish"), input(1, 2, 3, 5, 5), true, 42);
        } catch (GradCheck.GradientMismatch e) {
            System.out.println(e.getMessage());
        }
        // end
        GradCheck.GradientMismatch e = assertThrows(GradCheck.GradientMismatch.class,
                () -> GradCheck.check(new SwishForgotATerm("swish"), input(1, 2, 3, 5, 5), true, 42));
        assertEquals("swish input", e.tensor());
        assertTrue(e.getMessage().contains("of the input [2, 3, 5, 5]"), e.getMessage());
    }

    @Test
    void step2_depthwisePassesTheGradientCheck() {
        // tutorial: check-depthwise
        DepthwiseConv2d dw = new DepthwiseConv2d("dw", 3, 3, 1);
        Init.he(dw.weight(), 7);
        GradCheck.check(dw, input(2, 2, 3, 6, 6), true, 42);
        // end
    }

    /** The network of step 3: a 3×3 convolution, Swish, then a depthwise separable convolution (depthwise + 1×1). */
    static Model swishNet(long seed) {
        // tutorial: build
        DepthwiseConv2d dw = new DepthwiseConv2d("dw1", 8, 3, 1);
        Model m = Net.builder("swishnet", 1, 28, 28)
                .conv(8, 3, 1, 1).layer(new Swish("swish1")).maxPool(2)       // [N, 8, 14, 14]
                .layer(dw).conv(16, 1).layer(new Swish("swish2")).maxPool(2)  // [N, 16, 7, 7]
                .flatten().linear(10)
                .build(seed);
        Init.he(dw.weight(), seed); // the builder initializes the layers it made; ours is ours to initialize
        // end
        return m;
    }

    @Test
    void aNetworkOfEngineLayersRebuildsFromItsFileAlone() throws Exception {
        Dataset train = EmbeddedSample.load(Split.TRAIN), test = EmbeddedSample.load(Split.TEST);
        ImageData testData = test.head(100).asImageData();
        Normalization norm = Normalization.of(train.asImageData());
        // tutorial: builder-only
        Model net = Net.builder("tinyres", 1, 28, 28)
                .conv(8, 3, 1, 1, false).batchNorm().relu().maxPool(2)                  // [N, 8, 14, 14]
                .residual(b -> b.conv(8, 3, 1, 1, false).batchNorm().relu().conv(8, 3, 1, 1, false).batchNorm())
                .relu().globalAvgPool().flatten().linear(10)                             // [N, 10]
                .build(1);
        Trainer t = new Trainer(net, Map.of(), train.head(128).asImageData(), testData, norm, // a few steps: the point is the file
                TrainConfig.defaults(1, 32, 0.05, 1)).meta("dataset", "sample");
        t.fit(TrainListener.NONE);
        Path file = dir.resolve("tinyres.gbx");
        ModelIO.save(t.snapshot(Map.of()), file);
        Model back = ModelIO.load(file).toModel(); // no code of ours needed: the file lists the layers
        // end
        Tensor x = Tensor.zeros(1, 1, 28, 28);
        assertArrayEquals(net.forward(x, false).data(), back.forward(x, false).data(), 0f);
        assertEquals(net.toString(), back.toString());
        // and every command that takes --model FILE reads it, e.g. ./glassbox eval --model tinyres.gbx
        assertEquals(0, glassbox.cli.Main.run("eval", "--model", file.toString()));
    }

    @Test
    void step3_to_5_trainSaveLoadAndLook() throws Exception {
        // tutorial: train
        Dataset train = EmbeddedSample.load(Split.TRAIN), test = EmbeddedSample.load(Split.TEST);
        ImageData trainData = train.asImageData(), testData = test.asImageData();
        Normalization norm = Normalization.of(trainData);
        Model m = swishNet(1);
        TrainConfig cfg = TrainConfig.defaults(1, 16, 0.003, 1).withOptimizer("adam", 0, 0); // one epoch, batches of 16, Adam
        Trainer trainer = new Trainer(m, Map.of(), trainData, testData, norm, cfg).meta("dataset", "sample");
        Evaluation eval = trainer.fit(TrainListener.NONE);
        System.out.printf("swishnet: test accuracy %.1f%%%n", 100 * eval.accuracy());
        // end
        assertTrue(eval.accuracy() > 0.5, "1 epoch on 2,000 digits: well above chance (10%), got " + eval.accuracy());

        // tutorial: save
        Path file = dir.resolve("swishnet.gbx");
        ModelIO.save(trainer.snapshot(Map.of()), file);
        ModelFile f = ModelIO.load(file);
        System.out.println(f.architecture()); // swish1 is recorded as tutorial.Swish
        try {
            f.toModel();
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage()); // layer 'swish1' is of kind 'tutorial.Swish', which this Glassbox does not know ...
        }
        Model again = swishNet(0); // the same network, built by our code ...
        f.loadInto(again);         // ... gets the trained weights
        // end
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, f::toModel);
        assertTrue(refused.getMessage().contains("layer 'swish1' is of kind 'tutorial.Swish'"), refused.getMessage());
        Tensor x = Tensor.zeros(1, 1, 28, 28);
        assertArrayEquals(m.forward(x, false).data(), again.forward(x, false).data(), 0f);

        // tutorial: look
        Tensor digits = glassbox.viz.activations.Inputs.batch(test, new int[]{0, 1, 2, 3, 4, 5, 6, 7},
                glassbox.viz.activations.Inputs.normalized(norm));
        again.forward(digits, false);
        List<ActivationStats.LayerStats> stats = ActivationStats.of(again);
        for (ActivationStats.LayerStats s : stats) {
            System.out.printf("%-8s %-16s mean %7.3f  std %6.3f  zeros %5.1f%%%n", s.layer(), s.type(), s.mean(), s.std(), 100 * s.zeroFraction());
        }
        Png.write(ActivationStatsSheet.render(stats, 8), dir.resolve("stats.png"));
        Shell.png(again.activation("swish1").sample(0), dir.resolve("swish1.png").toString());
        Shell.png(again.param("dw1.weight").value(), dir.resolve("dw1-kernels.png").toString());
        // end
        assertEquals("Swish", stats.stream().filter(s -> s.layer().equals("swish1")).findFirst().orElseThrow().type());
        float min = 0;
        for (float v : again.activation("swish1").data()) min = Math.min(min, v);
        assertTrue(min < 0 && min >= -0.2785f, "swish lets small negative values through (down to -0.2785 at x = -1.278), got " + min);
        for (String png : List.of("stats.png", "swish1.png", "dw1-kernels.png")) assertTrue(Files.size(dir.resolve(png)) > 500, png);
        if (System.getenv("GLASSBOX_TUTORIAL_OUT") != null) { // to look at the pictures: copy them out
            Path out = Files.createDirectories(Path.of(System.getenv("GLASSBOX_TUTORIAL_OUT")));
            for (String png : List.of("stats.png", "swish1.png", "dw1-kernels.png")) {
                Files.copy(dir.resolve(png), out.resolve(png), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
