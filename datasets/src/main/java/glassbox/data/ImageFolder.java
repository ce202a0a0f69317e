package glassbox.data;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Your own pictures as a data set: one sub-folder per class, PNG or JPEG files inside.
 *
 * <pre>
 * pets/cat/001.jpg  pets/cat/002.png  pets/dog/001.jpg ...        one folder: the training split only
 * pets/train/cat/...  pets/train/dog/...  pets/test/cat/...      or train/ and test/ with the same classes
 * </pre>
 * Classes are the sub-folder names in alphabetical order; files are read in alphabetical order. Every image
 * is converted to the requested channels (gray = 0.299 R + 0.587 G + 0.114 B; transparency over white) and,
 * when its size differs, scaled (bilinear) to the requested size or rejected with a message, as
 * {@link Options#resize()} says. A file that is not a readable PNG/JPEG is an error naming it, never skipped
 * silently (hidden files such as {@code .DS_Store} are ignored). Leaves out aspect-preserving crops.
 */
public final class ImageFolder {
    private ImageFolder() {
    }

    /**
     * @param channels 1 (gray) or 3 (RGB)
     * @param height   image height after loading
     * @param width    image width after loading
     * @param resize   true: scale images of another size; false: reject them
     */
    public record Options(int channels, int height, int width, boolean resize) {
        public Options {
            if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
            if (height < 1 || width < 1 || height > 4096 || width > 4096) {
                throw new IllegalArgumentException("image size must be 1..4096, got " + height + "x" + width);
            }
        }

        /** 3 channels, 32x32 (CIFAR-10's shape), resizing on. */
        public static Options defaults() {
            return new Options(3, 32, 32, true);
        }
    }

    /** Loads split {@code split} of the image folder at {@code root}. */
    public static Dataset load(Path root, Split split, Options o) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new DataFormatException(root.toString(), -1, "a folder with one sub-folder per class", "no such folder");
        }
        boolean split2 = Files.isDirectory(root.resolve("train")) && Files.isDirectory(root.resolve("test"));
        Path dir;
        if (split2) dir = root.resolve(split.id());
        else if (split == Split.TRAIN) dir = root;
        else {
            throw new DataFormatException(root.toString(), -1, "train/ and test/ sub-folders for a test split",
                    "one folder of classes only (it is the training split; hold out samples with Dataset.subset)");
        }
        List<String> classes = classFolders(split2 ? root.resolve("train") : root);
        if (split2) {
            List<String> here = classFolders(dir);
            for (String c : here) {
                if (!classes.contains(c)) {
                    throw new DataFormatException(dir.resolve(c).toString(), -1, "a class also in train/ " + classes,
                            "class '" + c + "' only in test/");
                }
            }
        }
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        for (int k = 0; k < classes.size(); k++) {
            Path cdir = dir.resolve(classes.get(k));
            if (!Files.isDirectory(cdir)) continue; // a class with no test images
            for (Path f : list(cdir, false)) {
                pixels.write(readImage(f, o));
                labels.write(k);
            }
        }
        if (labels.size() == 0) {
            throw new DataFormatException(dir.toString(), -1, "at least one PNG or JPEG image", "none");
        }
        return new Dataset("folder:" + root.getFileName(), split.id(), o.channels(), o.height(), o.width(),
                pixels.toByteArray(), labels.toByteArray(), classes);
    }

    private static List<String> classFolders(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path p : list(dir, true)) names.add(p.getFileName().toString());
        if (names.isEmpty()) {
            throw new DataFormatException(dir.toString(), -1, "one sub-folder per class", "no sub-folders");
        }
        if (names.size() > 256) throw new DataFormatException(dir.toString(), -1, "at most 256 classes", names.size() + " sub-folders");
        return names;
    }

    private static List<Path> list(Path dir, boolean dirs) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isDirectory(p) == dirs).sorted().toList();
        }
    }

    /** One image as C*H*W bytes (channel-major). */
    static byte[] readImage(Path f, Options o) throws IOException {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!(n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"))) {
            throw new DataFormatException(f.toString(), -1, "a .png, .jpg or .jpeg image", "a file of another kind"
                    + " (convert it or move it out of the folder)");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(f.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(f.toString(), -1, "a readable PNG or JPEG image", "undecodable data ("
                    + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new DataFormatException(f.toString(), -1, "a readable PNG or JPEG image", "data no image reader accepts");
        }
        if (img.getHeight() != o.height() || img.getWidth() != o.width()) {
            if (!o.resize()) {
                throw new DataFormatException(f.toString(), -1, o.height() + "x" + o.width() + " pixels (height x width)",
                        img.getHeight() + "x" + img.getWidth() + " (turn resizing on to scale it)");
            }
        }
        BufferedImage rgb = new BufferedImage(o.width(), o.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, o.width(), o.height());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, o.width(), o.height(), null);
        g.dispose();
        int plane = o.height() * o.width();
        byte[] out = new byte[o.channels() * plane];
        for (int y = 0; y < o.height(); y++) {
            for (int x = 0; x < o.width(); x++) {
                int p = rgb.getRGB(x, y), r = (p >> 16) & 0xFF, gr = (p >> 8) & 0xFF, b = p & 0xFF;
                int k = y * o.width() + x;
                if (o.channels() == 1) {
                    out[k] = (byte) Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
                } else {
                    out[k] = (byte) r;
                    out[plane + k] = (byte) gr;
                    out[2 * plane + k] = (byte) b;
                }
            }
        }
        return out;
    }
}
