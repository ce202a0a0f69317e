package glassbox.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Byte plumbing shared by the parsers: open a file that may or may not be gzip-compressed (decided by its
 * first two bytes, not its name), and read an exact number of bytes, turning every short read or gzip
 * failure into a {@link DataFormatException} that says how far the data went.
 *
 * <p>Leaves out memory mapping: the data sets are small enough to read once into heap arrays.
 */
final class Streams {
    private static final int BUFFER = 1 << 16;

    private Streams() {
    }

    /** Opens {@code file}, decompressing on the fly when it starts with the gzip magic 1f 8b. */
    static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            return maybeGunzip(raw, file.toString());
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /** Wraps {@code raw} in a gzip decoder when it starts with the gzip magic 1f 8b. */
    static InputStream maybeGunzip(InputStream raw, String source) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        if (b0 != 0x1f || b1 != 0x8b) return in;
        try {
            return new GZIPInputStream(in, BUFFER);
        } catch (EOFException e) {
            throw new DataFormatException(source, 0, "a complete gzip header", "end of file inside it (file truncated)", e);
        } catch (ZipException e) {
            throw new DataFormatException(source, 0, "a valid gzip header", "a damaged one (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads exactly {@code n} bytes. The array grows as data arrives, so a corrupt header that promises
     * gigabytes fails on the first missing byte instead of allocating them up front.
     *
     * @param source name for messages; {@code start} is the offset of the first byte in the whole stream
     * @param what   what the bytes are, for the message ("60000 images of 28x28")
     */
    static byte[] readExactly(InputStream in, long n, String source, long start, String what) throws IOException {
        if (n > Integer.MAX_VALUE - 16) {
            throw new DataFormatException(source, start, "at most 2 GB of data", what + " (" + n + " bytes)");
        }
        byte[] buf = new byte[(int) Math.min(n, 1 << 22)];
        int got = 0;
        try {
            while (got < n) {
                if (got == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
                int r = in.read(buf, got, buf.length - got);
                if (r < 0) break;
                got += r;
            }
        } catch (EOFException e) {
            // GZIPInputStream: "Unexpected end of ZLIB input stream" -> same as a short file, reported below.
        } catch (ZipException e) {
            throw new DataFormatException(source, start + got, "valid gzip data (" + what + ")",
                    "corrupt compressed data: " + e.getMessage(), e);
        }
        if (got < n) {
            throw new DataFormatException(source, start + got, what + ", " + n + " bytes from byte " + start,
                    "end of data after " + got + " of them (file truncated)");
        }
        return buf;
    }

    /** Checks that nothing follows the expected data. */
    static void expectEnd(InputStream in, String source, long offset) throws IOException {
        int b;
        try {
            b = in.read();
        } catch (EOFException e) {
            // A gzip stream cut inside its 8-byte trailer: the payload is complete but the file is damaged.
            throw new DataFormatException(source, offset, "the gzip trailer (CRC and size)", "end of file");
        } catch (ZipException e) {
            throw new DataFormatException(source, offset, "end of data", "corrupt compressed data: " + e.getMessage(), e);
        }
        if (b >= 0) {
            throw new DataFormatException(source, offset, "end of data", "more bytes (trailing data or wrong header)");
        }
    }

    /** Big-endian unsigned 32-bit integer at {@code off}. */
    static long u32(byte[] b, int off) {
        return ((b[off] & 0xFFL) << 24) | ((b[off + 1] & 0xFFL) << 16) | ((b[off + 2] & 0xFFL) << 8) | (b[off + 3] & 0xFFL);
    }
}
