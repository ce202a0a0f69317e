package glassbox.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * CIFAR-10, binary version (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images",
 * https://www.cs.toronto.edu/~kriz/cifar.html): read straight from {@code cifar-10-binary.tar.gz}, or from
 * its extracted {@code cifar-10-batches-bin/} folder.
 *
 * <pre>
 * cifar-10-batches-bin/data_batch_1.bin .. data_batch_5.bin   training split, in this order
 * cifar-10-batches-bin/test_batch.bin                         test split
 * cifar-10-batches-bin/batches.meta.txt                       class names, one per line
 * each .bin: records of 1 label byte + 3072 pixel bytes (1024 R, 1024 G, 1024 B; rows top to bottom)
 * </pre>
 * A record is already one NCHW sample, so it is copied as is. Checked: every expected member is there, each
 * batch is a whole number of records, every label names a class of {@code batches.meta.txt}. Leaves out
 * CIFAR-100 and the Python (pickle) version.
 */
public final class Cifar10 {
    /** Name of the official archive. */
    public static final String ARCHIVE = "cifar-10-binary.tar.gz";
    /** Folder the archive extracts to. */
    public static final String FOLDER = "cifar-10-batches-bin";
    /** Members of the folder that hold class names. */
    public static final String META = "batches.meta.txt";
    public static final int SIDE = 32, CHANNELS = 3, PIXELS = CHANNELS * SIDE * SIDE, RECORD = 1 + PIXELS;

    private Cifar10() {
    }

    /** The batch files of a split, in the order their records are concatenated. */
    public static List<String> batchFiles(Split split) {
        return split == Split.TRAIN
                ? List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin")
                : List.of("test_batch.bin");
    }

    /**
     * Loads a split from {@code path}: the {@code .tar.gz} (or plain {@code .tar}) archive, the extracted
     * {@code cifar-10-batches-bin} folder, or a folder holding that folder.
     */
    public static Dataset load(Path path, Split split) throws IOException {
        if (Files.isDirectory(path)) {
            Path dir = Files.isDirectory(path.resolve(FOLDER)) ? path.resolve(FOLDER) : path;
            return fromFolder(dir, split);
        }
        return fromArchive(path, split);
    }

    /** Reads the split's members from the extracted folder. */
    public static Dataset fromFolder(Path dir, Split split) throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        for (String m : members(split)) {
            Path f = dir.resolve(m);
            if (!Files.isRegularFile(f)) {
                throw new DataFormatException(dir.toString(), -1, "file " + m + " (CIFAR-10 binary version)",
                        "no such file; the folder holds " + listing(dir));
            }
            try (InputStream in = Files.newInputStream(f)) {
                found.put(m, Streams.readExactly(in, Files.size(f), f.toString(), 0, m));
            }
        }
        return assemble(split, found, dir + "/");
    }

    /** Streams through the archive once, keeping the split's members; nothing is written to disk. */
    public static Dataset fromArchive(Path archive, Split split) throws IOException {
        return fromArchive(archive, List.of(split)).get(split);
    }

    /**
     * Both splits in one pass over the archive, which is inflated once instead of twice (inflating is most of
     * the cost of a load).
     */
    public static Map<Split, Dataset> bothFromArchive(Path archive) throws IOException {
        return fromArchive(archive, List.of(Split.TRAIN, Split.TEST));
    }

    private static Map<Split, Dataset> fromArchive(Path archive, List<Split> splits) throws IOException {
        List<String> wanted = new ArrayList<>();
        for (Split sp : splits) {
            for (String m : members(sp)) if (!wanted.contains(m)) wanted.add(m);
        }
        Map<String, byte[]> found = new HashMap<>();
        TreeSet<String> seen = new TreeSet<>();
        String src = archive.toString();
        try (InputStream raw = Files.newInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(Streams.maybeGunzip(raw, src))) {
            TarArchiveEntry e;
            while ((e = nextEntry(tar, src)) != null) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                seen.add(name);
                if (!name.startsWith(FOLDER + "/") || !e.isFile()) continue;
                String member = name.substring(FOLDER.length() + 1);
                if (!wanted.contains(member)) continue;
                String where = src + "!" + name;
                found.put(member, Streams.readExactly(tar, e.getSize(), where, 0, "member data"));
                if (found.size() == wanted.size()) break; // no need to inflate the rest
            }
        } catch (DataFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(src, -1, "a readable tar(.gz) archive", e.getClass().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
        Map<Split, Dataset> out = new java.util.EnumMap<>(Split.class);
        for (Split sp : splits) {
            for (String m : members(sp)) {
                if (!found.containsKey(m)) {
                    throw new DataFormatException(src, -1, "member " + FOLDER + "/" + m,
                            "no such member; the archive holds " + (seen.isEmpty() ? "no members" : seen));
                }
            }
            out.put(sp, assemble(sp, found, src + "!" + FOLDER + "/"));
        }
        return out;
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, String src) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(src, -1, "a tar entry header", "an unreadable one ("
                    + e.getMessage() + "): not a tar archive, or truncated", e);
        }
    }

    private static List<String> members(Split split) {
        List<String> m = new ArrayList<>(batchFiles(split));
        m.add(META);
        return m;
    }

    /** Parses the members (name -> bytes) of one split into a Dataset; {@code prefix} + member names the source. */
    static Dataset assemble(Split split, Map<String, byte[]> members, String prefix) throws DataFormatException {
        List<String> classes = parseMeta(members.get(META), prefix + META);
        long total = 0;
        for (String m : batchFiles(split)) {
            byte[] b = members.get(m);
            if (b.length % RECORD != 0) {
                throw new DataFormatException(prefix + m, (long) (b.length / RECORD) * RECORD,
                        "a whole number of " + RECORD + "-byte records (1 label + 3072 pixels)",
                        b.length + " bytes: " + (b.length / RECORD) + " records and " + (b.length % RECORD) + " bytes left over");
            }
            total += b.length / RECORD;
        }
        if (total * PIXELS > Integer.MAX_VALUE - 16) {
            throw new DataFormatException(prefix, -1, "at most 699050 images", total + " images");
        }
        byte[] pixels = new byte[(int) total * PIXELS];
        byte[] labels = new byte[(int) total];
        int n = 0;
        for (String m : batchFiles(split)) {
            byte[] b = members.get(m);
            for (int r = 0; r < b.length / RECORD; r++, n++) {
                int label = b[r * RECORD] & 0xFF;
                if (label >= classes.size()) {
                    throw new DataFormatException(prefix + m, (long) r * RECORD, "a label in 0.." + (classes.size() - 1)
                            + " (record " + r + ")", "label " + label);
                }
                labels[n] = (byte) label;
                System.arraycopy(b, r * RECORD + 1, pixels, n * PIXELS, PIXELS);
            }
        }
        return new Dataset("cifar10", split.id(), CHANNELS, SIDE, SIDE, pixels, labels, classes);
    }

    /** Class names, one per non-empty line (the official file ends with blank lines). */
    static List<String> parseMeta(byte[] text, String source) throws DataFormatException {
        List<String> names = new ArrayList<>();
        for (String line : new String(text, StandardCharsets.UTF_8).split("\r?\n")) {
            if (!line.isBlank()) names.add(line.strip());
        }
        if (names.size() < 2 || names.size() > 256) {
            throw new DataFormatException(source, -1, "2 to 256 class names, one per line", names.size() + " names");
        }
        return names;
    }

    private static String listing(Path dir) {
        try (var s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().limit(20).toList();
            return names.isEmpty() ? "nothing" : names.toString();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
