package dev.osprey.epp.request;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The prompt of a request as the scheduler sees it: its text as UTF-8 bytes (strings joined in order, token ids
 * written as decimal numbers; the basis for prefix hashing) and an estimate of its tokens (about four characters a
 * token, plus one per token id). Immutable by contract: {@link #utf8()} hands out the array without copying and no
 * one may modify it.
 */
public final class Prompt {

    /** Approximate characters per token for the estimate. */
    public static final int CHARS_PER_TOKEN = 4;

    /** No prompt (unknown API or header-only request). */
    public static final Prompt NONE = new Prompt(new byte[0], 0);

    private final byte[] utf8;
    private final int tokenEstimate;

    private Prompt(byte[] utf8, int tokenEstimate) {
        if (tokenEstimate < 0) {
            throw new IllegalArgumentException("tokenEstimate must be 0 or more, got " + tokenEstimate);
        }
        this.utf8 = utf8;
        this.tokenEstimate = tokenEstimate;
    }

    /** A prompt of {@code text} (encoded as UTF-8). */
    public Prompt(String text, int tokenEstimate) {
        this(text.getBytes(StandardCharsets.UTF_8), tokenEstimate);
    }

    /** A prompt owning {@code utf8}, which the caller must not modify afterwards. */
    public static Prompt ofUtf8(byte[] utf8, int tokenEstimate) {
        return new Prompt(Objects.requireNonNull(utf8, "utf8"), tokenEstimate);
    }

    /** The prompt text as UTF-8, not copied: callers must not modify it. */
    public byte[] utf8() {
        return utf8;
    }

    /** The prompt text (decoded on every call). */
    public String text() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** Estimated prompt tokens, 0 or more. */
    public int tokenEstimate() {
        return tokenEstimate;
    }

    /** Whether the request carried any prompt content. */
    public boolean isEmpty() {
        return utf8.length == 0 && tokenEstimate == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prompt p && tokenEstimate == p.tokenEstimate && Arrays.equals(utf8, p.utf8);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(utf8) + tokenEstimate;
    }

    @Override
    public String toString() {
        return "Prompt[" + utf8.length + " bytes, ~" + tokenEstimate + " tokens]";
    }
}
