package glassbox.data;

import java.util.List;

/**
 * The data sets Glassbox knows: their files, where they live on disk, where to download them, and their
 * checksums. Every checksum here says where it comes from; see {@link KnownHash}.
 *
 * <p>Local layout under any data folder (the {@code --data} folder, {@code GLASSBOX_DATA}, the cache
 * {@code ~/.cache/glassbox}, or {@code ../shared/datasets}):
 * <pre>
 * mnist/train-images-idx3-ubyte.gz  train-labels-idx1-ubyte.gz  t10k-images-idx3-ubyte.gz  t10k-labels-idx1-ubyte.gz
 * fashion-mnist/  (the same four names)
 * cifar-10-binary.tar.gz   or   cifar-10-batches-bin/
 * </pre>
 * IDX files may also be uncompressed (the same names without {@code .gz}).
 */
public final class Catalog {
    private Catalog() {
    }

    private static final String MNIST_OFFICIAL = "official MNIST file (LeCun, Cortes, Burges)";
    private static final String MNIST_CONTENT = "official MNIST content (uncompressed MD5 as published), re-gzipped";
    private static final String FASHION_OFFICIAL = "official Fashion-MNIST file (Zalando Research)";
    private static final String FASHION_DEBIAN = "content of Debian's dataset-fashion-mnist: re-gzipped upstream files; no official content hash is published";

    private static List<String> mnistMirrors(String file) {
        return List.of("https://ossci-datasets.s3.amazonaws.com/mnist/" + file,
                "https://storage.googleapis.com/cvdf-datasets/mnist/" + file);
    }

    private static List<String> fashionMirrors(String file) {
        return List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/" + file,
                "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/" + file);
    }

    public static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    /** MNIST: 60,000 + 10,000 handwritten digits, 28x28 gray. */
    public static final DatasetInfo MNIST = new DatasetInfo("mnist", "MNIST handwritten digits", "mnist", DIGITS,
            DatasetInfo.Format.IDX, List.of(
            new DataFile("train-images-idx3-ubyte.gz", 9912422, mnistMirrors("train-images-idx3-ubyte.gz"), List.of(
                    KnownHash.file("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", MNIST_OFFICIAL),
                    KnownHash.content("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", MNIST_CONTENT))),
            new DataFile("train-labels-idx1-ubyte.gz", 28881, mnistMirrors("train-labels-idx1-ubyte.gz"), List.of(
                    KnownHash.file("3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", MNIST_OFFICIAL),
                    KnownHash.content("65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", MNIST_CONTENT))),
            new DataFile("t10k-images-idx3-ubyte.gz", 1648877, mnistMirrors("t10k-images-idx3-ubyte.gz"), List.of(
                    KnownHash.file("8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", MNIST_OFFICIAL),
                    KnownHash.content("0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", MNIST_CONTENT))),
            new DataFile("t10k-labels-idx1-ubyte.gz", 4542, mnistMirrors("t10k-labels-idx1-ubyte.gz"), List.of(
                    KnownHash.file("f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", MNIST_OFFICIAL),
                    KnownHash.content("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", MNIST_CONTENT)))));

    /** Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): 60,000 + 10,000 clothing images, 28x28 gray. */
    public static final DatasetInfo FASHION = new DatasetInfo("fashion", "Fashion-MNIST", "fashion-mnist", FASHION_CLASSES,
            DatasetInfo.Format.IDX, List.of(
            new DataFile("train-images-idx3-ubyte.gz", 26421880, fashionMirrors("train-images-idx3-ubyte.gz"), List.of(
                    KnownHash.file("08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc", FASHION_OFFICIAL),
                    KnownHash.contentCopy("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", FASHION_DEBIAN))),
            new DataFile("train-labels-idx1-ubyte.gz", 29515, fashionMirrors("train-labels-idx1-ubyte.gz"), List.of(
                    KnownHash.file("b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc", FASHION_OFFICIAL),
                    KnownHash.contentCopy("bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", FASHION_DEBIAN))),
            new DataFile("t10k-images-idx3-ubyte.gz", 4422102, fashionMirrors("t10k-images-idx3-ubyte.gz"), List.of(
                    KnownHash.file("78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229", FASHION_OFFICIAL),
                    KnownHash.contentCopy("5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", FASHION_DEBIAN))),
            new DataFile("t10k-labels-idx1-ubyte.gz", 5148, fashionMirrors("t10k-labels-idx1-ubyte.gz"), List.of(
                    KnownHash.file("42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf", FASHION_OFFICIAL),
                    KnownHash.contentCopy("0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", FASHION_DEBIAN)))));

    /** CIFAR-10 binary version (Krizhevsky 2009): 50,000 + 10,000 colour images, 32x32, 10 classes. */
    public static final DatasetInfo CIFAR10 = new DatasetInfo("cifar10", "CIFAR-10 (binary version)", "", CIFAR10_CLASSES,
            DatasetInfo.Format.CIFAR10, List.of(
            new DataFile(Cifar10.ARCHIVE, 170052171, List.of("https://www.cs.toronto.edu/~kriz/" + Cifar10.ARCHIVE), List.of(
                    KnownHash.file("c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
                            "official CIFAR-10 binary archive (MD5 c32a1d4ab5d03f1284b67883e8d87530 as published)"),
                    KnownHash.fileCopy("6baa864bc7bbfd641685e25aaabf0e4cd7c7f6232dd93a75aa133665a5f0b89e",
                            "the course's rebuild in ../shared/datasets: from JPEGs, pixels differ slightly, records shuffled")))));

    /** All downloadable data sets, in display order. */
    public static final List<DatasetInfo> ALL = List.of(MNIST, FASHION, CIFAR10);

    /** The data set called {@code name} ("mnist", "fashion" or "fashion-mnist", "cifar10" or "cifar-10"). */
    public static DatasetInfo get(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        for (DatasetInfo d : ALL) {
            if (d.name().equals(n) || (!d.folder().isEmpty() && d.folder().equals(n))) return d;
        }
        if (n.equals("cifar-10")) return CIFAR10;
        throw new IllegalArgumentException("unknown dataset '" + name + "': expected mnist, fashion, cifar10, sample or folder:DIR");
    }
}
