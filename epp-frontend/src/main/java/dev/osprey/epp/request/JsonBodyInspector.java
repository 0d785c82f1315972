package dev.osprey.epp.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body with Jackson's streaming parser (no tree): validates that it is one JSON object, finds the
 * top-level {@code model} string and its byte range, the {@code stream} flag, {@code stream_options.include_usage}
 * and, for the {@link OpenAiApi} of the request path, the prompt ({@code prompt} of completions, {@code messages}
 * of chat completions, {@code input} of responses and embeddings) with a token estimate. The prompt field must be
 * present and non-empty (chat: a non-empty array), else the body is {@link BodyInspection.Invalid} (400). Nested
 * values are skipped token by token. When a field appears more than once the last one wins. Thread-safe.
 */
public final class JsonBodyInspector {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Inspects a body of an unknown API: only {@code model} is required. */
    public BodyInspection inspect(InputStream body) {
        return inspect(body, OpenAiApi.OTHER);
    }

    /** Inspects the body read from {@code body} for {@code api}; the stream is read to its end but not closed. */
    public BodyInspection inspect(InputStream body, OpenAiApi api) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new BodyInspection.Invalid("request body is not a JSON object");
            }
            Fields f = new Fields();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("model".equals(name)) {
                    f.model(p, v);
                } else if ("stream".equals(name)) {
                    f.stream = v == JsonToken.VALUE_TRUE;
                } else if ("stream_options".equals(name) && v == JsonToken.START_OBJECT) {
                    f.includeUsage = includeUsage(p);
                } else if (api != OpenAiApi.OTHER && api.promptField().equals(name)) {
                    f.promptToken = v;
                    f.prompt = new PromptReader();
                    f.prompt.read(p, v);
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return new BodyInspection.Invalid("request body is not a single JSON object");
            }
            return f.result(api);
        } catch (JsonProcessingException e) {
            return new BodyInspection.Invalid("malformed JSON in request body: " + brief(e.getOriginalMessage()));
        } catch (IOException e) {
            return new BodyInspection.Invalid("cannot read request body: " + e.getMessage());
        }
    }

    /** Reads the {@code stream_options} object the parser is on; true when {@code include_usage} is true. */
    private static boolean includeUsage(JsonParser p) throws IOException {
        boolean include = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("include_usage".equals(name)) {
                include = v == JsonToken.VALUE_TRUE;
            } else {
                p.skipChildren();
            }
        }
        return include;
    }

    /** The top-level fields found so far. */
    private static final class Fields {
        String model;
        boolean modelPresent;
        long start = -1;
        long end = -1;
        boolean stream;
        boolean includeUsage;
        JsonToken promptToken;
        PromptReader prompt;

        void model(JsonParser p, JsonToken v) throws IOException {
            modelPresent = true;
            if (v == JsonToken.VALUE_STRING) {
                start = p.currentTokenLocation().getByteOffset();
                model = p.getText();
                end = p.currentLocation().getByteOffset();
            } else {
                model = null;
                p.skipChildren();
            }
        }

        BodyInspection result(OpenAiApi api) {
            if (model == null) {
                return new BodyInspection.Invalid(modelPresent ? "model in request body is not a string"
                        : "model not found in request body");
            }
            if (api == OpenAiApi.OTHER) {
                return new BodyInspection.Valid(model, stream, start, end, includeUsage, Prompt.NONE);
            }
            String field = api.promptField();
            if (prompt == null) {
                return new BodyInspection.Invalid(field + " not found in request body");
            }
            if (api == OpenAiApi.CHAT_COMPLETIONS) {
                if (promptToken != JsonToken.START_ARRAY || prompt.topLevelElements() == 0) {
                    return new BodyInspection.Invalid("messages must be a non-empty array");
                }
            } else if (promptToken != JsonToken.VALUE_STRING && promptToken != JsonToken.START_ARRAY) {
                return new BodyInspection.Invalid(field + " must be a string or an array");
            } else if (!prompt.hasContent()) {
                return new BodyInspection.Invalid(field + " must not be empty");
            }
            return new BodyInspection.Valid(model, stream, start, end, includeUsage, prompt.prompt());
        }
    }

    /** The first clause of a parser message, without source locations, at most 100 characters. */
    private static String brief(String message) {
        String m = message == null ? "unreadable" : message;
        int cut = m.indexOf(" (");
        if (cut > 0) {
            m = m.substring(0, cut);
        }
        m = m.replace('\n', ' ');
        return m.length() > 100 ? m.substring(0, 100) : m;
    }
}
