package dev.osprey.epp.request;

import java.util.Optional;

/**
 * The OpenAI-compatible APIs whose bodies the EPP understands, chosen by the request path (query string ignored,
 * trailing slash tolerated). Each names the field that carries the prompt and must not be empty.
 */
public enum OpenAiApi {
    COMPLETIONS("/v1/completions", "prompt"),
    CHAT_COMPLETIONS("/v1/chat/completions", "messages"),
    RESPONSES("/v1/responses", "input"),
    EMBEDDINGS("/v1/embeddings", "input"),
    /** Any other path: only {@code model} is required and no prompt is read. */
    OTHER("", "");

    private final String path;
    private final String promptField;

    OpenAiApi(String path, String promptField) {
        this.path = path;
        this.promptField = promptField;
    }

    /** The top-level field holding the prompt, or "" for {@link #OTHER}. */
    public String promptField() {
        return promptField;
    }

    /** The API of {@code :path}; {@link #OTHER} when absent or unknown. */
    public static OpenAiApi ofPath(Optional<String> rawPath) {
        if (rawPath.isEmpty()) {
            return OTHER;
        }
        String p = rawPath.get();
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        for (OpenAiApi api : values()) {
            if (api != OTHER && api.path.equals(p)) {
                return api;
            }
        }
        return OTHER;
    }
}
