package glassbox.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal Protocol Buffers encoder: just enough of the wire format to write an ONNX model, so the
 * engine needs no protobuf library or generated classes.
 *
 * <p>The wire format (https://protobuf.dev/programming-guides/encoding/): a message is a sequence of
 * fields, each a key {@code (field_number << 3) | wire_type} written as a varint, then the value:
 * <ul>
 *   <li>wire type 0 (VARINT): integers as base-128 varints, 7 bits a byte, low bits first, the top bit
 *       of each byte saying "more follows"; negative int64 values take 10 bytes (two's complement);</li>
 *   <li>wire type 2 (LEN): a varint length, then that many bytes: strings (UTF-8), raw bytes and nested
 *       messages;</li>
 *   <li>wire type 5 (I32): a 4-byte little-endian value, used for {@code float}.</li>
 * </ul>
 * Repeated fields are written one key-value pair per element (the unpacked form, which every parser
 * accepts). Leaves out decoding, groups, fixed64 and packed encoding.
 */
public final class Protobuf {
    private static final int VARINT = 0, LEN = 2, I32 = 5;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Appends an integer field (int32, int64, enum, bool as 0/1). */
    public Protobuf int64(int field, long v) {
        key(field, VARINT);
        varint(v);
        return this;
    }

    /** Appends a float field. */
    public Protobuf float32(int field, float v) {
        key(field, I32);
        int bits = Float.floatToIntBits(v);
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
        return this;
    }

    /** Appends a string field (UTF-8). */
    public Protobuf string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends a bytes field. */
    public Protobuf bytes(int field, byte[] b) {
        key(field, LEN);
        varint(b.length);
        out.writeBytes(b);
        return this;
    }

    /** Appends a nested message. */
    public Protobuf message(int field, Protobuf m) {
        return bytes(field, m.toByteArray());
    }

    /** Appends the fields of another message: protobuf messages concatenate, so this merges the two. */
    public Protobuf append(Protobuf fields) {
        out.writeBytes(fields.toByteArray());
        return this;
    }

    /** The encoded message. */
    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) { // unsigned: a negative value runs to 10 bytes
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
