package dev.osprey.collector.scrape;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body into one growing array, abandoning it with {@link PageTooLargeException} once it passes
 * the limit (the subscription is cancelled, so the connection is dropped rather than drained).
 */
final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<FetchedPage> {

    private final int limit;
    private final CompletableFuture<FetchedPage> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private byte[] buffer;
    private int length;

    LimitedBodySubscriber(int limit, long contentLength) {
        this.limit = limit;
        this.buffer = new byte[(int) Math.max(4096, Math.min(contentLength, Math.min(limit, 1 << 20)))];
    }

    @Override
    public CompletionStage<FetchedPage> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            int n = item.remaining();
            if ((long) length + n > limit) {
                subscription.cancel();
                buffer = null;
                result.completeExceptionally(new PageTooLargeException(limit));
                return;
            }
            if (length + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, Math.max((long) buffer.length * 2, length + n)));
            }
            item.get(buffer, length, n);
            length += n;
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        if (!result.isDone()) {
            result.complete(new FetchedPage(buffer, length));
        }
    }
}
