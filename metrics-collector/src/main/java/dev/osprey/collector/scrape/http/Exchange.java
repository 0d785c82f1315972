package dev.osprey.collector.scrape.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** One fetch in progress: the request, when it must be done by, and how it ends. Ends exactly once. */
final class Exchange<T> {

    final PageRequest request;
    final long deadlineNanos;
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final ResponseHandler<T> handler;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Whether it was already re-sent once on a fresh connection after a reused one turned out closed. */
    boolean retried;

    Exchange(PageRequest request, long deadlineNanos, ResponseHandler<T> handler) {
        this.request = request;
        this.deadlineNanos = deadlineNanos;
        this.handler = handler;
    }

    void respond(int status, byte[] bytes, int from, int to) {
        if (ended.compareAndSet(false, true)) {
            try {
                future.complete(handler.onResponse(status, bytes, from, to));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }
    }

    void fail(FetchFailure failure) {
        if (ended.compareAndSet(false, true)) {
            try {
                future.complete(handler.onFailure(failure));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }
    }
}
