package dev.osprey.collector.scrape;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.osprey.collector.parse.ParseResult;
import dev.osprey.schemas.avro.ScrapeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches and parses one endpoint's metrics page with the JDK's asynchronous HTTP client. The returned future
 * always completes normally with a {@link ScrapeOutcome}: transport failures, non-2xx statuses, timeouts, oversized
 * or unparseable pages become outcomes with the matching {@link ScrapeStatus} and a message.
 *
 * <p>The whole scrape (connect, headers, body) is limited by the timeout: when it passes, the exchange is
 * cancelled and the outcome is {@link ScrapeStatus#TIMEOUT}. Parsing runs on the HTTP client's executor.
 * Thread-safe.
 */
public final class HttpScraper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpScraper.class);

    private final HttpClient client;
    private final Duration timeout;
    private final int maxPageBytes;
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    /**
     * @param executor runs HTTP completions and parsing; owned by the caller
     * @param timer schedules per-scrape timeouts; owned by the caller
     */
    public HttpScraper(Duration timeout, int maxPageBytes, Executor executor, ScheduledExecutorService timer) {
        this.timeout = timeout;
        this.maxPageBytes = maxPageBytes;
        this.timer = timer;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** Starts a scrape of {@code target}; the future never completes exceptionally. */
    public CompletableFuture<ScrapeOutcome> scrape(ScrapeTarget target) {
        long startMs = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        if (target.uri().isEmpty()) {
            return CompletableFuture.completedFuture(
                    failure(target, startMs, startNanos, ScrapeStatus.CONNECT_ERROR, target.uriProblem()));
        }
        HttpRequest request = HttpRequest.newBuilder(target.uri().get())
                .timeout(timeout)
                .header("Accept", "text/plain;version=0.0.4")
                .GET()
                .build();
        CompletableFuture<HttpResponse<FetchedPage>> exchange;
        try {
            exchange = client.sendAsync(request, info -> info.statusCode() / 100 == 2
                    ? new LimitedBodySubscriber(maxPageBytes, info.headers().firstValueAsLong("content-length").orElse(0))
                    : HttpResponse.BodySubscribers.replacing(FetchedPage.EMPTY));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(target, startMs, startNanos, ScrapeStatus.CONNECT_ERROR,
                    "cannot start request: " + describe(e)));
        }
        ScheduledFuture<?> deadline = timer.schedule(() -> exchange.cancel(true), timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        return exchange.handle((response, error) -> {
            deadline.cancel(false);
            try {
                return error == null ? parse(target, startMs, startNanos, response)
                        : fromError(target, startMs, startNanos, error);
            } catch (RuntimeException e) {
                LOG.warn("scrape of {} failed unexpectedly", target.endpoint().endpointId(), e);
                return failure(target, startMs, startNanos, ScrapeStatus.PARSE_ERROR, "internal error: " + describe(e));
            }
        });
    }

    private ScrapeOutcome parse(ScrapeTarget target, long startMs, long startNanos,
            HttpResponse<FetchedPage> response) {
        if (response.statusCode() / 100 != 2) {
            return failure(target, startMs, startNanos, ScrapeStatus.HTTP_ERROR, "HTTP " + response.statusCode());
        }
        FetchedPage page = response.body();
        ParseResult result = target.parser().parse(page.bytes(), page.length());
        long end = System.nanoTime();
        if (result instanceof ParseResult.Parsed parsed) {
            Optional<String> note = parsed.malformedLines() == 0 ? Optional.empty()
                    : Optional.of(parsed.malformedLines() + " malformed line(s) of mapped metrics skipped");
            return new ScrapeOutcome(target, startMs, micros(startNanos, end), end, ScrapeStatus.OK, note,
                    Optional.of(parsed.metrics()));
        }
        return failure(target, startMs, startNanos, ScrapeStatus.PARSE_ERROR, ((ParseResult.Failed) result).reason());
    }

    private ScrapeOutcome fromError(ScrapeTarget target, long startMs, long startNanos, Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return failure(target, startMs, startNanos, ScrapeStatus.CONNECT_ERROR, "connect timed out after " + timeout);
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException
                || (cause instanceof CancellationException && !closed)) {
            return failure(target, startMs, startNanos, ScrapeStatus.TIMEOUT, "no complete page within " + timeout);
        }
        if (cause instanceof PageTooLargeException) {
            return failure(target, startMs, startNanos, ScrapeStatus.PARSE_ERROR, cause.getMessage());
        }
        if (cause instanceof ConnectException || cause instanceof IOException) {
            return failure(target, startMs, startNanos, ScrapeStatus.CONNECT_ERROR, describe(cause));
        }
        if (cause instanceof CancellationException) {
            return failure(target, startMs, startNanos, ScrapeStatus.CONNECT_ERROR, "cancelled: collector closing");
        }
        LOG.warn("scrape of {} failed unexpectedly", target.endpoint().endpointId(), cause);
        return failure(target, startMs, startNanos, ScrapeStatus.CONNECT_ERROR, describe(cause));
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

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** Marks the scraper closed so cancellations are reported as such; in-flight exchanges finish or time out. */
    @Override
    public void close() {
        closed = true;
    }
}
