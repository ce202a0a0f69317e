package glassbox.viz.bias;

import glassbox.data.Dataset;
import glassbox.data.EmbeddedSample;
import glassbox.data.Split;
import glassbox.model.Model;
import glassbox.model.Zoo;
import glassbox.train.Evaluation;
import glassbox.train.Normalization;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The confusion matrix sums to the split and agrees with the engine's own evaluation. */
class ConfusionTest {
    @Test
    void sumsToTheSplitAndMatchesEval() throws Exception {
        Dataset test = EmbeddedSample.load(Split.TEST);
        Model m = glassbox.viz.testing.TinyModels.randomize(Zoo.build("lenet5", Zoo.options(new int[]{1, 28, 28}, 10), 1), 4, 0.1f);
        Normalization norm = new Normalization(new float[]{0.13f}, new float[]{0.31f});
        Confusion c = Confusion.of(m, norm, test, test.size(), 128, 5, 3, 8, glassbox.viz.Progress.NONE);
        Evaluation ev = Evaluation.of(m, test.asImageData(), norm, 128);
        int sum = 0;
        for (int[] row : c.counts()) for (int v : row) sum += v;
        assertEquals(test.size(), sum);
        assertEquals(test.size(), c.total());
        for (int t = 0; t < 10; t++) assertArrayEquals(ev.confusion()[t], c.counts()[t], "row " + t);
        assertEquals(ev.accuracy(), c.accuracy(), 1e-12);
        for (int t = 0; t < 10; t++) assertEquals(ev.classAccuracy(t), c.recall()[t], 1e-12);
        for (int i = 1; i < c.pairs().size(); i++) assertTrue(c.pairs().get(i).count() <= c.pairs().get(i - 1).count());
        for (int i = 1; i < c.hardest().size(); i++) assertTrue(c.hardest().get(i).loss() <= c.hardest().get(i - 1).loss());
        for (var p : c.pairs()) for (int e : p.examples()) assertEquals(p.trueClass(), test.label(e));
    }
}
