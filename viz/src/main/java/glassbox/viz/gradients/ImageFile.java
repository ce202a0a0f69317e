package glassbox.viz.gradients;

import glassbox.data.Dataset;
import glassbox.viz.activations.Inputs;
import glassbox.viz.render.Raster;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * A user's own picture (PNG, JPEG, BMP, GIF via ImageIO) as a one-image data set of the model's input
 * size, so it is normalized exactly like training data ({@code Inputs.normalized}).
 *
 * <p>The header is read first: a file larger than {@link #MAX_BYTES}, or whose header declares more than
 * {@link #MAX_PIXELS} pixels or a side above {@link #MAX_SIDE} (a decompression bomb: a few KB that
 * decode to gigabytes) is refused before decoding. Resizing: bilinear with Java2D, in steps of at most
 * halving (so large pictures are averaged, not aliased), then converted to luma (ITU-R BT.601) for one
 * channel. Leaves out aspect-ratio preservation: the picture is stretched to H x W.
 */
public final class ImageFile {
    public static final long MAX_BYTES = 64L << 20;
    public static final long MAX_PIXELS = 40_000_000L;
    public static final int MAX_SIDE = 20_000;

    private ImageFile() {
    }

    /** Reads {@code file} as a [channels, h, w] one-image data set with the given class names (label unknown). */
    public static Dataset load(Path file, int channels, int h, int w, List<String> classNames) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no image file " + file);
        try {
            long bytes = Files.size(file);
            if (bytes > MAX_BYTES) throw new IllegalArgumentException(file + " is " + (bytes >> 20) + " MB; images above " + (MAX_BYTES >> 20) + " MB are refused");
            try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
                return decode(in, file.toString(), file.getFileName().toString(), channels, h, w, classNames);
            }
        } catch (IOException | RuntimeException e) {
            throw refusal(file.toString(), e);
        }
    }

    /**
     * The same as {@link #load(Path, int, int, int, List)} for a picture held in memory (an upload), with the
     * same checks; nothing is written to disk. {@code name} names the picture in messages.
     */
    public static Dataset load(byte[] picture, String name, int channels, int h, int w, List<String> classNames) {
        if (picture.length > MAX_BYTES) throw new IllegalArgumentException(name + " is " + (picture.length >> 20) + " MB; images above " + (MAX_BYTES >> 20) + " MB are refused");
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(picture))) {
            return decode(in, name, name, channels, h, w, classNames);
        } catch (IOException | RuntimeException e) {
            throw refusal(name, e);
        }
    }

    /** Header check (size, pixel count), decode, resize: the part shared by files and uploads. */
    private static Dataset decode(ImageInputStream in, String what, String name, int channels, int h, int w,
                                  List<String> classNames) throws IOException {
        BufferedImage img;
        Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
        if (readers == null || !readers.hasNext()) {
            throw new IllegalArgumentException(what + " is not an image this JDK can read (PNG, JPEG, BMP, GIF)");
        }
        ImageReader r = readers.next();
        try {
            r.setInput(in, true, true);
            long iw = r.getWidth(0), ih = r.getHeight(0);
            if (iw < 1 || ih < 1 || iw > MAX_SIDE || ih > MAX_SIDE || iw * ih > MAX_PIXELS) {
                throw new IllegalArgumentException(what + " declares " + iw + "x" + ih + " pixels; refused (at most "
                        + MAX_SIDE + " per side and " + MAX_PIXELS / 1_000_000 + " million pixels)");
            }
            img = r.read(0);
        } finally {
            r.dispose();
        }
        return Inputs.fromPicture(Raster.of(resize(img, w, h)), name, channels, h, w, classNames);
    }

    private static IllegalArgumentException refusal(String what, Exception e) {
        if (e instanceof IllegalArgumentException iae) return iae;
        return new IllegalArgumentException("cannot read image " + what + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
    }

    /** Bilinear resize to w x h, halving at most per step when shrinking. */
    static BufferedImage resize(BufferedImage img, int w, int h) {
        BufferedImage cur = toRgb(img);
        while (cur.getWidth() != w || cur.getHeight() != h) {
            int nw = cur.getWidth() > w ? Math.max(w, cur.getWidth() / 2) : w;
            int nh = cur.getHeight() > h ? Math.max(h, cur.getHeight() / 2) : h;
            BufferedImage next = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
            var g = next.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(cur, 0, 0, nw, nh, null);
            g.dispose();
            cur = next;
        }
        return cur;
    }

    private static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) return img;
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = rgb.createGraphics();
        g.drawImage(img, 0, 0, java.awt.Color.WHITE, null); // transparent pixels become white
        g.dispose();
        return rgb;
    }
}
