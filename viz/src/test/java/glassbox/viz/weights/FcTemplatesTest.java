package glassbox.viz.weights;

import glassbox.layers.Flatten;
import glassbox.layers.Linear;
import glassbox.loss.SoftmaxCrossEntropy;
import glassbox.model.Model;
import glassbox.tensor.Param;
import glassbox.tensor.Tensor;
import glassbox.viz.render.Colormap;
import glassbox.viz.render.Raster;
import glassbox.viz.render.Scaling;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class FcTemplatesTest {
    static final int CLASSES = 3, C = 3, H = 6, W = 6, D = C * H * W;

    /** Pearson correlation of two vectors. */
    static double corr(float[] a, int aOff, double[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < b.length; i++) {
            ma += a[aOff + i];
            mb += b[i];
        }
        ma /= b.length;
        mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < b.length; i++) {
            double x = a[aOff + i] - ma, y = b[i] - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /**
     * A linear classifier trained with softmax cross-entropy on "class prototype + noise" images learns
     * templates that correlate with the class means (minus the mean of all classes, which no class can
     * use to tell itself apart).
     */
    @Test
    void templatesOfATrainedLinearClassifierCorrelateWithClassMeans() {
        Random r = new Random(42);
        float[][] proto = new float[CLASSES][D];
        for (float[] p : proto) for (int i = 0; i < D; i++) p[i] = (float) r.nextGaussian();
        int n = 300;
        float[] x = new float[n * D];
        int[] y = new int[n];
        double[][] mean = new double[CLASSES][D];
        int[] count = new int[CLASSES];
        for (int s = 0; s < n; s++) {
            y[s] = s % CLASSES;
            count[y[s]]++;
            for (int i = 0; i < D; i++) {
                x[s * D + i] = proto[y[s]][i] + 2f * (float) r.nextGaussian();
                mean[y[s]][i] += x[s * D + i];
            }
        }
        double[] grand = new double[D];
        for (int k = 0; k < CLASSES; k++) for (int i = 0; i < D; i++) {
            mean[k][i] /= count[k];
            grand[i] += mean[k][i] / CLASSES;
        }
        Linear fc = new Linear("fc", D, CLASSES);
        Model m = new Model("linear", new int[]{C, H, W}, List.of(new Flatten("flat"), fc));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Tensor xs = Tensor.of(x, n, C, H, W);
        for (int step = 0; step < 200; step++) {
            m.zeroGrad();
            loss.forward(m.forward(xs, true), y);
            m.backward(loss.backward());
            for (Param p : m.params()) {
                float[] v = p.value().data(), g = p.grad().data();
                for (int i = 0; i < v.length; i++) v[i] -= 0.05f * (g[i] + 1e-3f * v[i]);
            }
        }
        FcTemplates t = FcTemplates.firstLayer(m, List.of("a", "b", "c"));
        assertEquals("fc", t.layer());
        assertEquals("b", t.templates().get(1).label());
        for (int k = 0; k < CLASSES; k++) {
            double[] centred = new double[D];
            for (int i = 0; i < D; i++) centred[i] = mean[k][i] - grand[i];
            double c = corr(t.templates().get(k).weights(), 0, centred);
            assertTrue(c > 0.9, "template " + k + " correlates " + c + " with its class mean");
            double other = corr(t.templates().get(k).weights(), 0, centredOf(mean[(k + 1) % CLASSES], grand));
            assertTrue(other < 0.2, "template " + k + " should not match another class: " + other);
        }
        Raster sheet = TemplateSheets.render(t, Scaling.GLOBAL, 0, CLASSES);
        assertTrue(sheet.width() > 3 * 6);
        assertTrue(TemplateSheets.render(t, Scaling.PER_TILE, 0, CLASSES).height() > 0);
    }

    private static double[] centredOf(double[] mean, double[] grand) {
        double[] c = new double[mean.length];
        for (int i = 0; i < c.length; i++) c[i] = mean[i] - grand[i];
        return c;
    }

    @Test
    void convolutionalFirstLayerIsRefusedWithAHint() {
        Model m = new Model("cnn", new int[]{1, 8, 8}, List.of(new glassbox.layers.Conv2d("conv1", 1, 2, 3, 1, 1, true)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FcTemplates.firstLayer(m, null));
        assertTrue(e.getMessage().contains("viz kernels"), e.getMessage());
    }

    @Test
    void perTileScalingStretchesEveryTemplateAroundZero() {
        Linear fc = new Linear("fc", 4, 2);
        float[] w = fc.weight().value().data();
        for (int i = 0; i < 4; i++) {
            w[i] = i - 1.5f;              // template 0: -1.5..1.5
            w[4 + i] = (i - 1.5f) / 100f; // template 1: -0.015..0.015, nearly flat under global scaling
        }
        FcTemplates t = FcTemplates.of(fc, 1, 2, 2, null);
        Raster global = TemplateSheets.tile(t, 1, Scaling.GLOBAL, 0, 2), per = TemplateSheets.tile(t, 1, Scaling.PER_TILE, 0, 2);
        assertEquals(Colormap.DIVERGING.rgb(0), per.get(0, 0));   // its most negative weight is the bottom of the map
        assertEquals(Colormap.DIVERGING.rgb(1), per.get(1, 1));   // its largest weight is the top, on its own range
        assertEquals(Colormap.DIVERGING.rgb(0.505), global.get(1, 1)); // ... but nearly white (0) next to template 0
        assertEquals(Colormap.DIVERGING.rgb(1), TemplateSheets.tile(t, 0, Scaling.GLOBAL, 0, 2).get(1, 1));
        assertEquals(0.015f, t.templates().get(1).maxAbs(), 1e-7f);
    }

    @Test
    void anAllZeroTemplateIsZeroNotMidRange() {
        Linear fc = new Linear("fc", 4, 2);
        java.util.Arrays.fill(fc.weight().value().data(), 0f);
        fc.weight().value().data()[0] = 1f;
        FcTemplates t = FcTemplates.of(fc, 1, 2, 2, null);
        assertEquals(0f, t.templates().get(1).maxAbs());
        Raster per = TemplateSheets.tile(t, 1, Scaling.PER_TILE, 0, 2);
        assertEquals(Colormap.DIVERGING.rgb(0.5), per.get(0, 0)); // white: the colour of 0
    }
}
