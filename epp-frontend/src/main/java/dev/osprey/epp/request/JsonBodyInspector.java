package dev.osprey.epp.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body with Jackson's streaming parser (no tree): validates that it is one JSON object, finds the
 * top-level {@code model} string and its byte range, and the {@code stream} flag. Nested values are skipped token
 * by token. When {@code model} appears more than once the last one wins. Thread-safe.
 */
public final class JsonBodyInspector {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Inspects the body read from {@code body}; the stream is read to its end but not closed. */
    public BodyInspection inspect(InputStream body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new BodyInspection.Invalid("request body is not a JSON object");
            }
            String model = null;
            boolean modelPresent = false;
            long start = -1;
            long end = -1;
            boolean stream = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("model".equals(name)) {
                    modelPresent = true;
                    if (v == JsonToken.VALUE_STRING) {
                        start = p.currentTokenLocation().getByteOffset();
                        model = p.getText();
                        end = p.currentLocation().getByteOffset();
                    } else {
                        model = null;
                        p.skipChildren();
                    }
                } else if ("stream".equals(name)) {
                    stream = v == JsonToken.VALUE_TRUE;
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return new BodyInspection.Invalid("request body is not a single JSON object");
            }
            if (model == null) {
                return new BodyInspection.Invalid(modelPresent ? "model in request body is not a string"
                        : "model not found in request body");
            }
            return new BodyInspection.Valid(model, stream, start, end);
        } catch (JsonProcessingException e) {
            return new BodyInspection.Invalid("malformed JSON in request body: " + brief(e.getOriginalMessage()));
        } catch (IOException e) {
            return new BodyInspection.Invalid("cannot read request body: " + e.getMessage());
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
