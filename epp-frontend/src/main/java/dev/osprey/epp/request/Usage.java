package dev.osprey.epp.request;

import java.util.Optional;

/** Token usage reported by a model server; each count may be missing. */
public record Usage(Optional<Integer> promptTokens, Optional<Integer> completionTokens,
        Optional<Integer> cachedTokens) {

    public static final Usage NONE = new Usage(Optional.empty(), Optional.empty(), Optional.empty());

    /** Whether any count is known. */
    public boolean known() {
        return promptTokens.isPresent() || completionTokens.isPresent() || cachedTokens.isPresent();
    }
}
