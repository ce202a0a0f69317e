package glassbox.explorer;

import glassbox.train.stats.RunRecord;
import glassbox.train.stats.Summary;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live history stays bounded over a long run, keeps its shape (first step, order, last steps), and pages. */
class TrainingJobTest {
    static Summary summary(float norm) {
        return new Summary(4, 0, 1, -1, 1, norm, 0, new int[81]);
    }

    @Test
    void aLongRunsHistoryIsThinnedNotGrown() {
        TrainingJob job = new TrainingJob(new TrainingJob.Request("linear", "sample", 1, 0.05, 64, 0), "live-test-1",
                TrainingJob.filesFor(Path.of("unused"), "live-test-1"), null, Map.of(), null, null);
        List<RunRecord> records = new ArrayList<>();
        records.add(new RunRecord.Header("glassbox-run", 1, "linear", "sample", Map.of(), 1, -32, 8,
                List.of(new RunRecord.ParamInfo("fc.weight", "fc", new int[]{10, 784}, true),
                        new RunRecord.ParamInfo("fc.bias", "fc", new int[]{10}, false)),
                List.of(new RunRecord.LayerInfo("fc", "Linear", new int[]{10}), new RunRecord.LayerInfo("relu", "ReLU", new int[]{10})), ""));
        int n = 10 * TrainingJob.MAX_POINTS;
        for (int s = 1; s <= n; s++) {
            var p = new RunRecord.ParamStats(summary(1), summary(0.5f / s), summary(1e-3f), 1e-3f);
            var l = new RunRecord.LayerStats(summary(1), 0.25f, null);
            records.add(new RunRecord.Stats(s, 1, 0.05, 1f / s, 1f / s, 0.5f, List.of(p, p), List.of(l, l)));
        }
        job.absorb(records);
        TrainingJob.Status st = job.status(0, 0);
        List<TrainingJob.Point> pts = st.points();
        assertTrue(pts.size() <= TrainingJob.MAX_POINTS && pts.size() > TrainingJob.MAX_POINTS / 2, "kept " + pts.size());
        assertEquals(1, pts.getFirst().step());
        assertTrue(pts.getLast().step() > n - n / TrainingJob.MAX_POINTS * 2, "the last steps are there: " + pts.getLast().step());
        for (int i = 1; i < pts.size(); i++) assertTrue(pts.get(i).step() > pts.get(i - 1).step());
        assertEquals(List.of("fc"), st.weights(), "weights only, no biases");
        assertEquals(List.of("relu"), st.units());
        assertEquals(0.5f, pts.getFirst().gradNorm()[0]);
        assertEquals(0.25f, pts.getFirst().dead()[0]);
        assertTrue(st.generation() > 0);

        // Paging: the same generation from index k gives the rest; another generation gives everything.
        TrainingJob.Status rest = job.status(pts.size() - 3, st.generation());
        assertEquals(pts.size() - 3, rest.from());
        assertEquals(3, rest.points().size());
        assertEquals(0, job.status(pts.size() - 3, st.generation() - 1).from());
    }
}
