package dev.osprey.collector.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Byte-level helpers over a page: number parsing and label-value decoding without intermediate strings. */
final class PageBytes {

    /** Reads eight page bytes at once as a little-endian long (first byte in the low bits). */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private PageBytes() {
    }

    /**
     * The number in {@code page[from, to)}: Prometheus floats including {@code NaN}, {@code +Inf}, {@code -Inf}.
     * Simple decimals are converted exactly without allocating; anything else falls back to
     * {@link Double#parseDouble}. Text that is not a number gives {@code NaN}.
     */
    static double parseDouble(byte[] page, int from, int to) {
        int p = from;
        if (p >= to) {
            return Double.NaN;
        }
        boolean negative = false;
        if (page[p] == '-' || page[p] == '+') {
            negative = page[p] == '-';
            p++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean any = false;
        while (p < to && page[p] >= '0' && page[p] <= '9') {
            if (digits < 18) {
                mantissa = mantissa * 10 + (page[p] - '0');
                if (mantissa != 0) {
                    digits++;
                }
            } else {
                scale++;
            }
            any = true;
            p++;
        }
        if (p < to && page[p] == '.') {
            p++;
            while (p < to && page[p] >= '0' && page[p] <= '9') {
                if (digits < 18) {
                    mantissa = mantissa * 10 + (page[p] - '0');
                    if (mantissa != 0) {
                        digits++;
                    }
                    scale--;
                }
                any = true;
                p++;
            }
        }
        if (!any) {
            return special(page, from, to);
        }
        if (p < to && (page[p] == 'e' || page[p] == 'E')) {
            p++;
            boolean negativeExponent = false;
            if (p < to && (page[p] == '-' || page[p] == '+')) {
                negativeExponent = page[p] == '-';
                p++;
            }
            int exponent = 0;
            int exponentDigits = 0;
            while (p < to && page[p] >= '0' && page[p] <= '9' && exponentDigits < 6) {
                exponent = exponent * 10 + (page[p] - '0');
                exponentDigits++;
                p++;
            }
            if (exponentDigits == 0) {
                return Double.NaN;
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        if (p != to) {
            return Double.NaN;
        }
        double result;
        if (mantissa == 0) {
            result = 0.0;
        } else if (scale == 0) {
            result = mantissa;
        } else if (scale > 0 && scale <= 22 && mantissa < (1L << 53)) {
            result = mantissa * POWERS_OF_TEN[scale];
        } else if (scale < 0 && scale >= -22 && mantissa < (1L << 53)) {
            result = mantissa / POWERS_OF_TEN[-scale];
        } else {
            return slow(page, from, to);
        }
        return negative ? -result : result;
    }

    private static double special(byte[] page, int from, int to) {
        String text = new String(page, from, to - from, StandardCharsets.US_ASCII);
        return switch (text) {
            case "+Inf", "Inf", "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.NaN;
        };
    }

    private static double slow(byte[] page, int from, int to) {
        try {
            return Double.parseDouble(new String(page, from, to - from, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * The index of the first {@code '\n'} in {@code page[from, to)}, or {@code to} when there is none. Scans eight
     * bytes per step (SWAR: a byte equal to the newline becomes zero after the XOR, and the classic has-zero-byte
     * test flags it; the lowest flagged byte is always a true match), so skipping a line costs about a memory scan.
     */
    static int indexOfNewline(byte[] page, int from, int to) {
        int i = from;
        for (; i <= to - 2 * Long.BYTES; i += 2 * Long.BYTES) {
            long first = (long) LONGS.get(page, i) ^ NEWLINES;
            long second = (long) LONGS.get(page, i + Long.BYTES) ^ NEWLINES;
            long foundFirst = (first - ONES) & ~first & HIGH_BITS;
            long foundSecond = (second - ONES) & ~second & HIGH_BITS;
            if ((foundFirst | foundSecond) != 0) {
                return foundFirst != 0 ? i + (Long.numberOfTrailingZeros(foundFirst) >>> 3)
                        : i + Long.BYTES + (Long.numberOfTrailingZeros(foundSecond) >>> 3);
            }
        }
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long word = (long) LONGS.get(page, i) ^ NEWLINES;
            long found = (word - ONES) & ~word & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (page[i] == '\n') {
                return i;
            }
        }
        return to;
    }

    /** Whether {@code page[from, from + length)} equals {@code expected}. */
    static boolean equalsAt(byte[] page, int from, int length, byte[] expected) {
        if (length != expected.length) {
            return false;
        }
        for (int i = length - 1; i >= 0; i--) {
            if (page[from + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** A label value in {@code page[from, to)} with Prometheus escapes ({@code \\ \" \n}) resolved. */
    static String labelValue(byte[] page, int from, int to) {
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            if (page[i] == '\\') {
                escaped = true;
                break;
            }
        }
        if (!escaped) {
            return new String(page, from, to - from, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = page[i];
            if (b == '\\' && i + 1 < to) {
                byte next = page[++i];
                out[n++] = next == 'n' ? (byte) '\n' : next;
            } else {
                out[n++] = b;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
