package dev.osprey.epp.request;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The inspection of one request body, fed chunk by chunk as the body arrives ({@link #accept}) and concluded once it
 * is complete ({@link #finish}). Each byte is read once, in place (chunks are not copied or joined), so a body
 * costs time linear in its size however it is split. Finds what {@link JsonBodyInspector} describes: the top-level
 * {@code model} string and its byte range, {@code stream}, {@code stream_options.include_usage} and, for the
 * {@link OpenAiApi} of the request, the prompt as UTF-8 bytes (strings unescaped, each followed by a newline; integer
 * token ids as decimal numbers each followed by a space; of objects only {@code content} and {@code text}) with a
 * token estimate of one per four characters plus one per token id. When a field appears more than once the last one
 * wins. Confined to one stream; not thread-safe.
 */
public final class BodyScan {

    // Roles of a value, from its key or its container.
    private static final int SKIP = 0;
    private static final int MODEL = 1;
    private static final int STREAM = 2;
    private static final int STREAM_OPTIONS = 3;
    private static final int INCLUDE_USAGE = 4;
    private static final int PROMPT_FIELD = 5;
    private static final int PROMPT_ITEM = 6;
    // Modes of a container.
    private static final byte C_SKIP = 0;
    private static final byte C_ROOT = 1;
    private static final byte C_STREAM_OPTIONS = 2;
    private static final byte C_PROMPT_TOP_ARRAY = 3;
    private static final byte C_PROMPT_ARRAY = 4;
    private static final byte C_PROMPT_OBJECT = 5;
    // Kinds of the prompt field's value.
    private static final int P_ABSENT = 0;
    private static final int P_STRING = 1;
    private static final int P_ARRAY = 2;
    private static final int P_OTHER = 3;

    private static final byte[] K_MODEL = ascii("model");
    private static final byte[] K_STREAM = ascii("stream");
    private static final byte[] K_STREAM_OPTIONS = ascii("stream_options");
    private static final byte[] K_INCLUDE_USAGE = ascii("include_usage");
    private static final byte[] K_CONTENT = ascii("content");
    private static final byte[] K_TEXT = ascii("text");
    private static final int MAX_KEY = 32;

    private final OpenAiApi api;
    private final byte[] promptKey;
    private final JsonTokenizer tokenizer;
    private final Chunks chunks = new Chunks();
    private byte[] modes = new byte[16];
    private int depth;
    private int keyRole = SKIP;
    private final byte[] key = new byte[MAX_KEY];
    private int keyLength = -1;
    private int stringRole;
    private String failure;

    private String model;
    private boolean modelPresent;
    private Bytes modelBytes;
    private long modelStart = -1;
    private long modelEnd = -1;
    private boolean stream;
    private boolean includeUsage;
    private boolean includeUsageInObject;

    private int promptKind = P_ABSENT;
    private final PromptBytes prompt = new PromptBytes();
    /** The backing array of the ByteString being scanned: its bytes never change, so the prompt may refer to them. */
    private byte[] sharedChunk;
    private long promptUnits;
    private int tokenIds;
    private int topLevelElements = -1;

    BodyScan(OpenAiApi api) {
        this.api = api;
        this.promptKey = ascii(api.promptField());
        this.tokenizer = new JsonTokenizer(new Events());
    }

    /** Reads the next chunk of the body (not copied; the caller keeps it unchanged). */
    public void accept(ByteString chunk) {
        try {
            UnsafeByteOperations.unsafeWriteTo(chunk, chunks);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("reading an in-memory chunk failed", e);
        }
    }

    /** Reads {@code len} bytes of {@code b} from {@code off} as the next part of the body. */
    public void accept(byte[] b, int off, int len) {
        tokenizer.accept(b, off, len);
    }

    /** What the body said, once all of it was accepted. */
    public BodyInspection finish() {
        String error = tokenizer.finish();
        if (error == null) {
            error = failure;
        }
        if (error != null) {
            return new BodyInspection.Invalid(error);
        }
        if (model == null) {
            return new BodyInspection.Invalid(modelPresent ? "model in request body is not a string"
                    : "model not found in request body");
        }
        if (api == OpenAiApi.OTHER) {
            return new BodyInspection.Valid(model, stream, modelStart, modelEnd, includeUsage, Prompt.NONE);
        }
        String field = api.promptField();
        if (promptKind == P_ABSENT) {
            return new BodyInspection.Invalid(field + " not found in request body");
        }
        if (api == OpenAiApi.CHAT_COMPLETIONS) {
            if (promptKind != P_ARRAY || topLevelElements == 0) {
                return new BodyInspection.Invalid("messages must be a non-empty array");
            }
        } else if (promptKind != P_STRING && promptKind != P_ARRAY) {
            return new BodyInspection.Invalid(field + " must be a string or an array");
        } else if (promptUnits == 0 && tokenIds == 0) {
            return new BodyInspection.Invalid(field + " must not be empty");
        }
        long estimate = (promptUnits + Prompt.CHARS_PER_TOKEN - 1) / Prompt.CHARS_PER_TOKEN + tokenIds;
        return new BodyInspection.Valid(model, stream, modelStart, modelEnd, includeUsage,
                Prompt.ofUtf8(prompt.toArray(), (int) Math.min(Integer.MAX_VALUE, estimate)));
    }

    /** The role of a value starting now, counting elements of the prompt's top-level array. */
    private int valueRole() {
        if (depth == 0) {
            return SKIP;
        }
        return switch (modes[depth - 1]) {
            case C_ROOT, C_STREAM_OPTIONS, C_PROMPT_OBJECT -> keyRole;
            case C_PROMPT_TOP_ARRAY -> {
                topLevelElements++;
                yield PROMPT_ITEM;
            }
            case C_PROMPT_ARRAY -> PROMPT_ITEM;
            default -> SKIP;
        };
    }

    /** A scalar value or a container arrived for {@code role}: the top-level fields it sets or resets. */
    private void scalar(int role, boolean isTrue) {
        switch (role) {
            case MODEL -> {
                modelPresent = true;
                model = null;
            }
            case STREAM -> stream = isTrue;
            case INCLUDE_USAGE -> includeUsageInObject = isTrue;
            case PROMPT_FIELD -> resetPrompt(P_OTHER);
            default -> {
            }
        }
    }

    private void resetPrompt(int kind) {
        promptKind = kind;
        prompt.clear();
        promptUnits = 0;
        tokenIds = 0;
        topLevelElements = -1;
    }

    private void push(byte mode) {
        if (depth == modes.length) {
            modes = java.util.Arrays.copyOf(modes, depth * 2);
        }
        modes[depth++] = mode;
    }

    private void endKey() {
        byte mode = modes[depth - 1];
        keyRole = SKIP;
        if (keyLength > MAX_KEY) {
            return;
        }
        if (mode == C_ROOT) {
            if (isKey(K_MODEL)) {
                keyRole = MODEL;
            } else if (isKey(K_STREAM)) {
                keyRole = STREAM;
            } else if (isKey(K_STREAM_OPTIONS)) {
                keyRole = STREAM_OPTIONS;
            } else if (api != OpenAiApi.OTHER && isKey(promptKey)) {
                keyRole = PROMPT_FIELD;
            }
        } else if (mode == C_STREAM_OPTIONS) {
            keyRole = isKey(K_INCLUDE_USAGE) ? INCLUDE_USAGE : SKIP;
        } else if (mode == C_PROMPT_OBJECT) {
            keyRole = isKey(K_CONTENT) || isKey(K_TEXT) ? PROMPT_ITEM : SKIP;
        }
    }

    private boolean isKey(byte[] name) {
        return java.util.Arrays.equals(key, 0, keyLength, name, 0, name.length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The tokenizer's receiver. */
    private final class Events implements JsonTokenizer.Events {

        @Override
        public void startObject() {
            if (depth == 0) {
                push(C_ROOT);
                return;
            }
            int role = valueRole();
            switch (role) {
                case STREAM_OPTIONS -> {
                    includeUsageInObject = false;
                    push(C_STREAM_OPTIONS);
                }
                case PROMPT_FIELD -> {
                    resetPrompt(P_OTHER);
                    push(C_PROMPT_OBJECT);
                }
                case PROMPT_ITEM -> push(C_PROMPT_OBJECT);
                default -> {
                    scalar(role, false);
                    push(C_SKIP);
                }
            }
        }

        @Override
        public void endObject() {
            if (modes[--depth] == C_STREAM_OPTIONS) {
                includeUsage = includeUsageInObject;
            }
        }

        @Override
        public void startArray() {
            int role = valueRole();
            switch (role) {
                case PROMPT_FIELD -> {
                    resetPrompt(P_ARRAY);
                    topLevelElements = 0;
                    push(C_PROMPT_TOP_ARRAY);
                }
                case PROMPT_ITEM -> push(C_PROMPT_ARRAY);
                case STREAM_OPTIONS -> push(C_SKIP);
                default -> {
                    scalar(role, false);
                    push(C_SKIP);
                }
            }
        }

        @Override
        public void endArray() {
            depth--;
        }

        @Override
        public void stringStart(boolean isKey, long offset) {
            if (isKey) {
                keyLength = 0;
                return;
            }
            stringRole = valueRole();
            if (stringRole == MODEL) {
                modelStart = offset;
                if (modelBytes == null) {
                    modelBytes = new Bytes(64);
                }
                modelBytes.clear();
            } else if (stringRole == PROMPT_FIELD) {
                resetPrompt(P_STRING);
            } else if (stringRole != PROMPT_ITEM) {
                scalar(stringRole, false);
            }
        }

        @Override
        public void stringBytes(byte[] b, int off, int len, int utf16Units) {
            if (stringRole == SKIP && keyLength < 0) {
                return;
            }
            if (keyLength >= 0) {
                if (keyLength + len <= MAX_KEY) {
                    System.arraycopy(b, off, key, keyLength, len);
                    keyLength += len;
                } else {
                    keyLength = MAX_KEY + 1;
                }
                return;
            }
            if (stringRole == PROMPT_FIELD || stringRole == PROMPT_ITEM) {
                if (b == sharedChunk) {
                    prompt.appendShared(b, off, len);
                } else {
                    prompt.append(b, off, len);
                }
                promptUnits += utf16Units;
            } else if (stringRole == MODEL) {
                modelBytes.append(b, off, len);
            }
        }

        @Override
        public void stringEnd(boolean isKey, long offsetAfter) {
            if (isKey) {
                endKey();
                keyLength = -1;
                return;
            }
            if (stringRole == PROMPT_FIELD || stringRole == PROMPT_ITEM) {
                prompt.append((byte) '\n');
            } else if (stringRole == MODEL) {
                modelPresent = true;
                model = new String(modelBytes.array(), 0, modelBytes.length(), StandardCharsets.UTF_8);
                modelEnd = offsetAfter;
            }
            stringRole = SKIP;
        }

        @Override
        public void number(boolean integer, long value, boolean overflow) {
            int role = valueRole();
            if (role == PROMPT_ITEM && integer) {
                if (overflow) {
                    failure = JsonTokenizer.MALFORMED + "token id out of the range of long";
                    return;
                }
                tokenIds++;
                prompt.appendAscii(Long.toString(value));
                prompt.append((byte) ' ');
            } else {
                scalar(role, false);
            }
        }

        @Override
        public void literal(int kind) {
            scalar(valueRole(), kind == JsonTokenizer.TRUE);
        }
    }

    /**
     * Feeds the arrays behind a ByteString to the tokenizer without copying them. A ByteString never changes, so
     * while one of its arrays is scanned the prompt may keep references into it ({@link #sharedChunk}).
     */
    private final class Chunks extends ByteOutput {

        @Override
        public void write(byte value) {
            shared(new byte[] {value}, 0, 1);
        }

        @Override
        public void write(byte[] value, int offset, int length) {
            shared(value, offset, length);
        }

        @Override
        public void writeLazy(byte[] value, int offset, int length) {
            shared(value, offset, length);
        }

        @Override
        public void write(ByteBuffer value) {
            if (value.hasArray()) {
                shared(value.array(), value.arrayOffset() + value.position(), value.remaining());
            } else {
                byte[] copy = new byte[value.remaining()];
                value.duplicate().get(copy);
                shared(copy, 0, copy.length);
            }
        }

        private void shared(byte[] value, int offset, int length) {
            sharedChunk = value;
            try {
                tokenizer.accept(value, offset, length);
            } finally {
                sharedChunk = null;
            }
        }

        @Override
        public void writeLazy(ByteBuffer value) {
            write(value);
        }
    }

    /** A growable byte array (the model name's bytes). */
    static final class Bytes {
        private byte[] a;
        private int n;

        Bytes(int capacity) {
            a = new byte[capacity];
        }

        void clear() {
            n = 0;
        }

        void append(byte[] b, int off, int len) {
            if (n + len > a.length) {
                a = java.util.Arrays.copyOf(a, Math.max(a.length * 2, n + len));
            }
            System.arraycopy(b, off, a, n, len);
            n += len;
        }

        byte[] array() {
            return a;
        }

        int length() {
            return n;
        }
    }
}
