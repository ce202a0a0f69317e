package glassbox.viz.robustness;

import glassbox.data.Dataset;
import glassbox.tensor.Tensor;
import glassbox.train.Evaluation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** FGSM and PGD on a small trained MLP: identities, strength order, and the constraints. */
class AttackTest {
    static final Dataset D = Trained.TEST;
    static final int N = 200;

    @Test
    void fgsmAtEpsilonZeroGivesTheCleanAccuracy() {
        AttackCurves.Run r = AttackCurves.run("mlp", Trained.MODEL, Trained.NORM, D, N, Attack.fgsm(0), new float[]{0f}, 64, 0, 0, glassbox.viz.Progress.NONE);
        Evaluation ev = Evaluation.of(Trained.MODEL, D.head(N).asImageData(), Trained.NORM, 64);
        assertEquals(ev.accuracy(), r.curve().accuracy()[0], 1e-12);
        assertEquals(ev.accuracy(), r.curve().cleanAccuracy(), 1e-12);
        assertTrue(ev.accuracy() > 0.8, "the model is trained: " + ev.accuracy());
        // and through the attack itself: a zero-radius FGSM step leaves every image and prediction as it was
        float[] clean = Pixels.of(D, 0, N);
        Attack.Result a = Attack.fgsm(0).run(Trained.MODEL, Trained.NORM, clean, Pixels.labels(D, 0, N), false, false, null);
        assertArrayEquals(clean, a.adversarial());
        int right = 0;
        for (int i = 0; i < N; i++) if (a.predicted()[i] == D.label(i)) right++;
        assertEquals(ev.accuracy(), right / (double) N, 1e-12);
    }

    @Test
    void pgdIsAtLeastAsStrongAsFgsmAtEveryEpsilon() {
        float[] eps = {0, 0.05f, 0.1f, 0.2f};
        Curve f = AttackCurves.run("mlp", Trained.MODEL, Trained.NORM, D, 100, Attack.fgsm(0), eps, 100, 0, 0, glassbox.viz.Progress.NONE).curve();
        Curve p = AttackCurves.run("mlp", Trained.MODEL, Trained.NORM, D, 100, Attack.pgd(Attack.Norm.LINF, 0, 10, 7), eps, 100, 0, 0, glassbox.viz.Progress.NONE).curve();
        for (int e = 0; e < eps.length; e++) {
            assertTrue(p.accuracy()[e] <= f.accuracy()[e], "eps " + eps[e] + ": PGD " + p.accuracy()[e] + " FGSM " + f.accuracy()[e]);
        }
        assertTrue(p.accuracy()[3] < 0.2 * p.accuracy()[0], "PGD at 0.2 breaks most: " + p.accuracy()[3]);
        for (int e = 1; e < eps.length; e++) assertTrue(p.accuracy()[e] <= p.accuracy()[e - 1] + 1e-12, "monotone in epsilon");
    }

    @Test
    void neverLeavesTheBallOrThePixelRange() {
        float[] clean = Pixels.of(D, 0, 32);
        int[] y = Pixels.labels(D, 0, 32);
        for (Attack.Norm norm : Attack.Norm.values()) {
            for (boolean targeted : new boolean[]{false, true}) {
                float eps = norm == Attack.Norm.LINF ? 0.1f : 1.5f;
                Attack a = new Attack(Attack.Method.PGD, norm, eps, 5, eps / 2, true, 3);
                int[] labels = targeted ? new int[32] : y;
                float[] adv = a.run(Trained.MODEL, Trained.NORM, clean, labels, targeted, false, null).adversarial();
                int per = D.sampleSize();
                for (int i = 0; i < 32; i++) {
                    double ss = 0;
                    for (int j = i * per; j < (i + 1) * per; j++) {
                        assertTrue(adv[j] >= 0f && adv[j] <= 1f, "pixel in [0, 1]");
                        float d = adv[j] - clean[j];
                        if (norm == Attack.Norm.LINF) assertTrue(Math.abs(d) <= eps + 1e-6f, "|d| " + d);
                        ss += (double) d * d;
                    }
                    if (norm == Attack.Norm.L2) assertTrue(Math.sqrt(ss) <= eps * (1 + 1e-5), "||d|| " + Math.sqrt(ss));
                }
            }
        }
    }

    @Test
    void targetedPgdReachesItsTargetAndFoolingKeepsTheSmallestRadius() {
        float[] img = Pixels.of(D, 0, 1);
        int label = D.label(0), target = (label + 1) % 10;
        Fooling f = Fooling.of(Trained.MODEL, Trained.NORM, img, 0, label, target, 20, 0.9f, 0.5f, D.classNames());
        assertTrue(f.reached(), "reached " + f.foolProbs()[target] + " at eps " + f.epsilon());
        assertTrue(f.foolProbs()[target] >= 0.9f);
        assertTrue(f.linf() <= f.epsilon() + 1e-6f);
        assertEquals(21, f.targetByStep().length);
        assertTrue(f.targetByStep()[20] > f.targetByStep()[0], "target probability grows");
    }

    @Test
    void negativeEpsilonIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Attack.fgsm(-0.1f));
        assertEquals("epsilon must be >= 0, got -0.1", e.getMessage());
    }

    /**
     * Two threads attack the batch in two slices, each on its own copy of the model in serial mode: the same
     * bits as the whole batch on one model, split layer by layer (a listener keeps that path) or on one thread.
     * An odd batch, so the slices differ in size and the loss gradient's scale is tested too.
     */
    @Test
    void dataParallelGivesTheBitsOfTheWholeBatch() {
        int before = glassbox.kernels.Parallel.threads();
        try {
            glassbox.model.Model m = glassbox.model.Zoo.build("resnet20", glassbox.model.Zoo.options(new int[]{3, 16, 16}, 10), 4);
            glassbox.train.Normalization norm = new glassbox.train.Normalization(new float[]{0.5f, 0.4f, 0.3f}, new float[]{0.25f, 0.2f, 0.3f});
            int n = 2 * Attack.MIN_SLICE + 12, per = 3 * 16 * 16;
            java.util.SplittableRandom r = new java.util.SplittableRandom(9);
            float[] clean = new float[n * per];
            for (int i = 0; i < clean.length; i++) clean[i] = (float) r.nextDouble();
            int[] y = new int[n];
            for (int i = 0; i < n; i++) y[i] = r.nextInt(10);
            for (Attack a : new Attack[]{Attack.pgd(Attack.Norm.LINF, 8f / 255, 2, 5), Attack.pgd(Attack.Norm.L2, 0.5f, 2, 5)}) {
                glassbox.kernels.Parallel.setThreads(1);
                Attack.Result one = a.run(m, norm, clean, y, false, true, null);
                glassbox.kernels.Parallel.setThreads(2);
                Attack.Result split = a.run(m, norm, clean, y, false, true, (step, probs) -> { });
                Attack.Result slices = a.run(m, norm, clean, y, false, true, null);
                Attack.Result again = a.run(m, norm, clean, y, false, true, null); // spare copies reused
                Attack.Result[] others = {split, slices, again};
                for (int o = 0; o < others.length; o++) {
                    Attack.Result other = others[o];
                    assertArrayEquals(one.adversarial(), other.adversarial(), a.norm() + ": adversarial images " + o);
                    assertArrayEquals(one.probabilities(), other.probabilities(), a.norm() + ": probabilities " + o);
                    assertArrayEquals(one.predicted(), other.predicted());
                    assertArrayEquals(one.confidence(), other.confidence());
                    assertArrayEquals(one.fooled(), other.fooled());
                }
            }
        } finally {
            glassbox.kernels.Parallel.setThreads(before);
        }
    }

    /**
     * On a network with batch norm the attack runs on a folded copy: the clean probabilities match the model's own
     * forward pass to float rounding, the attack keeps to the ball and the pixel range, and the caller's model is
     * left as it was (settings and weights; it is not run).
     */
    @Test
    void onAFoldedCopyTheProbabilitiesMatchAndTheBallHolds() {
        glassbox.model.Model m = glassbox.model.Zoo.build("resnet20", glassbox.model.Zoo.options(new int[]{3, 9, 11}, 10), 6);
        java.util.SplittableRandom r = new java.util.SplittableRandom(2);
        for (var l : m.allLayers()) {
            if (!(l instanceof glassbox.layers.BatchNorm bn)) continue;
            float[] mean = bn.runningMean().data(), var = bn.runningVar().data(), g = bn.weight().value().data();
            for (int c = 0; c < mean.length; c++) {
                mean[c] = (float) (r.nextDouble() - 0.5);
                var[c] = (float) (0.3 + r.nextDouble());
                g[c] = (float) (0.5 + r.nextDouble());
            }
        }
        glassbox.train.Normalization norm = new glassbox.train.Normalization(new float[]{0.5f, 0.4f, 0.3f}, new float[]{0.25f, 0.2f, 0.3f});
        int n = 2 * Attack.MIN_SLICE + 5, per = 3 * 9 * 11;
        float[] clean = new float[n * per];
        for (int i = 0; i < clean.length; i++) clean[i] = (float) r.nextDouble();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(10);
        float[] weights = m.params().getFirst().value().data().clone();

        float[] own = Predict.probabilities(m, norm, clean, n), folded = Attack.probabilities(m, norm, clean, n);
        for (int i = 0; i < own.length; i++) assertEquals(own[i], folded[i], 1e-5f, "probability " + i);
        m.setReuseBuffers(false);
        m.setParamGradients(true);
        Tensor before = m.activation("fc");
        float eps = 8f / 255;
        float[] adv = Attack.pgd(Attack.Norm.LINF, eps, 3, 4).run(m, norm, clean, y, false, false, null).adversarial();
        for (int j = 0; j < adv.length; j++) {
            assertTrue(adv[j] >= 0f && adv[j] <= 1f, "pixel in [0, 1]");
            assertTrue(Math.abs(adv[j] - clean[j]) <= eps + 1e-6f, "in the ball");
        }
        assertSame(before, m.activation("fc"), "the model itself was not run");
        assertFalse(m.reusesBuffers());
        assertTrue(m.computesParamGradients());
        assertArrayEquals(weights, m.params().getFirst().value().data());
    }
}
