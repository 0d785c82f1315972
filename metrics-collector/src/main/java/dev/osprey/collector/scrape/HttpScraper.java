package dev.osprey.collector.scrape;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.osprey.collector.parse.ParseResult;
import dev.osprey.collector.scrape.http.FetchFailure;
import dev.osprey.collector.scrape.http.PageClient;
import dev.osprey.collector.scrape.http.ResponseHandler;
import dev.osprey.schemas.avro.ScrapeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches and parses one endpoint's metrics page with a non-blocking {@link PageClient}. The page is parsed on the
 * client's I/O thread straight from its read buffer. The returned future always completes normally with a
 * {@link ScrapeOutcome}: transport failures, non-2xx statuses, timeouts, oversized or unparseable pages become
 * outcomes with the matching {@link ScrapeStatus} and a message.
 *
 * <p>The whole scrape (connect, request, headers, body) is limited by the timeout. Thread-safe; owns its client.
 */
public final class HttpScraper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpScraper.class);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final PageClient client;
    private final Duration timeout;

    /**
     * @param ioThreads I/O threads fetching and parsing pages
     * @param threadName prefix of their names
     */
    public HttpScraper(Duration timeout, int maxPageBytes, int ioThreads, String threadName) {
        this.timeout = timeout;
        this.client = new PageClient(ioThreads, timeout, maxPageBytes, IDLE_TIMEOUT, threadName);
    }

    /** Starts a scrape of {@code target}; the future never completes exceptionally. */
    public CompletableFuture<ScrapeOutcome> scrape(ScrapeTarget target) {
        long startMs = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        if (target.request().isEmpty()) {
            return CompletableFuture.completedFuture(
                    failure(target, startMs, startNanos, ScrapeStatus.CONNECT_ERROR, target.uriProblem()));
        }
        return client.fetch(target.request().get(), target.endpoint().endpointId().hashCode(), new Handler(target, startMs, startNanos))
                .exceptionally(e -> {
                    LOG.warn("scrape of {} failed unexpectedly", target.endpoint().endpointId(), e);
                    return failure(target, startMs, startNanos, ScrapeStatus.PARSE_ERROR, "internal error: " + e);
                });
    }

    /** Maps one fetch's end to an outcome; runs on the client's I/O thread. */
    private final class Handler implements ResponseHandler<ScrapeOutcome> {

        private final ScrapeTarget target;
        private final long startMs;
        private final long startNanos;

        Handler(ScrapeTarget target, long startMs, long startNanos) {
            this.target = target;
            this.startMs = startMs;
            this.startNanos = startNanos;
        }

        @Override
        public ScrapeOutcome onResponse(int status, byte[] bytes, int from, int to) {
            if (status / 100 != 2) {
                return failure(target, startMs, startNanos, ScrapeStatus.HTTP_ERROR, "HTTP " + status);
            }
            ParseResult result;
            try {
                result = target.parser().parse(bytes, from, to);
            } catch (RuntimeException e) {
                LOG.warn("parsing the page of {} failed unexpectedly", target.endpoint().endpointId(), e);
                return failure(target, startMs, startNanos, ScrapeStatus.PARSE_ERROR, "internal error: " + e);
            }
            long end = System.nanoTime();
            if (result instanceof ParseResult.Parsed parsed) {
                Optional<String> note = parsed.malformedLines() == 0 ? Optional.empty()
                        : Optional.of(parsed.malformedLines() + " malformed line(s) of mapped metrics skipped");
                return new ScrapeOutcome(target, startMs, micros(startNanos, end), end, ScrapeStatus.OK, note,
                        Optional.of(parsed.metrics()));
            }
            return failure(target, startMs, startNanos, ScrapeStatus.PARSE_ERROR,
                    ((ParseResult.Failed) result).reason());
        }

        @Override
        public ScrapeOutcome onFailure(FetchFailure failure) {
            return switch (failure.kind()) {
                case TIMEOUT -> failure(target, startMs, startNanos, ScrapeStatus.TIMEOUT,
                        "no complete page within " + timeout);
                case TOO_LARGE -> failure(target, startMs, startNanos, ScrapeStatus.PARSE_ERROR, failure.message());
                case PROTOCOL -> failure(target, startMs, startNanos, ScrapeStatus.HTTP_ERROR, failure.message());
                case CLOSED -> failure(target, startMs, startNanos, ScrapeStatus.CONNECT_ERROR,
                        "cancelled: collector closing");
                case CONNECT, CONNECT_TIMEOUT -> failure(target, startMs, startNanos, ScrapeStatus.CONNECT_ERROR,
                        failure.message());
            };
        }
    }

    private static ScrapeOutcome failure(ScrapeTarget target, long startMs, long startNanos, ScrapeStatus status,
            String message) {
        long end = System.nanoTime();
        return new ScrapeOutcome(target, startMs, micros(startNanos, end), end, status, Optional.of(message),
                Optional.empty());
    }

    private static long micros(long startNanos, long endNanos) {
        return Math.max(0, (endNanos - startNanos) / 1000);
    }

    /** Closes the client: connections close and scrapes still in flight end as CONNECT_ERROR "cancelled". */
    @Override
    public void close() {
        client.close();
    }
}
