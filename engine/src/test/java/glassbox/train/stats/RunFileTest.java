package glassbox.train.stats;

import glassbox.model.Model;
import glassbox.model.ModelIO;
import glassbox.model.Zoo;
import glassbox.train.ImageData;
import glassbox.train.Normalization;
import glassbox.train.Synthetic;
import glassbox.train.TrainConfig;
import glassbox.train.TrainListener;
import glassbox.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run file: written whole, read back, cut anywhere, corrupt, foreign, newer, resumed, exported as CSV. */
class RunFileTest {
    static final ImageData TRAIN = Synthetic.make(64, 4, 3, 8, 8, 1), TEST = Synthetic.make(16, 4, 3, 8, 8, 2);
    static final Normalization NORM = Normalization.of(TRAIN);
    @TempDir
    static Path shared;
    static Path full;
    static byte[] bytes;

    @TempDir
    Path dir;

    private static Map<String, String> opts() {
        Map<String, String> o = new java.util.LinkedHashMap<>(Zoo.options(new int[]{3, 8, 8}, 4));
        o.put("hidden", "16");
        return o;
    }

    private static Trainer trainer(int epochs, Path ckpt) {
        Model m = Zoo.build("mlp", opts(), 1);
        return new Trainer(m, opts(), TRAIN, TEST, NORM, TrainConfig.defaults(epochs, 16, 0.05, 1).withCheckpoint(ckpt))
                .meta("dataset", "synthetic");
    }

    @BeforeAll
    static void aShortRun() throws IOException {
        full = shared.resolve("full.run.jsonl");
        trainer(2, null).record(new StatsRecorder(full, 2, null)).fit(TrainListener.NONE);
        bytes = Files.readAllBytes(full);
    }

    @Test
    void readsBackWhatWasWritten() {
        Run r = RunReader.read(full);
        assertEquals("mlp", r.header().arch());
        assertEquals("synthetic", r.header().dataset());
        assertEquals(RunRecord.VERSION, r.header().version());
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), r.header().params().stream().map(RunRecord.ParamInfo::name).toList());
        assertEquals(List.of("fc1", "relu1", "fc2"), r.header().layers().stream().map(RunRecord.LayerInfo::name).toList());
        assertEquals(List.of(1L, 2L, 4L, 6L, 8L), r.stats().stream().map(RunRecord.Stats::step).toList()); // 4 steps per epoch
        assertEquals(2, r.epochs().size());
        assertTrue(Double.isFinite(r.epochs().getFirst().testLoss()));
        assertNotNull(r.end());
        assertEquals("finished", r.end().status());
        assertTrue(r.warnings().isEmpty());
        assertEquals(bytes.length, r.validBytes());
        RunRecord.Stats s = r.stats().getFirst();
        assertEquals(4, s.params().size());
        assertEquals(Histogram.BINS, s.params().getFirst().grad().hist().length);
        assertEquals(s.params().getFirst().value().n(), Arrays.stream(s.params().getFirst().value().hist()).sum());
        assertEquals(16 * 16, s.layers().get(1).out().n()); // relu1 over a batch of 16
    }

    @Test
    void aFileCutAtAnyByteReadsUpToItsLastWholeRecord() throws IOException {
        Random rnd = new Random(7);
        int headerEnd = indexOf(bytes, (byte) '\n') + 1;
        for (int trial = 0; trial < 25; trial++) {
            int cut = headerEnd + rnd.nextInt(bytes.length - headerEnd);
            Path f = dir.resolve("cut" + trial + ".jsonl");
            Files.write(f, Arrays.copyOf(bytes, cut));
            Run r = RunReader.read(f);
            int wholeLines = 0, lastNewline = 0;
            for (int i = 0; i < cut; i++) {
                if (bytes[i] == '\n') {
                    wholeLines++;
                    lastNewline = i + 1;
                }
            }
            int records = 1 + r.stats().size() + r.epochs().size() + r.diagnoses().size() + (r.end() != null ? 1 : 0);
            assertEquals(wholeLines, records, "cut at byte " + cut);
            assertEquals(lastNewline, r.validBytes());
            assertEquals(cut == lastNewline ? 0 : 1, r.warnings().size(), "cut at byte " + cut);
            if (cut != lastNewline) assertTrue(r.warnings().getFirst().contains("half-written"), r.warnings().getFirst());
        }
        // Cut inside the header: nothing to read, said in one line.
        Path f = dir.resolve("head.jsonl");
        Files.write(f, Arrays.copyOf(bytes, 30));
        RunFileException e = assertThrows(RunFileException.class, () -> RunReader.read(f));
        assertTrue(e.getMessage().contains("cut inside its header"), e.getMessage());
    }

    @Test
    void corruptForeignAndNewerFilesAreOneClearLine() throws IOException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        lines[3] = lines[3].substring(0, 40) + "#" + lines[3].substring(41);
        Path corrupt = dir.resolve("corrupt.jsonl");
        Files.writeString(corrupt, String.join("\n", lines) + "\n");
        assertOneLine(corrupt, "is corrupt: line 4 is not a run record");

        Path model = dir.resolve("model.gbx");
        ModelIO.save(trainer(1, null).snapshot(Map.of()), model);
        assertOneLine(model, "is not a Glassbox run file");
        Path json = dir.resolve("other.jsonl");
        Files.writeString(json, "{\"name\":\"something else\"}\n{\"a\":1}\n");
        assertOneLine(json, "is not a Glassbox run file");
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "");
        assertOneLine(empty, "is empty");
        Path newer = dir.resolve("newer.jsonl");
        Files.writeString(newer, text.replaceFirst("\"version\":1", "\"version\":99"));
        assertOneLine(newer, "layout version 99");
        assertOneLine(dir.resolve("missing.jsonl"), "no run file");
    }

    private static void assertOneLine(Path f, String expected) {
        RunFileException e = assertThrows(RunFileException.class, () -> RunReader.read(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    /** Stops training after the first epoch, as a kill would (but after the checkpoint). */
    private static final class Killed extends RuntimeException {
    }

    @Test
    void resumeContinuesTheFileEvenAfterAKill() throws IOException {
        Path ckpt = dir.resolve("m.ckpt"), run = dir.resolve("m.run.jsonl");
        assertThrows(Killed.class, () -> trainer(2, ckpt).record(new StatsRecorder(run, 2, null)).fit(new TrainListener() {
            @Override
            public void onEpoch(Epoch e) {
                throw new Killed();
            }
        }));
        // Killed in the second epoch: some of its records written, the last one half.
        String[] later = new String(bytes, StandardCharsets.UTF_8).split("\n");
        StringBuilder tail = new StringBuilder();
        for (String line : later) if (line.startsWith("{\"type\":\"stats\",\"step\":6")) tail.append(line).append('\n');
        tail.append(later[later.length - 2], 0, 50);
        Files.writeString(run, tail, java.nio.file.StandardOpenOption.APPEND);
        Run killed = RunReader.read(run);
        assertEquals(1, killed.warnings().size());
        assertEquals(6, killed.lastStep());

        Trainer t = trainer(2, ckpt);
        t.resume(ModelIO.load(ckpt));
        t.record(new StatsRecorder(run, 2, null)).fit(TrainListener.NONE);
        Run r = RunReader.read(run);
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        assertEquals(1, r.resumes().size());
        assertEquals(4, r.resumes().getFirst().step());
        // The records of the killed attempt after step 4 were replaced by the resumed ones: same steps as a whole run.
        assertEquals(RunReader.read(full).stats().stream().map(RunRecord.Stats::step).toList(),
                r.stats().stream().map(RunRecord.Stats::step).toList());
        assertEquals(List.of(1, 2), r.epochs().stream().map(RunRecord.Epoch::epoch).toList());
        assertEquals("finished", r.end().status());
    }

    @Test
    void pollFollowsAGrowingFile() throws IOException {
        Path f = dir.resolve("live.jsonl");
        int cut = indexOf(bytes, (byte) '\n') + 1 + 100;
        Files.write(f, Arrays.copyOf(bytes, cut));
        RunReader live = new RunReader(f);
        List<RunRecord> first = live.poll();
        assertEquals(1, first.size()); // the header; the half record waits
        Files.write(f, bytes);
        List<RunRecord> rest = live.poll();
        assertEquals(new String(bytes, StandardCharsets.UTF_8).split("\n").length, first.size() + rest.size());
        assertTrue(live.poll().isEmpty());
    }

    @Test
    void csvHasOneRowPerRecord() throws IOException {
        Run r = RunReader.read(full);
        List<Path> files = RunCsv.write(r, dir.resolve("csv"));
        List<String> steps = Files.readAllLines(files.get(0)), epochs = Files.readAllLines(files.get(1));
        assertEquals(1 + r.stats().size(), steps.size());
        assertEquals(1 + r.epochs().size(), epochs.size());
        assertTrue(steps.getFirst().startsWith("step,epoch,lr,loss,mean_loss,accuracy,fc1.weight.value_norm,fc1.weight.grad_norm"), steps.getFirst());
        int cols = steps.getFirst().split(",", -1).length;
        for (String row : steps) assertEquals(cols, row.split(",", -1).length, row);
        assertTrue(steps.get(1).startsWith("1,1,"), steps.get(1));
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) if (b[i] == v) return i;
        return -1;
    }
}
