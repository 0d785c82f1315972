package dev.osprey.bench.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends OpenAI completions requests with {@code stream: true} to the local gateway and measures them as a client
 * does: TTFT is the time to the first SSE {@code data:} line, end-to-end the time to the end of the stream; token
 * counts come from the final usage chunk ({@code stream_options.include_usage}). Thread-safe; one instance per run.
 */
final class StreamingClient {

    static final String SERVED_BY_HEADER = "x-osprey-served-by";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI uri;

    StreamingClient(String host, int port) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.uri = URI.create("http://" + host + ":" + port + "/v1/completions");
    }

    /** The JSON body of a streamed completions request. */
    static byte[] body(String model, String prompt, int maxTokens) {
        StringBuilder sb = new StringBuilder(prompt.length() + 200);
        sb.append("{\"model\":\"").append(model).append("\",\"prompt\":\"").append(prompt)
                .append("\",\"max_tokens\":").append(maxTokens)
                .append(",\"ignore_eos\":true,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Starts one request now. The returned handle completes with the outcome; it never completes exceptionally.
     *
     * @param requestId sent as {@code x-request-id}
     */
    Pending send(String requestId, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("content-type", "application/json")
                .header("x-request-id", requestId).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long sent = System.nanoTime();
        AtomicReference<SseLines> lines = new AtomicReference<>();
        HttpResponse.BodyHandler<LiveOutcome> handler = info -> {
            String servedBy = info.headers().firstValue(SERVED_BY_HEADER).orElse("");
            if (info.statusCode() != 200) {
                return BodySubscribers.mapping(BodySubscribers.ofString(StandardCharsets.UTF_8), text -> {
                    if (info.statusCode() == 429) {
                        return new LiveOutcome(LiveOutcome.Kind.SHED, 429, servedBy, -1, -1, 0, 0, 0, "");
                    }
                    return LiveOutcome.error(info.statusCode(), servedBy, "http " + info.statusCode() + ": "
                            + text.substring(0, Math.min(120, text.length())).replace('\n', ' '));
                });
            }
            SseLines subscriber = new SseLines(sent, servedBy);
            lines.set(subscriber);
            BodySubscriber<LiveOutcome> stream = BodySubscribers.fromLineSubscriber(subscriber, SseLines::outcome,
                    StandardCharsets.UTF_8, "\n");
            return stream;
        };
        CompletableFuture<LiveOutcome> outcome = http.sendAsync(request, handler).thenApply(HttpResponse::body)
                .exceptionally(e -> {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    return LiveOutcome.error(0, "", (cause instanceof IOException ? "io: " : "client: ") + cause);
                });
        return new Pending(outcome, lines);
    }

    /** A request under way: its outcome, and a way to abandon it. */
    record Pending(CompletableFuture<LiveOutcome> outcome, AtomicReference<SseLines> lines) {

        /**
         * Stops reading the stream (the connection closes, the server cancels the request) and completes the
         * outcome as an error naming {@code why}, unless it completed already.
         */
        void abandon(String why) {
            SseLines l = lines.get();
            if (l != null) {
                l.cancel();
            }
            outcome.complete(LiveOutcome.error(0, "", why));
        }
    }

    /** Reads the SSE stream line by line; the outcome is built when the stream ends. Confined to the client. */
    static final class SseLines implements Flow.Subscriber<String> {

        private final long sent;
        private final String servedBy;
        private volatile Flow.Subscription subscription;
        private long firstChunk = -1;
        private long end = -1;
        private boolean done;
        private int chunks;
        private JsonNode usage;
        private String failure = "";

        SseLines(long sent, String servedBy) {
            this.sent = sent;
            this.servedBy = servedBy;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (!line.startsWith("data:")) {
                return;
            }
            long now = System.nanoTime();
            String data = line.substring(5).trim();
            if (data.equals("[DONE]")) {
                done = true;
                end = now;
                return;
            }
            if (firstChunk < 0) {
                firstChunk = now;
            }
            if (data.contains("\"usage\"") && !data.contains("\"usage\":null")) {
                try {
                    JsonNode node = JSON.readTree(data).path("usage");
                    if (node.isObject()) {
                        usage = node;
                    }
                } catch (IOException e) {
                    failure = "bad usage chunk: " + e.getMessage();
                }
            }
            chunks++;
        }

        @Override
        public void onError(Throwable t) {
            failure = "stream: " + t;
        }

        @Override
        public void onComplete() {
            if (end < 0) {
                end = System.nanoTime();
            }
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        LiveOutcome outcome() {
            if (!failure.isEmpty()) {
                return LiveOutcome.error(200, servedBy, failure);
            }
            if (!done || usage == null || firstChunk < 0) {
                return LiveOutcome.error(200, servedBy, "stream ended without " + (usage == null ? "usage" : "[DONE]")
                        + " after " + chunks + " chunks");
            }
            return new LiveOutcome(LiveOutcome.Kind.COMPLETED, 200, servedBy, firstChunk - sent, end - sent,
                    usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt(),
                    usage.path("prompt_tokens_details").path("cached_tokens").asInt(), "");
        }
    }
}
