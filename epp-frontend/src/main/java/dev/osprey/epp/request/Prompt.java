package dev.osprey.epp.request;

import java.util.Objects;

/**
 * The prompt of a request as the scheduler sees it: its text (strings joined in order, token ids written as decimal
 * numbers; the basis for prefix hashing) and an estimate of its tokens (about four characters a token, plus one per
 * token id).
 *
 * @param text the prompt text, "" when the API carries none
 * @param tokenEstimate estimated prompt tokens, 0 or more
 */
public record Prompt(String text, int tokenEstimate) {

    /** No prompt (unknown API or header-only request). */
    public static final Prompt NONE = new Prompt("", 0);

    public Prompt {
        Objects.requireNonNull(text, "text");
        if (tokenEstimate < 0) {
            throw new IllegalArgumentException("tokenEstimate must be 0 or more, got " + tokenEstimate);
        }
    }

    /** Whether the request carried any prompt content. */
    public boolean isEmpty() {
        return text.isEmpty() && tokenEstimate == 0;
    }
}
