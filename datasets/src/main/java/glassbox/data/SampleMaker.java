package glassbox.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Makes the {@link EmbeddedSample} from the real MNIST files: the first {@code perClass} samples of each
 * class, in file order (200 per class from the training file, 50 from the test file), written as gzip IDX.
 *
 * <pre>
 * mvn -q -pl datasets -am compile        # from the repository root
 * java -cp engine/target/classes:datasets/target/classes glassbox.data.SampleMaker \
 *      ../shared/datasets/mnist datasets/src/main/resources/glassbox/data/sample
 * </pre>
 * {@code SampleTest} re-derives the sample from the real files (when present) and checks it is identical.
 */
public final class SampleMaker {
    private SampleMaker() {
    }

    /** Indices of the first {@code perClass} samples of each class, in dataset order. */
    public static int[] select(Dataset d, int perClass) {
        int[] taken = new int[d.numClasses()];
        int[] idx = new int[perClass * d.numClasses()];
        int n = 0;
        for (int i = 0; i < d.size() && n < idx.length; i++) {
            int l = d.label(i);
            if (taken[l] < perClass) {
                taken[l]++;
                idx[n++] = i;
            }
        }
        if (n != idx.length) throw new IllegalArgumentException(d.name() + " has fewer than " + perClass + " of some class");
        return idx;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: SampleMaker MNIST_DIR OUT_DIR");
            System.exit(2);
        }
        Path mnist = Path.of(args[0]), out = Path.of(args[1]);
        Files.createDirectories(out);
        write(mnist, out, "train", EmbeddedSample.TRAIN_PER_CLASS);
        write(mnist, out, "t10k", EmbeddedSample.TEST_PER_CLASS);
    }

    private static void write(Path mnist, Path out, String prefix, int perClass) throws IOException {
        Dataset full = Idx.load("mnist", prefix.equals("train") ? Split.TRAIN : Split.TEST,
                mnist.resolve(prefix + "-images-idx3-ubyte.gz"), mnist.resolve(prefix + "-labels-idx1-ubyte.gz"),
                Catalog.DIGITS);
        Dataset s = full.subset(select(full, perClass));
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out.resolve(prefix + "-images-idx3-ubyte.gz")))) {
            Idx.writeImages(o, s.size(), s.height(), s.width(), s.pixels());
        }
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out.resolve(prefix + "-labels-idx1-ubyte.gz")))) {
            Idx.writeLabels(o, s.labels());
        }
        System.out.println(prefix + ": " + s.size() + " samples written to " + out);
    }
}
