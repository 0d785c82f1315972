package dev.osprey.epp.request;

import java.io.IOException;
import java.io.InputStream;

/**
 * Inspects request bodies without building a tree or decoding strings (see {@link BodyScan}): validates that the
 * body is one JSON object, finds the top-level {@code model} string and its byte range, the {@code stream} flag,
 * {@code stream_options.include_usage} and, for the {@link OpenAiApi} of the request path, the prompt
 * ({@code prompt} of completions, {@code messages} of chat completions, {@code input} of responses and embeddings)
 * with a token estimate. The prompt field must be present and non-empty (chat: a non-empty array), else the body is
 * {@link BodyInspection.Invalid} (400). Thread-safe and stateless; each body gets its own {@link BodyScan}.
 */
public final class JsonBodyInspector {

    private static final int READ_BUFFER = 8192;

    /** Starts the inspection of a body for {@code api}, to be fed chunk by chunk as it arrives. */
    public BodyScan start(OpenAiApi api) {
        return new BodyScan(api);
    }

    /** Inspects a body of an unknown API: only {@code model} is required. */
    public BodyInspection inspect(InputStream body) {
        return inspect(body, OpenAiApi.OTHER);
    }

    /** Inspects the body read from {@code body} for {@code api}; the stream is read to its end but not closed. */
    public BodyInspection inspect(InputStream body, OpenAiApi api) {
        BodyScan scan = start(api);
        byte[] buffer = new byte[READ_BUFFER];
        try {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                scan.accept(buffer, 0, n);
            }
        } catch (IOException e) {
            return new BodyInspection.Invalid("cannot read request body: " + e.getMessage());
        }
        return scan.finish();
    }
}
