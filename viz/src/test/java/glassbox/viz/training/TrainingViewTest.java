package glassbox.viz.training;

import glassbox.model.Zoo;
import glassbox.train.ImageData;
import glassbox.train.Normalization;
import glassbox.train.TrainConfig;
import glassbox.train.TrainListener;
import glassbox.train.Trainer;
import glassbox.train.stats.Histogram;
import glassbox.train.stats.Run;
import glassbox.train.stats.RunReader;
import glassbox.train.stats.StatsRecorder;
import glassbox.viz.render.JsonOut;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training view of a short recorded run: its series line up with the records, and every chart is drawn. */
class TrainingViewTest {
    @TempDir
    static Path dir;
    static Run run;

    @BeforeAll
    static void record() {
        Random r = new Random(3);
        int n = 64, per = 3 * 8 * 8;
        byte[] px = new byte[n * per], labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 4);
            for (int j = 0; j < per; j++) px[i * per + j] = (byte) ((j % 4 == i % 4 ? 200 : 40) + r.nextInt(30));
        }
        ImageData data = new ImageData(3, 8, 8, px, labels, List.of("a", "b", "c", "d"));
        Map<String, String> opts = new java.util.LinkedHashMap<>(Zoo.options(new int[]{3, 8, 8}, 4));
        opts.put("hidden", "16");
        Path file = dir.resolve("run.jsonl");
        new Trainer(Zoo.build("mlp", opts, 1), opts, data, data, Normalization.of(data), TrainConfig.defaults(2, 16, 0.05, 1))
                .record(new StatsRecorder(file, 2, null)).fit(TrainListener.NONE);
        run = RunReader.read(file);
    }

    @Test
    void seriesFollowTheRecords() {
        TrainingView v = TrainingView.of(run);
        assertArrayEquals(run.stats().stream().mapToLong(s -> s.step()).toArray(), v.steps());
        assertEquals(run.header().params().size(), v.params().size());
        assertEquals(List.of("fc1", "relu1", "fc2"), v.layers().stream().map(TrainingView.LayerSeries::name).toList());
        TrainingView.ParamSeries w = v.weightOf("fc1");
        assertEquals("fc1.weight", w.name());
        assertEquals(run.stats().get(2).params().get(0).grad().norm(), w.gradNorm()[2], 1e-6);
        for (double[] row : w.value().share()) {
            double sum = 0;
            for (double s : row) sum += s;
            assertEquals(1, sum, 1e-9); // every value is in some kept bin
        }
        // ReLU outputs: zeros and positive values only, so the rows are the centre bin then positive bins.
        TrainingView.Heatmap relu = v.layers().get(1).out();
        assertEquals(Histogram.CENTRE, relu.bins()[0]);
        assertTrue(relu.bins()[1] > Histogram.CENTRE);
        for (int i = 2; i < relu.bins().length; i++) assertEquals(relu.bins()[i - 1] + 1, relu.bins()[i]);
        assertTrue(relu.lower()[1] > 0);
        assertEquals(2 * relu.lower()[1], relu.upper()[1], 0);
        assertEquals("+9.8e-04", TrainingCharts.binLabel(Histogram.bin(0.001f)));
        assertEquals("0", TrainingCharts.binLabel(Histogram.CENTRE));
    }

    @Test
    void everyChartIsDrawnAndNotBlank() throws IOException {
        TrainingView v = TrainingView.of(run);
        List<Path> files = new ArrayList<>(TrainingCharts.render(v, dir.resolve("out")));
        assertEquals(4 + v.layers().size(), files.size());
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) colours.add(img.getRGB(x, y));
            assertTrue(colours.size() > 20, f + " looks blank: " + colours.size() + " colours");
        }
        Path json = dir.resolve("out/training.json");
        JsonOut.write(v, json);
        String text = Files.readString(json);
        assertTrue(text.contains("\"gradNorm\"") && text.contains("\"share\""), "JSON lacks series");
    }
}
