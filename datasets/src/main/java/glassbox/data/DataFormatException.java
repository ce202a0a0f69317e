package glassbox.data;

import java.io.IOException;

/**
 * A data file is not what its format promises: wrong magic number, truncated, inconsistent counts, a label
 * out of range, a missing archive member, an unreadable image.
 *
 * <p>The message always names the file (and the archive member, if any), where the problem is (a byte
 * offset when there is one), what was expected and what was found, e.g.
 * {@code train-images-idx3-ubyte.gz, byte 0: expected IDX magic 0x00000803 (images), found 0x00000801}.
 */
public class DataFormatException extends IOException {
    private final String file;
    private final long offset;

    /**
     * @param file     the file, or {@code archive!member} for a member of an archive
     * @param offset   byte offset of the problem (in the uncompressed stream for gzip files), or -1 if none
     * @param expected what the format requires there
     * @param found    what the file holds instead
     */
    public DataFormatException(String file, long offset, String expected, String found) {
        this(file, offset, expected, found, null);
    }

    /** The same, keeping the low-level exception (gzip, tar, image decoder) as the cause. */
    public DataFormatException(String file, long offset, String expected, String found, Throwable cause) {
        super(file + (offset >= 0 ? ", byte " + offset : "") + ": expected " + expected + ", found " + found, cause);
        this.file = file;
        this.offset = offset;
    }

    /** The file (or {@code archive!member}) at fault. */
    public String file() {
        return file;
    }

    /** Byte offset of the problem, -1 if the problem has no single place. */
    public long offset() {
        return offset;
    }
}
