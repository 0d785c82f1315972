package dev.osprey.epp.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Collects the prompt from the value of a prompt field with the streaming parser, token by token: strings are
 * appended (each followed by a newline), integers are token ids (appended as decimal numbers followed by a space),
 * arrays are walked in order, and of objects only the {@code content} and {@code text} fields are read (chat
 * messages, content parts, Responses input items); anything else is skipped. Confined to one parse; not
 * thread-safe.
 */
final class PromptReader {

    /** Approximate characters per token for the estimate. */
    static final int CHARS_PER_TOKEN = 4;

    private final StringBuilder text = new StringBuilder();
    private long stringChars;
    private int tokenIds;
    private int topLevelElements = -1;

    /** Reads the value the parser is positioned on (its first token is {@code first}). */
    void read(JsonParser p, JsonToken first) throws IOException {
        if (first == JsonToken.START_ARRAY) {
            topLevelElements = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                topLevelElements++;
                collect(p, t);
            }
        } else {
            collect(p, first);
        }
    }

    private void collect(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING -> {
                stringChars += p.getTextLength();
                text.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()).append('\n');
            }
            case VALUE_NUMBER_INT -> {
                tokenIds++;
                text.append(p.getLongValue()).append(' ');
            }
            case START_ARRAY -> {
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY && e != null) {
                    collect(p, e);
                }
            }
            case START_OBJECT -> {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if ("content".equals(name) || "text".equals(name)) {
                        collect(p, v);
                    } else {
                        p.skipChildren();
                    }
                }
            }
            default -> p.skipChildren();
        }
    }

    /** Elements of a top-level array value, or -1 when the value was not an array. */
    int topLevelElements() {
        return topLevelElements;
    }

    /** Whether any string character or token id was read. */
    boolean hasContent() {
        return stringChars > 0 || tokenIds > 0;
    }

    Prompt prompt() {
        long estimate = (stringChars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN + tokenIds;
        return new Prompt(text.toString(), (int) Math.min(Integer.MAX_VALUE, estimate));
    }
}
