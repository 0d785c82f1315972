package dev.osprey.epp.request;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A push tokenizer for one JSON object (RFC 8259, as Jackson reads it by default) fed in byte chunks of any size,
 * in one linear pass: each byte is looked at once, whatever the chunk boundaries, and nothing is buffered but the
 * few bytes of an escape. Validates the grammar (numbers, literals, escapes, UTF-8 structure, unescaped control
 * characters, nesting depth at most {@value #MAX_DEPTH}) and reports tokens to an {@link Events} receiver; string
 * contents are reported as unescaped UTF-8 byte runs, never decoded to characters; runs of plain ASCII are
 * skipped sixteen bytes at a time. The document must be a single
 * object: another first value is reported as {@link #NOT_AN_OBJECT}, anything after it as {@link #NOT_SINGLE}.
 * Confined to one body; not thread-safe.
 */
final class JsonTokenizer {

    static final String NOT_AN_OBJECT = "request body is not a JSON object";
    static final String NOT_SINGLE = "request body is not a single JSON object";
    static final String MALFORMED = "malformed JSON in request body: ";
    static final int MAX_DEPTH = 1000;

    /** Literal kinds passed to {@link Events#literal}. */
    static final int TRUE = 0;
    static final int FALSE = 1;
    static final int NULL = 2;

    /** What the tokenizer found, in document order. Offsets count bytes from the start of the body. */
    interface Events {
        void startObject();

        void endObject();

        void startArray();

        void endArray();

        /** A string starts; {@code offset} is that of its opening quote. */
        void stringStart(boolean key, long offset);

        /** Unescaped UTF-8 content of the current string; {@code utf16Units} is its length in Java chars. */
        void stringBytes(byte[] b, int off, int len, int utf16Units);

        /** The current string ends; {@code offsetAfter} is just after its closing quote. */
        void stringEnd(boolean key, long offsetAfter);

        /** A number; for an integer {@code value} holds it unless {@code overflow} (outside the long range). */
        void number(boolean integer, long value, boolean overflow);

        void literal(int kind);
    }

    private static final byte[][] LITERALS = {"true".getBytes(), "false".getBytes(), "null".getBytes()};
    private static final long MIN_DIV_10 = Long.MIN_VALUE / 10;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_SEVEN_BITS = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH_BITS = 0x8080808080808080L;

    // Grammar states.
    private static final int VALUE = 0;
    private static final int KEY_OR_END = 1;
    private static final int KEY = 2;
    private static final int COLON = 3;
    private static final int COMMA_OR_END = 4;
    private static final int VALUE_OR_END = 5;
    private static final int DONE = 6;
    // Token in progress (may span chunks).
    private static final int NONE = 0;
    private static final int STRING = 1;
    private static final int NUMBER = 2;
    private static final int LITERAL = 3;
    // Number states.
    private static final int N_SIGN = 0;
    private static final int N_ZERO = 1;
    private static final int N_INT = 2;
    private static final int N_DOT = 3;
    private static final int N_FRAC = 4;
    private static final int N_EXP = 5;
    private static final int N_EXP_SIGN = 6;
    private static final int N_EXP_DIGITS = 7;

    private final Events events;
    private final byte[] scratch = new byte[4];
    private boolean[] objectAt = new boolean[16];
    private int depth;
    private int state = VALUE;
    private int token = NONE;
    private long base;
    private int chunkOff;
    private boolean seenAny;
    private String error;
    // String state.
    private boolean key;
    private int escape;
    private int hex;
    private int hexDigits;
    private int highSurrogate = -1;
    private int utf8Remaining;
    // Number state.
    private int numberState;
    private boolean negative;
    private long acc;
    private boolean overflow;
    // Literal state.
    private int literalKind;
    private int literalIndex;

    JsonTokenizer(Events events) {
        this.events = events;
    }

    /** Tokenizes the next {@code len} bytes of the body. */
    void accept(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        chunkOff = off;
        while (i < end && error == null) {
            switch (token) {
                case STRING -> i = string(b, i, end);
                case NUMBER -> i = number(b, i, end);
                case LITERAL -> i = literal(b, i, end);
                default -> i = structural(b, i, end);
            }
        }
        base += len;
    }

    /** The error after the whole body was fed, or null when the body was one well-formed JSON object. */
    String finish() {
        if (error != null) {
            return error;
        }
        if (!seenAny) {
            return NOT_AN_OBJECT;
        }
        return state == DONE ? null : MALFORMED + "unexpected end of input";
    }

    private long position(int i) {
        return base + (i - chunkOff);
    }

    private int fail(String message, int end) {
        if (error == null) {
            error = message;
        }
        return end;
    }

    private int structural(byte[] b, int i, int end) {
        while (i < end) {
            int c = b[i];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                i++;
                continue;
            }
            seenAny = true;
            switch (state) {
                case VALUE, VALUE_OR_END -> {
                    if (c == ']' && state == VALUE_OR_END) {
                        return close(false, i, end);
                    }
                    return value(b, c, i, end);
                }
                case KEY_OR_END, KEY -> {
                    if (c == '"') {
                        return startString(true, i);
                    }
                    if (c == '}' && state == KEY_OR_END) {
                        return close(true, i, end);
                    }
                    return fail(MALFORMED + "expected a field name", end);
                }
                case COLON -> {
                    if (c != ':') {
                        return fail(MALFORMED + "expected ':' after a field name", end);
                    }
                    state = VALUE;
                    i++;
                }
                case COMMA_OR_END -> {
                    boolean object = objectAt[depth - 1];
                    if (c == ',') {
                        state = object ? KEY : VALUE;
                        i++;
                    } else if (c == (object ? '}' : ']')) {
                        return close(object, i, end);
                    } else {
                        return fail(MALFORMED + "expected ',' or " + (object ? "'}'" : "']'"), end);
                    }
                }
                default -> {
                    return fail(NOT_SINGLE, end);
                }
            }
        }
        return i;
    }

    private int value(byte[] b, int c, int i, int end) {
        if (depth == 0 && c != '{') {
            boolean valueStart = c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f'
                    || c == 'n';
            return fail(valueStart ? NOT_AN_OBJECT : MALFORMED + "unexpected character", end);
        }
        if (c == '{' || c == '[') {
            if (depth == MAX_DEPTH) {
                return fail(MALFORMED + "nesting deeper than " + MAX_DEPTH, end);
            }
            if (depth == objectAt.length) {
                objectAt = java.util.Arrays.copyOf(objectAt, depth * 2);
            }
            boolean object = c == '{';
            objectAt[depth++] = object;
            state = object ? KEY_OR_END : VALUE_OR_END;
            if (object) {
                events.startObject();
            } else {
                events.startArray();
            }
            return i + 1;
        }
        if (c == '"') {
            return startString(false, i);
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            token = NUMBER;
            negative = c == '-';
            acc = 0;
            overflow = false;
            numberState = N_SIGN;
            return negative ? i + 1 : i;
        }
        int kind = c == 't' ? TRUE : c == 'f' ? FALSE : c == 'n' ? NULL : -1;
        if (kind < 0) {
            return fail(MALFORMED + "unexpected character", end);
        }
        token = LITERAL;
        literalKind = kind;
        literalIndex = 0;
        return i;
    }

    private int close(boolean object, int i, int end) {
        depth--;
        if (object) {
            events.endObject();
        } else {
            events.endArray();
        }
        valueDone();
        return i + 1;
    }

    private void valueDone() {
        state = depth == 0 ? DONE : COMMA_OR_END;
    }

    private int startString(boolean isKey, int i) {
        token = STRING;
        key = isKey;
        escape = 0;
        highSurrogate = -1;
        utf8Remaining = 0;
        events.stringStart(isKey, position(i));
        return i + 1;
    }

    private int string(byte[] b, int i, int end) {
        while (i < end) {
            if (escape > 0) {
                i = escape(b[i], i, end);
                continue;
            }
            if (highSurrogate >= 0 && b[i] != '\\') {
                emitUnit('?');
                highSurrogate = -1;
            }
            int run = i;
            int units = 0;
            int rem = utf8Remaining;
            while (i < end) {
                if (rem == 0) {
                    int plain = skipPlainAscii(b, i, end);
                    units += plain - i;
                    i = plain;
                    if (i == end) {
                        break;
                    }
                }
                int c = b[i];
                if (rem > 0) {
                    if ((c & 0xC0) != 0x80) {
                        return fail(MALFORMED + "invalid UTF-8 continuation byte", end);
                    }
                    rem--;
                } else if (c >= 0x20) {
                    if (c == '"' || c == '\\') {
                        break;
                    }
                    units++;
                } else if (c < 0) {
                    if ((c & 0xE0) == 0xC0) {
                        rem = 1;
                        units++;
                    } else if ((c & 0xF0) == 0xE0) {
                        rem = 2;
                        units++;
                    } else if ((c & 0xF8) == 0xF0) {
                        rem = 3;
                        units += 2;
                    } else {
                        return fail(MALFORMED + "invalid UTF-8 start byte", end);
                    }
                } else {
                    return fail(MALFORMED + "unescaped control character in a string", end);
                }
                i++;
            }
            utf8Remaining = rem;
            if (i > run) {
                events.stringBytes(b, run, i - run, units);
            }
            if (i == end) {
                return i;
            }
            if (b[i] == '\\') {
                escape = 1;
                i++;
            } else {
                token = NONE;
                events.stringEnd(key, position(i) + 1);
                if (key) {
                    state = COLON;
                } else {
                    valueDone();
                }
                return i + 1;
            }
        }
        return i;
    }

    /**
     * The index of the first byte from {@code i} that is not printable ASCII other than quote and backslash, or of
     * the last fewer-than-eight bytes before {@code end} (left to the byte-by-byte path). Tests sixteen bytes per
     * step as two little-endian words at once (SWAR) and jumps straight to the first special byte of a word.
     */
    private static int skipPlainAscii(byte[] b, int i, int end) {
        for (; i + 16 <= end; i += 16) {
            long first = plain((long) LONGS.get(b, i));
            long second = plain((long) LONGS.get(b, i + 8));
            if ((first & second) != HIGH_BITS) {
                return first != HIGH_BITS ? i + firstSpecial(first) : i + 8 + firstSpecial(second);
            }
        }
        if (i + 8 <= end) {
            long word = plain((long) LONGS.get(b, i));
            return word != HIGH_BITS ? i + firstSpecial(word) : i + 8;
        }
        return i;
    }

    /**
     * The high bit of each byte of {@code w} set exactly when that byte is printable ASCII other than quote and
     * backslash. Exact per byte: the sums run on the low seven bits, so no carry crosses into the next byte.
     */
    private static long plain(long w) {
        long low = w & ~HIGH_BITS;
        long atLeastSpace = low + 0x6060606060606060L;
        long notQuote = (low ^ 0x2222222222222222L) + LOW_SEVEN_BITS;
        long notBackslash = (low ^ 0x5C5C5C5C5C5C5C5CL) + LOW_SEVEN_BITS;
        return atLeastSpace & notQuote & notBackslash & ~w & HIGH_BITS;
    }

    /** The position in its word (little-endian) of the first byte {@link #plain} did not mark. */
    private static int firstSpecial(long plain) {
        return Long.numberOfTrailingZeros(~plain & HIGH_BITS) >>> 3;
    }

    /** One byte of an escape sequence ({@code escape} 1: after the backslash, 2: in the hex digits of \\u). */
    private int escape(int c, int i, int end) {
        if (escape == 1) {
            if (c == 'u') {
                escape = 2;
                hex = 0;
                hexDigits = 0;
                return i + 1;
            }
            int unit = switch (c) {
                case '"', '\\', '/' -> c;
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                default -> -1;
            };
            if (unit < 0) {
                return fail(MALFORMED + "unrecognized escape in a string", end);
            }
            lonelyHighSurrogate();
            emitUnit(unit);
            escape = 0;
            return i + 1;
        }
        int digit = Character.digit(c, 16);
        if (digit < 0) {
            return fail(MALFORMED + "bad \\u escape in a string", end);
        }
        hex = hex << 4 | digit;
        if (++hexDigits == 4) {
            escape = 0;
            unit(hex);
        }
        return i + 1;
    }

    /** A \\u unit: surrogate pairs become one code point, lone surrogates '?' (as Java's UTF-8 encoder does). */
    private void unit(int u) {
        if (Character.isHighSurrogate((char) u)) {
            lonelyHighSurrogate();
            highSurrogate = u;
        } else if (Character.isLowSurrogate((char) u) && highSurrogate >= 0) {
            int cp = Character.toCodePoint((char) highSurrogate, (char) u);
            highSurrogate = -1;
            scratch[0] = (byte) (0xF0 | cp >> 18);
            scratch[1] = (byte) (0x80 | (cp >> 12 & 0x3F));
            scratch[2] = (byte) (0x80 | (cp >> 6 & 0x3F));
            scratch[3] = (byte) (0x80 | (cp & 0x3F));
            events.stringBytes(scratch, 0, 4, 2);
        } else {
            lonelyHighSurrogate();
            emitUnit(Character.isSurrogate((char) u) ? '?' : u);
        }
    }

    private void lonelyHighSurrogate() {
        if (highSurrogate >= 0) {
            highSurrogate = -1;
            emitUnit('?');
        }
    }

    /** One UTF-16 unit that is not a surrogate, as UTF-8. */
    private void emitUnit(int u) {
        int n;
        if (u < 0x80) {
            scratch[0] = (byte) u;
            n = 1;
        } else if (u < 0x800) {
            scratch[0] = (byte) (0xC0 | u >> 6);
            scratch[1] = (byte) (0x80 | (u & 0x3F));
            n = 2;
        } else {
            scratch[0] = (byte) (0xE0 | u >> 12);
            scratch[1] = (byte) (0x80 | (u >> 6 & 0x3F));
            scratch[2] = (byte) (0x80 | (u & 0x3F));
            n = 3;
        }
        events.stringBytes(scratch, 0, n, 1);
    }

    private int number(byte[] b, int i, int end) {
        while (i < end) {
            int c = b[i];
            boolean digit = c >= '0' && c <= '9';
            switch (numberState) {
                case N_SIGN -> {
                    if (!digit) {
                        return fail(MALFORMED + "expected a digit", end);
                    }
                    numberState = c == '0' ? N_ZERO : N_INT;
                    accumulate(c);
                }
                case N_ZERO, N_INT -> {
                    if (digit && numberState == N_INT) {
                        accumulate(c);
                    } else if (digit) {
                        return fail(MALFORMED + "leading zeroes are not allowed", end);
                    } else if (c == '.') {
                        numberState = N_DOT;
                    } else if (c == 'e' || c == 'E') {
                        numberState = N_EXP;
                    } else {
                        return endNumber(true, i);
                    }
                }
                case N_DOT -> {
                    if (!digit) {
                        return fail(MALFORMED + "expected a digit after '.'", end);
                    }
                    numberState = N_FRAC;
                }
                case N_FRAC -> {
                    if (c == 'e' || c == 'E') {
                        numberState = N_EXP;
                    } else if (!digit) {
                        return endNumber(false, i);
                    }
                }
                case N_EXP -> {
                    if (c == '+' || c == '-') {
                        numberState = N_EXP_SIGN;
                    } else if (digit) {
                        numberState = N_EXP_DIGITS;
                    } else {
                        return fail(MALFORMED + "expected an exponent", end);
                    }
                }
                case N_EXP_SIGN -> {
                    if (!digit) {
                        return fail(MALFORMED + "expected an exponent", end);
                    }
                    numberState = N_EXP_DIGITS;
                }
                default -> {
                    if (!digit) {
                        return endNumber(false, i);
                    }
                }
            }
            i++;
        }
        return i;
    }

    /** Accumulates the integer part negatively, so that Long.MIN_VALUE fits. */
    private void accumulate(int c) {
        int d = c - '0';
        if (acc < MIN_DIV_10 || (acc == MIN_DIV_10 && d > 8)) {
            overflow = true;
        } else {
            acc = acc * 10 - d;
        }
    }

    /** The number ended before {@code b[i]}, which the structural state reads next. */
    private int endNumber(boolean integer, int i) {
        token = NONE;
        boolean out = overflow || (!negative && acc == Long.MIN_VALUE);
        events.number(integer, negative ? acc : -acc, integer && out);
        valueDone();
        return i;
    }

    private int literal(byte[] b, int i, int end) {
        byte[] expected = LITERALS[literalKind];
        while (i < end) {
            if (b[i] != expected[literalIndex]) {
                return fail(MALFORMED + "unrecognized token", end);
            }
            i++;
            if (++literalIndex == expected.length) {
                token = NONE;
                events.literal(literalKind);
                valueDone();
                return i;
            }
        }
        return i;
    }
}
