package dev.osprey.epp.request;

import java.util.Arrays;

/**
 * The prompt's UTF-8 bytes while a body is scanned, joined into one array once at the end. Long runs of a body chunk
 * are kept as references ({@link #appendShared}) instead of being copied as they arrive, so a large prompt is copied
 * exactly once (into the array {@link #toArray} returns) and no growing buffer is reallocated on the way. Short
 * pieces (escapes, separators, token ids, short runs) are copied into a small local buffer. Not thread-safe.
 */
final class PromptBytes {

    /** Runs shorter than this are copied: a reference would cost more than the bytes. */
    static final int MIN_SHARED = 64;

    private byte[][] arrays = new byte[4][];
    private int[] offsets = new int[4];
    private int[] lengths = new int[4];
    private int segments;
    private int total;
    private byte[] local = new byte[32];
    private int localUsed;

    /** Forgets everything appended. */
    void clear() {
        Arrays.fill(arrays, 0, segments, null);
        segments = 0;
        total = 0;
        localUsed = 0;
    }

    /**
     * Appends {@code len} bytes of {@code b} from {@code off} by reference when the run is long. The caller
     * guarantees that this range of {@code b} never changes until {@link #toArray} (e.g. it is the backing array of
     * an immutable {@code ByteString}).
     */
    void appendShared(byte[] b, int off, int len) {
        if (len < MIN_SHARED) {
            append(b, off, len);
        } else {
            segment(b, off, len);
        }
    }

    /** Appends a copy of {@code len} bytes of {@code b} from {@code off}. */
    void append(byte[] b, int off, int len) {
        int at = reserve(len);
        System.arraycopy(b, off, local, at, len);
        segment(local, at, len);
    }

    /** Appends one byte. */
    void append(byte value) {
        int at = reserve(1);
        local[at] = value;
        segment(local, at, 1);
    }

    /** Appends the characters of {@code ascii}, each as one byte. */
    void appendAscii(String ascii) {
        int at = reserve(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            local[at + i] = (byte) ascii.charAt(i);
        }
        segment(local, at, ascii.length());
    }

    /** Bytes appended so far. */
    int length() {
        return total;
    }

    /** All bytes appended, in order, in a new array of exactly {@link #length()} bytes. */
    byte[] toArray() {
        byte[] out = new byte[total];
        int at = 0;
        for (int i = 0; i < segments; i++) {
            System.arraycopy(arrays[i], offsets[i], out, at, lengths[i]);
            at += lengths[i];
        }
        return out;
    }

    /**
     * Room for {@code len} more bytes in the local buffer; returns where they go. A full buffer is replaced by a
     * larger one, never written over: segments recorded earlier keep pointing at the old one.
     */
    private int reserve(int len) {
        if (localUsed + len > local.length) {
            local = Arrays.copyOf(local, Math.max(local.length * 2, localUsed + len));
        }
        int at = localUsed;
        localUsed += len;
        return at;
    }

    /** Records a segment, extending the last one when the new bytes follow it in the same array. */
    private void segment(byte[] b, int off, int len) {
        total += len;
        int last = segments - 1;
        if (last >= 0 && arrays[last] == b && offsets[last] + lengths[last] == off) {
            lengths[last] += len;
            return;
        }
        if (segments == arrays.length) {
            arrays = Arrays.copyOf(arrays, segments * 2);
            offsets = Arrays.copyOf(offsets, segments * 2);
            lengths = Arrays.copyOf(lengths, segments * 2);
        }
        arrays[segments] = b;
        offsets[segments] = off;
        lengths[segments] = len;
        segments++;
    }
}
