package dev.osprey.collector.scrape.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A small non-blocking HTTP/1.1 client for fetching metric pages: {@code ioThreads} selector threads, each with its
 * own keep-alive connections (pooled per {@link PageRequest}, closed after {@code idleTimeout} unused), reusable read
 * buffers, and responses framed by {@code Content-Length}, chunked coding or connection close. A fetch's whole life —
 * connect, request, response — is bounded by {@code timeout}; the handler then sees the body straight in the
 * client's buffer, on the I/O thread, so a page is parsed without being copied again.
 *
 * <p>Every fetch ends with exactly one handler call: {@link ResponseHandler#onResponse} for any complete response
 * (whatever its status), otherwise {@link ResponseHandler#onFailure} with a {@link FetchFailure.Kind}. A reused
 * keep-alive connection that turns out closed before any response byte arrives is replaced once, transparently. The
 * client does not limit how many fetches run at once (the caller does) and does not stop two fetches of the same
 * page from overlapping (each gets its own connection).
 *
 * <p>Thread-safe. {@link #close()} ends pending and in-flight fetches with {@link FetchFailure.Kind#CLOSED}.
 */
public final class PageClient implements AutoCloseable {

    private final List<IoLoop> loops;
    private final long timeoutNanos;
    private volatile boolean closed;

    /**
     * @param ioThreads selector threads (at least 1)
     * @param timeout bound on each whole fetch
     * @param maxBodyBytes bodies larger than this end in {@link FetchFailure.Kind#TOO_LARGE}
     * @param idleTimeout idle keep-alive connections are closed after this long
     * @param threadName prefix of the I/O threads' names
     */
    public PageClient(int ioThreads, Duration timeout, int maxBodyBytes, Duration idleTimeout, String threadName) {
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        Objects.requireNonNull(threadName, "threadName");
        this.timeoutNanos = timeout.toNanos();
        List<IoLoop> created = new ArrayList<>(ioThreads);
        for (int i = 0; i < ioThreads; i++) {
            created.add(new IoLoop(threadName + "-" + (i + 1), idleTimeout.toNanos(), timeout.toString(), maxBodyBytes));
        }
        this.loops = List.copyOf(created);
        loops.forEach(IoLoop::start);
    }

    /**
     * Starts fetching {@code request}. {@code affinity} picks the I/O thread (same affinity, same thread, so its
     * keep-alive connections are found again); callers pass a stable hash of what they fetch.
     *
     * @return completes with the handler's result, on an I/O thread (or at once on the caller's thread when the
     *     client is closed); completes exceptionally only if the handler throws
     */
    public <T> CompletableFuture<T> fetch(PageRequest request, int affinity, ResponseHandler<T> handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        Exchange<T> exchange = new Exchange<>(request, System.nanoTime() + timeoutNanos, handler);
        if (closed) {
            exchange.fail(new FetchFailure(FetchFailure.Kind.CLOSED, "HTTP client closed"));
        } else {
            loops.get(Math.floorMod(affinity, loops.size())).submit(exchange);
        }
        return exchange.future;
    }

    /** Closes every connection and stops the I/O threads, waiting briefly for them. Idempotent. */
    @Override
    public void close() {
        closed = true;
        loops.forEach(IoLoop::close);
        try {
            for (IoLoop loop : loops) {
                loop.awaitTermination(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
