package glassbox.cli;

import glassbox.data.Catalog;
import glassbox.data.DataOptions;
import glassbox.data.Dataset;
import glassbox.data.DatasetInfo;
import glassbox.data.Datasets;
import glassbox.data.Split;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;
import glassbox.model.Zoo;
import glassbox.tensor.Tensor;
import glassbox.train.Evaluation;
import glassbox.train.Normalization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The models shipped in gallery/: each file matches its SHA-256 and loads, reaches its recorded accuracy on
 * the real test set when that is on this machine (2,000 evenly spaced images, to keep the test fast), and the
 * command recorded for it would build the same architecture.
 */
class ShippedModelsTest {
    /** Test images evaluated per model; the recorded accuracy is over all 10,000. */
    private static final int EVAL_IMAGES = 2000;
    /** Allowed shortfall on those images, in points: about 3.7 standard errors of a 90% accuracy on 2,000 images. */
    private static final double SLACK = 2.5;
    private static Gallery gallery;

    @BeforeAll
    static void find() throws IOException {
        gallery = Gallery.find();
    }

    @Test
    void everyShippedModelMatchesItsChecksumAndLoads() throws Exception {
        assumeFalse(gallery.entries().isEmpty(), "no shipped models found at " + gallery.dir());
        for (Gallery.Entry e : gallery.entries()) {
            var p = gallery.path(e);
            assertTrue(Files.isRegularFile(p), e.name() + ": no file " + p);
            assertEquals(e.sha256(), Gallery.sha256(p), e.name() + ": SHA-256");
            ModelFile f = ModelIO.load(p);
            assertEquals(e.dataset(), f.meta().get("dataset"), e.name());
            Model m = f.toModel();
            assertTrue(m.paramCount() > 0, e.name());
            assertEquals(p, Gallery.resolve(java.nio.file.Path.of(e.name())), "--model " + e.name() + " resolves to the shipped file");
        }
    }

    @Test
    void shippedModelsReachTheirAccuracyWhereTheTestSetIsFound() throws Exception {
        assumeFalse(gallery.entries().isEmpty(), "no shipped models found at " + gallery.dir());
        List<String> checked = new ArrayList<>(), skipped = new ArrayList<>();
        for (Gallery.Entry e : gallery.entries()) {
            Dataset test;
            try {
                test = Datasets.load(e.dataset(), Split.TEST, DataOptions.defaults().withDownload(false));
            } catch (IOException ex) { // DatasetNotFoundException among them
                skipped.add(e.name());
                continue;
            }
            ModelFile f = ModelIO.load(gallery.path(e));
            int n = Math.min(EVAL_IMAGES, test.size());
            // every (size / n)-th image: MNIST's test set is ordered by writer group, its first part easier than the rest
            Dataset head = test.subset(java.util.stream.IntStream.range(0, n).map(i -> (int) ((long) i * test.size() / n)).toArray());
            Evaluation ev = Evaluation.of(f.toModel(), head.asImageData(), new Normalization(f.mean(), f.std()), 250);
            assertTrue(100 * ev.accuracy() >= e.testAccuracy() - SLACK,
                    e.name() + ": " + 100 * ev.accuracy() + "% on " + head.size() + " evenly spaced test images, recorded " + e.testAccuracy() + "%");
            checked.add(e.name());
        }
        System.out.println("shipped models checked on the real test set: " + checked + "; skipped (test set not found): " + skipped);
        assumeFalse(checked.isEmpty(), "no real test set found for " + skipped + " (set GLASSBOX_DATA)");
    }

    @Test
    void recordedCommandBuildsTheSameArchitecture() throws Exception {
        assumeFalse(gallery.entries().isEmpty(), "no shipped models found at " + gallery.dir());
        for (Gallery.Entry e : gallery.entries()) {
            String prefix = "./glassbox train ";
            assertTrue(e.command().startsWith(prefix), e.command());
            String[] args = e.command().substring(prefix.length()).trim().split(" +");
            TrainCommand t = new TrainCommand();
            new CommandLine(t).parseArgs(args);
            assertEquals(e.file(), t.out.toString(), e.name() + ": --out names the shipped file");
            assertEquals(e.dataset(), t.dataset, e.name());
            DatasetInfo info = Catalog.get(t.dataset);
            int[] shape = info.format() == DatasetInfo.Format.CIFAR10 ? new int[]{3, 32, 32} : new int[]{1, 28, 28};
            Map<String, String> options = t.zooOptions(shape, info.classNames().size());
            ModelFile f = ModelIO.load(gallery.path(e));
            assertEquals(t.model, f.arch(), e.name());
            assertEquals(options, f.options(), e.name() + ": build options");
            Model rebuilt = Zoo.build(t.model, options, t.seed);
            for (Map.Entry<String, Tensor> s : rebuilt.state().entrySet()) {
                Tensor stored = f.tensors().get(s.getKey());
                assertTrue(stored != null && Arrays.equals(stored.shape(), s.getValue().shape()), e.name() + ": " + s.getKey());
            }
            assertFalse(f.tensors().keySet().stream().filter(k -> !k.startsWith(ModelFile.OPTIMIZER_PREFIX))
                    .anyMatch(k -> !rebuilt.state().containsKey(k)), e.name() + ": no extra tensors");
            assertEquals(Integer.toString(t.epochs), f.meta().get("train.epochs"), e.name());
            assertEquals(Long.toString(t.seed), f.meta().get("train.seed"), e.name());
        }
    }
}
