package dev.osprey.aggregator.topology;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer that writes Avro's binary encoding of primitives (zig-zag varints, little-endian doubles,
 * length-prefixed UTF-8 strings). Not thread-safe; reused between records by its owner.
 */
final class AvroBinary {

    private byte[] buffer = new byte[1024];
    private int length;

    void reset() {
        length = 0;
    }

    /** A copy of what was written since the last {@link #reset}. */
    byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    void writeByte(int b) {
        ensure(1);
        buffer[length++] = (byte) b;
    }

    void writeBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    /** Avro int or long (also enum indexes, union branches and block counts). */
    void writeLong(long value) {
        ensure(10);
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            buffer[length++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        buffer[length++] = (byte) n;
    }

    void writeDouble(double value) {
        ensure(8);
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 0; i < 8; i++) {
            buffer[length++] = (byte) (bits >>> (8 * i));
        }
    }

    void writeString(String value) {
        writeUtf8(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A string already encoded as UTF-8. */
    void writeUtf8(byte[] utf8) {
        writeLong(utf8.length);
        writeBytes(utf8);
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
