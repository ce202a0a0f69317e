package glassbox.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The shipped models ("the gallery"): model files trained by {@code gallery/train-gallery.sh}, kept in the
 * repository's {@code gallery/} folder with their training logs and listed in {@code gallery/index.tsv},
 * one row per model: name, file, data set, test accuracy, training seconds, SHA-256 and the exact command
 * that trained it. Nothing writes into that folder by default; {@code gallery/ship.sh} adds a finished run.
 *
 * <p>{@link #resolve} is the one place where {@code --model NAME|FILE} is turned into a file, for every
 * command: an existing file wins, otherwise a shipped model's name. The folder is {@code $GLASSBOX_GALLERY}
 * when set, else {@code gallery/} of the checkout the running jar (or class folder) was built in, else
 * {@code ./gallery}.
 *
 * <p>Leaves out downloading models: the gallery is what the checkout holds.
 */
public final class Gallery {
    /** The index file inside the gallery folder. */
    public static final String INDEX = "index.tsv";

    /**
     * One shipped model, a row of {@code index.tsv}.
     *
     * @param name         what {@code --model} accepts, e.g. "lenet5-mnist"
     * @param file         the model file, relative to the gallery folder
     * @param dataset      data set it was trained on
     * @param testAccuracy test accuracy in percent, as printed by train
     * @param trainSeconds training time in seconds (sum of the epoch times; shared 2-core machine)
     * @param sha256       SHA-256 of the model file, lower-case hex
     * @param command      the exact {@code ./glassbox train ...} command that trained it
     */
    public record Entry(String name, String file, String dataset, double testAccuracy, double trainSeconds, String sha256,
                        String command) {
    }

    private final Path dir;
    private final List<Entry> entries;

    private Gallery(Path dir, List<Entry> entries) {
        this.dir = dir;
        this.entries = List.copyOf(entries);
    }

    /** The gallery found as the class comment says (empty when no folder with an index exists). */
    public static Gallery find() throws IOException {
        for (Path d : candidates()) {
            if (Files.isRegularFile(d.resolve(INDEX))) return read(d);
        }
        return new Gallery(Path.of("gallery"), List.of());
    }

    /** Reads the gallery in folder {@code dir} (its {@value #INDEX}). */
    public static Gallery read(Path dir) throws IOException {
        List<Entry> es = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve(INDEX));
        for (int i = 1; i < lines.size(); i++) { // line 0 is the header
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            if (f.length != 7) throw new IOException(dir.resolve(INDEX) + " line " + (i + 1) + ": expected 7 tab-separated fields, found " + f.length);
            try {
                es.add(new Entry(f[0], f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]), f[5], f[6]));
            } catch (NumberFormatException e) {
                throw new IOException(dir.resolve(INDEX) + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Gallery(dir, es);
    }

    private static List<Path> candidates() {
        List<Path> c = new ArrayList<>();
        String env = System.getenv("GLASSBOX_GALLERY");
        if (env != null && !env.isBlank()) c.add(Path.of(env));
        try {
            // cli/target/glassbox.jar or cli/target/classes: three levels up is the checkout
            Path code = Path.of(Gallery.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = code.getParent() == null ? null : code.getParent().getParent();
            if (root != null && root.getParent() != null) c.add(root.getParent().resolve("gallery"));
        } catch (URISyntaxException | RuntimeException e) {
            // no code location (unusual class loader): fall back to the working directory
        }
        c.add(Path.of("gallery"));
        return c;
    }

    /** The gallery folder. */
    public Path dir() {
        return dir;
    }

    /** Every shipped model, in index order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The shipped model called {@code name}. */
    public Optional<Entry> entry(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** Where entry {@code e}'s model file is. */
    public Path path(Entry e) {
        return dir.resolve(e.file());
    }

    /**
     * The model file for {@code --model NAME|FILE}: {@code ref} itself when it is a file, else the shipped
     * model of that name; otherwise an error naming both possibilities.
     */
    public static Path resolve(Path ref) throws IOException {
        return Files.isRegularFile(ref) ? ref : find().resolveIn(ref);
    }

    /** {@link #resolve} against this gallery. */
    Path resolveIn(Path ref) {
        if (Files.isRegularFile(ref)) return ref;
        Gallery g = this;
        Optional<Entry> e = g.entry(ref.toString());
        if (e.isPresent()) return g.path(e.get());
        String names = g.entries().isEmpty() ? "none found" : String.join(", ", g.entries().stream().map(Entry::name).toList());
        throw new IllegalArgumentException("no model file " + ref + ", and no shipped model of that name (shipped: " + names + ")");
    }

    /** SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            DigestInputStream d = (DigestInputStream) in;
            d.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(d.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
