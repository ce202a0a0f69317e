package glassbox.data;

import java.io.IOException;
import java.io.InputStream;

/**
 * A small MNIST sample shipped inside the jar, so that the README's main command runs offline on a fresh
 * clone: 2,000 training digits (200 per class) and 500 test digits (50 per class), taken from the real MNIST
 * files by {@link SampleMaker} (the first 200, resp. 50, of each class in file order, file order kept).
 * Stored as gzip IDX files under {@code /glassbox/data/sample/}, read by the same {@link Idx} parser as
 * the full data set.
 */
public final class EmbeddedSample {
    /** Resource folder of the sample files. */
    public static final String RESOURCE_DIR = "/glassbox/data/sample/";
    public static final int TRAIN_PER_CLASS = 200, TEST_PER_CLASS = 50;

    private EmbeddedSample() {
    }

    /** The sample's split, as a Dataset named "sample". */
    public static Dataset load(Split split) throws IOException {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        String imagesName = RESOURCE_DIR + prefix + "-images-idx3-ubyte.gz";
        String labelsName = RESOURCE_DIR + prefix + "-labels-idx1-ubyte.gz";
        Idx.Images images;
        byte[] labels;
        try (InputStream in = open(imagesName)) {
            images = Idx.readImages(in, "resource " + imagesName);
        }
        try (InputStream in = open(labelsName)) {
            labels = Idx.readLabels(in, "resource " + labelsName);
        }
        return Idx.toDataset("sample", split, images, "resource " + imagesName, labels, "resource " + labelsName,
                Catalog.DIGITS);
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = EmbeddedSample.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " is missing from the classpath: the build did not package "
                    + "datasets/src/main/resources (rebuild with ./glassbox test or mvn package)");
        }
        return in;
    }
}
