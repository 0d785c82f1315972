package dev.osprey.collector.scrape.http;

/**
 * Turns the end of one fetch into a result, on the client's I/O thread. Exactly one method is called per fetch.
 * Implementations must be quick (they hold up the I/O thread's other connections) and should not throw; a thrown
 * exception completes the fetch's future exceptionally.
 *
 * @param <T> the result type
 */
public interface ResponseHandler<T> {

    /**
     * A complete response (any status). {@code bytes[from, to)} is the body, valid only during this call: the
     * array is reused afterwards.
     */
    T onResponse(int status, byte[] bytes, int from, int to);

    /** No complete response. */
    T onFailure(FetchFailure failure);
}
