package glassbox.viz.gradients;

import glassbox.layers.AvgPool2d;
import glassbox.layers.Conv2d;
import glassbox.layers.Flatten;
import glassbox.layers.Layer;
import glassbox.layers.Linear;
import glassbox.layers.MaxPool2d;
import glassbox.layers.ReLU;
import glassbox.layers.Tanh;
import glassbox.model.Model;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import glassbox.train.Normalization;
import glassbox.viz.testing.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gradient maps are what their definitions say, checked against finite differences and their axioms. */
class GradientMapsTest {
    static final List<String> NAMES = List.of();

    static Model smallNet(boolean bias, boolean smooth) {
        Model m = new Model("small", new int[]{2, 8, 8}, List.of(
                new Conv2d("conv1", 2, 4, 3, 1, 1, bias), smooth ? new Tanh("act1") : new ReLU("act1"),
                smooth ? new AvgPool2d("pool1", 2, 2) : new MaxPool2d("pool1", 2, 2),
                new Conv2d("conv2", 4, 6, 3, 1, 1, bias), smooth ? new Tanh("act2") : new ReLU("act2"),
                new Flatten("flat"), new Linear("fc", 6 * 4 * 4, 3)));
        TinyModels.randomize(m, 5, 0.4f);
        if (!bias) for (Param p : m.params()) if (p.name().endsWith("bias")) p.value().fill(0f);
        return m;
    }

    static Tensor image(long seed, int c, int h, int w) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[c * h * w];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return Tensor.of(x, 1, c, h, w);
    }

    /** max |a - b| / max |b|, the measure of TorchAgreementTest. */
    static double relErr(float[] a, float[] b) {
        double d = 0, s = 1e-6;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
            s = Math.max(s, Math.abs(b[i]));
        }
        return d / s;
    }

    @Test
    void saliencyIsTheCentralFiniteDifferenceGradient() {
        Model m = smallNet(true, false);
        Tensor x = image(1, 2, 8, 8);
        Target t = new Target.ClassScore(1);
        Attribution g = Saliency.signedGradient(m, x, t, NAMES);
        float[] fd = new float[x.size()];
        double eps = 1e-2;
        for (int i = 0; i < x.size(); i++) {
            Tensor p = x.copy(), q = x.copy();
            p.data()[i] += (float) eps;
            q.data()[i] -= (float) eps;
            fd[i] = (float) ((t.scores(m, m.forward(p, false))[0] - t.scores(m, m.forward(q, false))[0]) / (2 * eps));
        }
        assertTrue(relErr(g.raw(), fd) < 1e-2, "gradient vs finite differences: " + relErr(g.raw(), fd));
        Attribution s = Saliency.saliency(m, x, t, NAMES);
        for (int i = 0; i < 64; i++) assertEquals(Math.max(Math.abs(g.raw()[i]), Math.abs(g.raw()[64 + i])), s.map()[i], 0f);
        assertTrue(m.computesParamGradients(), "the model's switches are restored");
    }

    @Test
    void saliencyOfAChannelIsTheGradientOfItsSum() {
        Model m = smallNet(true, true); // tanh: no kinks for the finite differences to straddle
        Tensor x = image(2, 2, 8, 8);
        Target t = new Target.Channel("act2", 2);
        Attribution g = Saliency.signedGradient(m, x, t, NAMES);
        float[] fd = new float[x.size()];
        double eps = 1e-2;
        for (int i = 0; i < x.size(); i++) {
            Tensor p = x.copy(), q = x.copy();
            p.data()[i] += (float) eps;
            q.data()[i] -= (float) eps;
            m.forward(p, false);
            double sp = t.scores(m, null)[0];
            m.forward(q, false);
            fd[i] = (float) ((sp - t.scores(m, null)[0]) / (2 * eps));
        }
        assertTrue(relErr(g.raw(), fd) < 1e-2, "channel gradient vs finite differences: " + relErr(g.raw(), fd));
    }

    @Test
    void gradientTimesInputIsCompleteForABiasFreeReluNet() {
        Model m = smallNet(false, false);
        Tensor x = image(3, 2, 8, 8);
        Attribution a = GradientTimesInput.compute(m, x, new Target.ClassScore(0), NAMES);
        assertEquals(a.score(), a.rawSum(), 1e-4 * Math.max(1, Math.abs(a.score())), "sum of gradient x input = score (Euler)");
        double mapSum = 0;
        for (float v : a.map()) mapSum += v;
        assertEquals(a.rawSum(), mapSum, 1e-4 * Math.max(1, Math.abs(mapSum)));
    }

    @Test
    void integratedGradientsGapShrinksWithSteps() {
        Model m = smallNet(true, true); // smooth (tanh): the trapezoid error falls like 1/steps²
        Tensor x = image(4, 2, 8, 8);
        Target t = new Target.ClassScore(2);
        Normalization norm = new Normalization(new float[]{0.5f, 0.4f}, new float[]{0.25f, 0.3f});
        double last = Double.POSITIVE_INFINITY;
        for (int steps : new int[]{2, 8, 32}) {
            IntegratedGradients.Result r = IntegratedGradients.compute(m, x, t, IntegratedGradients.Baseline.BLACK, norm, steps,
                    IntegratedGradients.Rule.TRAPEZOID, NAMES);
            assertTrue(r.gap() < last, steps + " steps: gap " + r.gap() + " not below " + last);
            last = r.gap();
            if (steps == 32) {
                assertTrue(r.relativeGap() < 1e-3, "32 steps: relative gap " + r.relativeGap());
                assertNull(r.warning());
            }
        }
        // Riemann sums converge too, more slowly; a 1-step left sum is far off and says so.
        IntegratedGradients.Result crude = IntegratedGradients.compute(m, x, t, IntegratedGradients.Baseline.MEAN, norm, 1,
                IntegratedGradients.Rule.RIEMANN_LEFT, NAMES);
        assertTrue(crude.relativeGap() > IntegratedGradients.LARGE_GAP && crude.warning() != null, crude.toString());
    }

    @Test
    void integratedGradientsOfABiasFreeReluNetFromZeroIsGradientTimesInput() {
        // f is positively homogeneous along the ray from 0, so the gradient is constant on it.
        Model m = smallNet(false, false);
        Tensor x = image(5, 2, 8, 8);
        IntegratedGradients.Result ig = IntegratedGradients.compute(m, x, new Target.ClassScore(1), Tensor.zeros(1, 2, 8, 8), 4,
                IntegratedGradients.Rule.RIEMANN_MIDDLE, NAMES);
        Attribution gx = GradientTimesInput.compute(m, x, new Target.ClassScore(1), NAMES);
        assertTrue(relErr(ig.attribution().raw(), gx.raw()) < 1e-5);
        assertTrue(ig.relativeGap() < 1e-4);
    }

    @Test
    void guidedBackpropAndDeconvnetPassOnlyNonNegativeGradientsThroughReLUs() {
        Model m = TinyModels.randomize(TinyModels.smallVgg(), 7, 0.3f);
        Tensor x = image(6, 3, 32, 32);
        for (var rule : new glassbox.layers.ReLU.Rule[]{glassbox.layers.ReLU.Rule.GUIDED, glassbox.layers.ReLU.Rule.DECONVNET}) {
            Backprop.run(m, x, new Target.ClassScore(4), rule);
            int checked = 0;
            for (Layer l : m.allLayers()) {
                if (l instanceof ReLU && l.inputGrad() != null) {
                    for (float v : l.inputGrad().data()) assertTrue(v >= 0, rule + ": " + l.name() + " passed " + v);
                    checked++;
                }
            }
            assertEquals(6, checked);
        }
        for (Layer l : m.allLayers()) if (l instanceof ReLU r) assertEquals(glassbox.layers.ReLU.Rule.STANDARD, r.rule());
        Attribution gb = GuidedBackprop.guided(m, x, new Target.ClassScore(4), NAMES);
        Attribution plain = Saliency.signedGradient(m, x, new Target.ClassScore(4), NAMES);
        assertFalse(java.util.Arrays.equals(gb.raw(), plain.raw()));
    }

    @Test
    void smoothGradWithoutNoiseIsTheGradientAndIsSeeded() {
        Model m = smallNet(true, false);
        Tensor x = image(7, 2, 8, 8);
        Target t = new Target.ClassScore(0);
        SmoothGrad.Result zero = SmoothGrad.compute(m, x, t, 3, 0, 1, NAMES);
        assertArrayEquals(Saliency.signedGradient(m, x, t, NAMES).raw(), zero.attribution().raw(), 1e-6f);
        SmoothGrad.Result a = SmoothGrad.compute(m, x, t, 70, 0.15, 9, NAMES), b = SmoothGrad.compute(m, x, t, 70, 0.15, 9, NAMES);
        assertArrayEquals(a.attribution().raw(), b.attribution().raw(), "same seed, same map (70 copies: two batches)");
        assertFalse(java.util.Arrays.equals(a.attribution().raw(), zero.attribution().raw()));
    }

    @Test
    void bilinearUpsamplingAlignsPixelCentres() {
        // align_corners=False: 2 -> 4 gives 0, 0.25, 0.75, 1 (corners are not pinned to the source positions).
        assertArrayEquals(new float[]{0, 0.25f, 0.75f, 1}, Maps.bilinear(new float[]{0, 1}, 1, 2, 1, 4), 1e-6f);
        float[] up = Maps.bilinear(new float[]{1, 2, 3, 4}, 2, 2, 4, 4);
        assertEquals(1f, up[0], 1e-6f);
        assertEquals(1.25f, up[1], 1e-6f);
        assertEquals(4f, up[15], 1e-6f);
        assertArrayEquals(new float[]{5, 5, 5}, Maps.bilinear(new float[]{5}, 1, 1, 1, 3), 0f);
    }
}
