package glassbox.train.stats;

import glassbox.train.TrainConfig;
import glassbox.train.stats.RunRecord.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each deliberately broken run gets its diagnosis, with a starting step, and the healthy run gets none.
 * 20 steps per epoch on 320 synthetic 28×28 images, a stats record every 2 steps.
 */
class DiagnoserTest {
    @TempDir
    Path dir;

    /** With GLASSBOX_KEEP_RUNS=DIR in the environment the run files are kept there (the documentation draws them). */
    private Run run(String name, glassbox.model.Model m, TrainConfig cfg) {
        String keep = System.getenv("GLASSBOX_KEEP_RUNS");
        Path where = keep != null ? Path.of(keep) : dir;
        Run r = BrokenRuns.train(m, cfg, 2, where.resolve(name + ".run.jsonl"));
        for (RunRecord.Diagnosis d : r.diagnoses()) System.out.println(name + ": " + d.problem().words() + " [" + d.subject() + "] since step " + d.step() + ": " + d.message());
        return r;
    }

    private static Set<Problem> problems(Run r) {
        return r.diagnoses().stream().map(RunRecord.Diagnosis::problem).collect(Collectors.toSet());
    }

    @Test
    void healthyLenet5HasNoDiagnosis() {
        Run r = run("healthy", BrokenRuns.lenet5(), TrainConfig.defaults(2, 16, 0.02, 1));
        assertEquals(List.of(), r.diagnoses());
        assertTrue(r.epochs().getLast().testAccuracy() > 0.8, "the healthy run should learn: " + r.epochs().getLast());
    }

    @Test
    void healthyMlpHasNoDiagnosis() {
        Run r = run("healthy-mlp", BrokenRuns.mlp(), TrainConfig.defaults(1, 16, 0.05, 1).withSchedule("constant", 0));
        assertEquals(List.of(), r.diagnoses());
    }

    @Test
    void learningRate100TimesTooHigh() {
        // mlp's healthy rate here is 0.05 (see learningRate1e6IsTooLow's neighbour below); 100× that:
        Run r = run("lr-high", BrokenRuns.mlp(), TrainConfig.defaults(1, 16, 5, 1).withSchedule("constant", 0));
        assertTrue(problems(r).contains(Problem.LR_TOO_HIGH) || problems(r).contains(Problem.EXPLODING_GRADIENTS), problems(r).toString());
        RunRecord.Diagnosis d = r.diagnoses().getFirst();
        assertTrue(d.step() <= d.seenAt() && d.step() >= 1, d.toString());
    }

    @Test
    void divergenceIsDiagnosedAsExplodingAndEndsTheFile() {
        // Softmax regression at an absurd rate: no ReLU to die, the weights themselves overflow to infinity.
        Run r = run("diverged", glassbox.model.Zoo.build("linear", BrokenRuns.opts(), 1),
                TrainConfig.defaults(1, 16, 1e36, 1).withSchedule("constant", 0));
        assertEquals("diverged", r.end().status());
        assertTrue(problems(r).contains(Problem.EXPLODING_GRADIENTS), problems(r).toString());
        RunRecord.Diagnosis d = r.diagnoses().stream().filter(x -> x.problem() == Problem.EXPLODING_GRADIENTS).findFirst().orElseThrow();
        assertEquals(r.end().step(), d.seenAt());
        assertTrue(d.message().startsWith("values became NaN or infinite (training diverged at step"), d.message());
    }

    @Test
    void learningRate1e6IsTooLow() {
        Run r = run("lr-low", BrokenRuns.mlp(), TrainConfig.defaults(1, 16, 1e-6, 1).withSchedule("constant", 0));
        assertTrue(problems(r).contains(Problem.LR_TOO_LOW), problems(r).toString());
        assertTrue(Set.of(Problem.LR_TOO_LOW, Problem.LOSS_NOT_DECREASING).containsAll(problems(r)), problems(r).toString());
        assertEquals(1, r.diagnoses().getFirst().step());
    }

    @Test
    void biasOfMinus10BeforeAReluKillsIt() {
        Run r = run("dead", BrokenRuns.deadRelu(), TrainConfig.defaults(2, 16, 0.02, 1));
        RunRecord.Diagnosis d = r.diagnoses().stream().filter(x -> x.problem() == Problem.DEAD_RELUS).findFirst().orElseThrow();
        assertEquals("relu1", d.subject());
        assertEquals(1, d.step());
        assertTrue(d.message().startsWith("100% of relu1's units"), d.message());
    }

    @Test
    void largeWeightsSaturateASigmoid() {
        Run r = run("saturated", BrokenRuns.saturatedSigmoid(), TrainConfig.defaults(1, 16, 0.05, 1));
        RunRecord.Diagnosis d = r.diagnoses().stream().filter(x -> x.problem() == Problem.SATURATED_UNITS).findFirst().orElseThrow();
        assertEquals("sig1", d.subject());
        assertEquals(1, d.step());
    }

    @Test
    void deepSigmoidNetworkHasVanishingGradients() {
        Run r = run("sigmoid", BrokenRuns.deepSigmoid(), TrainConfig.defaults(1, 16, 0.05, 1));
        RunRecord.Diagnosis d = r.diagnoses().stream().filter(x -> x.problem() == Problem.VANISHING_GRADIENTS).findFirst().orElseThrow();
        assertEquals(1, d.step());
        assertTrue(d.subject().matches("fc[1-4]"), d.subject()); // near the input
    }
}
