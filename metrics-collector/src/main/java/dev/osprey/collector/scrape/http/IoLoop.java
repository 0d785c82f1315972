package dev.osprey.collector.scrape.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread with its own connections, idle pool and reusable buffers. Exchanges are handed over through a
 * queue ({@link #submit}); everything else runs on the loop's thread. Deadlines are checked every
 * {@value #SWEEP_MILLIS} ms, idle connections closed after {@code idleTimeout}.
 */
final class IoLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);
    static final int SWEEP_MILLIS = 10;
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int PAGE_BUFFER_BYTES = 64 * 1024;
    private static final int MAX_POOLED_BUFFERS = 64;
    private static final int MAX_POOLED_BUFFER_BYTES = 1 << 20;

    private final Selector selector;
    private final Thread thread;
    private final long idleTimeoutNanos;
    private final String timeoutText;
    private final int maxBodyBytes;
    private final Queue<Exchange<?>> submitted = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final Map<PageRequest, ArrayDeque<Connection>> idle = new HashMap<>();
    private final List<Connection> tracked = new ArrayList<>();
    private final ArrayDeque<byte[]> buffers = new ArrayDeque<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private volatile boolean running = true;
    private long nextIdleSweep;

    IoLoop(String name, long idleTimeoutNanos, String timeoutText, int maxBodyBytes) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.timeoutText = timeoutText;
        this.maxBodyBytes = maxBodyBytes;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Hands {@code exchange} to this loop; callable from any thread. */
    void submit(Exchange<?> exchange) {
        submitted.add(exchange);
        if (!running) {
            failSubmitted();
        } else if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    boolean isRunning() {
        return running;
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    @Override
    public void run() {
        long nextSweep = System.nanoTime();
        try {
            while (running) {
                wakeupPending.set(false);
                if (submitted.isEmpty()) {
                    selector.select(this::onKey, tracked.isEmpty() ? 1000 : SWEEP_MILLIS);
                } else {
                    selector.selectNow(this::onKey);
                }
                wakeupPending.set(true);
                Exchange<?> exchange;
                while ((exchange = submitted.poll()) != null) {
                    start(exchange);
                }
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweepDeadlines(now);
                    nextSweep = now + SWEEP_MILLIS * 1_000_000L;
                }
                if (now - nextIdleSweep >= 0) {
                    sweepIdle(now);
                    nextIdleSweep = now + 1_000_000_000L;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("HTTP I/O loop {} failed; its fetches fail from now on", thread.getName(), e);
            running = false;
        } finally {
            shutDown();
        }
    }

    private void onKey(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        try {
            connection.onReady(key.readyOps());
        } catch (java.nio.channels.CancelledKeyException e) {
            connection.abort(new FetchFailure(FetchFailure.Kind.CONNECT, "connection closed"));
        }
    }

    private void start(Exchange<?> exchange) {
        ArrayDeque<Connection> pool = idle.get(exchange.request);
        Connection connection = pool == null ? null : pool.pollLast();
        if (pool != null && pool.isEmpty()) {
            idle.remove(exchange.request);
        }
        if (connection != null && connection.isOpen()) {
            connection.reuse(exchange);
        } else {
            Connection.open(this, exchange);
        }
    }

    SelectionKey register(SelectableChannel channel, int ops, Connection connection) throws ClosedChannelException {
        return channel.register(selector, ops, connection);
    }

    /** Adds a connection with a fresh exchange to the deadline list (once). */
    void track(Connection connection) {
        if (!connection.tracked) {
            connection.tracked = true;
            tracked.add(connection);
        }
    }

    private void sweepDeadlines(long now) {
        for (Iterator<Connection> it = tracked.iterator(); it.hasNext();) {
            Connection connection = it.next();
            Exchange<?> exchange = connection.exchange();
            if (exchange == null) {
                connection.tracked = false;
                it.remove();
            } else if (now - exchange.deadlineNanos >= 0) {
                connection.timeOut(timeoutText);
                connection.tracked = false;
                it.remove();
            }
        }
    }

    void parkIdle(Connection connection) {
        idle.computeIfAbsent(connection.key, k -> new ArrayDeque<>()).addLast(connection);
    }

    void unparkIdle(Connection connection) {
        ArrayDeque<Connection> pool = idle.get(connection.key);
        if (pool != null) {
            pool.remove(connection);
            if (pool.isEmpty()) {
                idle.remove(connection.key);
            }
        }
    }

    private void sweepIdle(long now) {
        List<Connection> expired = new ArrayList<>();
        for (ArrayDeque<Connection> pool : idle.values()) {
            for (Connection connection : pool) {
                if (now - connection.idleSinceNanos >= idleTimeoutNanos) {
                    expired.add(connection);
                }
            }
        }
        expired.forEach(Connection::close);
    }

    byte[] takeBuffer() {
        byte[] buffer = buffers.pollLast();
        return buffer != null ? buffer : new byte[PAGE_BUFFER_BYTES];
    }

    void returnBuffer(byte[] buffer) {
        if (buffers.size() < MAX_POOLED_BUFFERS && buffer.length <= MAX_POOLED_BUFFER_BYTES) {
            buffers.addLast(buffer);
        }
    }

    /** Stops the loop; pending and in-flight fetches end with {@link FetchFailure.Kind#CLOSED}. */
    void close() {
        running = false;
        selector.wakeup();
    }

    void awaitTermination(long millis) throws InterruptedException {
        thread.join(millis);
    }

    private void shutDown() {
        FetchFailure closed = new FetchFailure(FetchFailure.Kind.CLOSED, "HTTP client closed");
        for (SelectionKey key : List.copyOf(selector.keys())) {
            if (key.attachment() instanceof Connection connection) {
                connection.abort(closed);
            }
        }
        tracked.forEach(c -> c.abort(closed));
        tracked.clear();
        failSubmitted();
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing selector of {}", thread.getName(), e);
        }
    }

    private void failSubmitted() {
        FetchFailure closed = new FetchFailure(FetchFailure.Kind.CLOSED, "HTTP client closed");
        Exchange<?> exchange;
        while ((exchange = submitted.poll()) != null) {
            exchange.fail(closed);
        }
    }
}
