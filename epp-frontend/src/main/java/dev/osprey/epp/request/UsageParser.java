package dev.osprey.epp.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Finds the {@code usage} object in a JSON document with the streaming parser: at the top level (OpenAI chat and
 * completions, vLLM) or inside a top-level {@code response} object (Responses API {@code response.completed}
 * events). Reads {@code prompt_tokens}/{@code input_tokens}, {@code completion_tokens}/{@code output_tokens} and
 * {@code prompt_tokens_details.cached_tokens}/{@code input_tokens_details.cached_tokens}. Unparseable input or a
 * null usage gives {@link Usage#NONE}. Thread-safe.
 */
public final class UsageParser {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private UsageParser() {
    }

    /** The usage in one JSON document. */
    public static Usage parse(InputStream json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Usage.NONE;
            }
            return findInObject(p, true);
        } catch (IOException e) {
            return Usage.NONE;
        }
    }

    private static Usage findInObject(JsonParser p, boolean topLevel) throws IOException {
        Usage found = Usage.NONE;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("usage".equals(name) && v == JsonToken.START_OBJECT) {
                found = readUsage(p);
            } else if (topLevel && "response".equals(name) && v == JsonToken.START_OBJECT) {
                Usage inner = findInObject(p, false);
                if (inner.known()) {
                    found = inner;
                }
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static Usage readUsage(JsonParser p) throws IOException {
        Optional<Integer> prompt = Optional.empty();
        Optional<Integer> completion = Optional.empty();
        Optional<Integer> cached = Optional.empty();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "prompt_tokens", "input_tokens" -> prompt = intValue(p, v);
                case "completion_tokens", "output_tokens" -> completion = intValue(p, v);
                case "prompt_tokens_details", "input_tokens_details" -> {
                    if (v == JsonToken.START_OBJECT) {
                        cached = readCached(p);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Usage(prompt, completion, cached);
    }

    private static Optional<Integer> readCached(JsonParser p) throws IOException {
        Optional<Integer> cached = Optional.empty();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("cached_tokens".equals(name)) {
                cached = intValue(p, v);
            } else {
                p.skipChildren();
            }
        }
        return cached;
    }

    private static Optional<Integer> intValue(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return Optional.of(p.getIntValue());
        }
        p.skipChildren();
        return Optional.empty();
    }
}
