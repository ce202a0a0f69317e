package glassbox.explorer;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.DataOptions;
import glassbox.data.Split;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.train.Normalization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * One model the explorer offers: its file, its input normalization, its test images (loaded on first use)
 * and a small pool of {@link Model} instances.
 *
 * <p>A Model keeps the activations and gradients of its last pass in its layers (that is what makes it a
 * glass box), so one instance serves one request at a time; requests borrow an instance from the pool and
 * give it back. Two instances are enough on a 2-core machine: the work is CPU-bound.
 */
public final class ModelEntry {
    private static final int POOL = 2;

    private final String id;
    private final ModelFile file;
    private final Normalization norm;
    private final DataOptions dataOptions;
    private final BlockingQueue<Model> pool = new ArrayBlockingQueue<>(POOL, true); // fair: first come, first served
    private volatile Dataset test;
    private volatile String testNote;

    ModelEntry(String id, ModelFile file, DataOptions dataOptions) {
        this.id = id;
        this.file = file;
        this.norm = new Normalization(file.mean(), file.std());
        this.dataOptions = dataOptions;
        for (int i = 0; i < POOL; i++) pool.add(file.toModel());
    }

    public String id() {
        return id;
    }

    public ModelFile file() {
        return file;
    }

    public Normalization normalization() {
        return norm;
    }

    /** Name of the data set the model was trained on, from its metadata ("sample" when unknown). */
    public String dataset() {
        return file.meta().getOrDefault("dataset", "sample");
    }

    /** Runs {@code work} on a model instance nobody else is using, waiting for one if both are busy. */
    public <T> T withModel(Function<Model, T> work) {
        Model m;
        try {
            m = pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "server is shutting down");
        }
        try {
            return work.apply(m);
        } finally {
            pool.add(m);
        }
    }

    /**
     * The test split of the model's data set, shaped like the model's input; when the real files are not
     * found, MNIST-shaped models fall back to the embedded sample (and {@link #testSource()} says so).
     */
    public Dataset testImages() {
        Dataset d = test;
        if (d != null) return d;
        synchronized (this) {
            if (test != null) return test;
            int[] in = file.inputShape();
            try {
                d = Datasets.load(dataset(), Split.TEST, dataOptions);
                testNote = dataset() + " test split";
            } catch (IOException | RuntimeException e) {
                boolean mnistShaped = Arrays.equals(in, new int[]{1, 28, 28});
                if (!mnistShaped) throw new ApiException(404, "no test images: " + e.getMessage());
                try {
                    d = Datasets.load("sample", Split.TEST, dataOptions);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                testNote = "embedded MNIST sample (" + dataset() + " files not found)";
            }
            if (d.channels() != in[0] || d.height() != in[1] || d.width() != in[2]) {
                throw new ApiException(404, "test images are " + d.channels() + "x" + d.height() + "x" + d.width()
                        + " but the model expects " + in[0] + "x" + in[1] + "x" + in[2]);
            }
            test = d;
            return d;
        }
    }

    /** Where the test images came from, once {@link #testImages()} has run. */
    public String testSource() {
        return testNote;
    }
}
