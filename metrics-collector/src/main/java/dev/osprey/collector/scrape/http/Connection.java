package dev.osprey.collector.scrape.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One keep-alive TCP connection to a page server, owned by one {@link IoLoop} and used only on its thread. It
 * carries one exchange at a time: connect (if new), write the request, read and frame the response, then either go
 * back to the loop's idle pool or close.
 */
final class Connection {

    private enum State { CONNECTING, WRITING, READING, IDLE, CLOSED }

    final PageRequest key;
    private final IoLoop loop;
    private final SocketChannel channel;
    private SelectionKey selectionKey;
    private State state;
    private Exchange<?> exchange;
    private ResponseReader reader;
    private ByteBuffer pendingWrite;
    /** Whether this connection already carried an exchange (so a dead keep-alive can be retried once). */
    private boolean reused;
    long idleSinceNanos;
    /** Whether the loop's deadline list holds this connection. */
    boolean tracked;

    private Connection(IoLoop loop, PageRequest key, SocketChannel channel) {
        this.loop = loop;
        this.key = key;
        this.channel = channel;
    }

    /** Opens a connection for {@code exchange} and starts it; failures end the exchange. */
    static void open(IoLoop loop, Exchange<?> exchange) {
        PageRequest request = exchange.request;
        InetSocketAddress address = new InetSocketAddress(request.host(), request.port());
        if (address.isUnresolved()) {
            exchange.fail(new FetchFailure(FetchFailure.Kind.CONNECT, "cannot resolve host " + request.host()));
            return;
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open();
        } catch (IOException e) {
            exchange.fail(new FetchFailure(FetchFailure.Kind.CONNECT, "cannot open a socket: " + describe(e)));
            return;
        }
        Connection connection = new Connection(loop, request, channel);
        connection.exchange = exchange;
        connection.state = State.CONNECTING;
        loop.track(connection);
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = channel.connect(address);
            connection.selectionKey = loop.register(channel, connected ? 0 : SelectionKey.OP_CONNECT, connection);
            if (connected) {
                connection.sendRequest();
            }
        } catch (IOException | RuntimeException e) {
            connection.failAndClose(new FetchFailure(FetchFailure.Kind.CONNECT, describe(e)));
        }
    }

    /** Starts {@code next} on this idle connection. */
    void reuse(Exchange<?> next) {
        exchange = next;
        reused = true;
        loop.track(this);
        sendRequest();
    }

    boolean isOpen() {
        return state != State.CLOSED;
    }

    Exchange<?> exchange() {
        return exchange;
    }

    /** Called by the loop when the selector reports this connection ready. */
    void onReady(int readyOps) {
        switch (state) {
            case CONNECTING -> {
                if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                    finishConnect();
                }
            }
            case WRITING -> {
                if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                    writePending();
                }
            }
            case READING -> onReadable();
            case IDLE -> {
                // an idle keep-alive connection has nothing to read: the server closed it or sent garbage
                close();
            }
            case CLOSED -> {
                // a stale readiness event after close
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    /** Ends the exchange as timed out (the deadline passed) and closes. */
    void timeOut(String timeout) {
        failAndClose(state == State.CONNECTING
                ? new FetchFailure(FetchFailure.Kind.CONNECT_TIMEOUT, "connect timed out after " + timeout)
                : new FetchFailure(FetchFailure.Kind.TIMEOUT, "no complete response within " + timeout));
    }

    private void finishConnect() {
        try {
            if (channel.finishConnect()) {
                sendRequest();
            }
        } catch (IOException e) {
            failAndClose(new FetchFailure(FetchFailure.Kind.CONNECT, describe(e)));
        }
    }

    private void sendRequest() {
        reader = new ResponseReader(loop.takeBuffer(), loop.maxBodyBytes());
        pendingWrite = ByteBuffer.wrap(exchange.request.encoded());
        state = State.WRITING;
        writePending();
    }

    private void writePending() {
        try {
            channel.write(pendingWrite);
        } catch (IOException e) {
            connectionLost(describe(e));
            return;
        }
        if (pendingWrite.hasRemaining()) {
            selectionKey.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        pendingWrite = null;
        state = State.READING;
        selectionKey.interestOps(SelectionKey.OP_READ);
    }

    private void onReadable() {
        ByteBuffer in = loop.readBuffer();
        while (true) {
            in.clear();
            int n;
            try {
                n = channel.read(in);
            } catch (IOException e) {
                connectionLost(describe(e));
                return;
            }
            if (n < 0) {
                endOfStream();
                return;
            }
            in.flip();
            try {
                while (in.hasRemaining()) {
                    int chunk = Math.min(reader.ensureSpace(), in.remaining());
                    in.get(reader.buffer(), reader.filled(), chunk);
                    reader.written(chunk);
                    if (reader.complete()) {
                        finish(!in.hasRemaining());
                        return;
                    }
                }
            } catch (ResponseReader.ResponseException e) {
                failAndClose(e.failure());
                return;
            }
            if (n < in.capacity()) {
                return;
            }
        }
    }

    private void endOfStream() {
        if (!reader.started()) {
            connectionLost("connection closed by the server before a response");
            return;
        }
        try {
            reader.endOfStream();
        } catch (ResponseReader.ResponseException e) {
            failAndClose(e.failure());
            return;
        }
        finish(false);
    }

    /** The connection broke: retry once on a fresh connection if a reused one died before any response byte. */
    private void connectionLost(String reason) {
        Exchange<?> current = exchange;
        if (reused && !current.retried && (reader == null || !reader.started())) {
            current.retried = true;
            exchange = null;
            close();
            open(loop, current);
            return;
        }
        failAndClose(new FetchFailure(FetchFailure.Kind.CONNECT, reason));
    }

    private void finish(boolean nothingAfterResponse) {
        Exchange<?> done = exchange;
        boolean keep = nothingAfterResponse && reader.reusable() && loop.isRunning();
        exchange = null;
        try {
            done.respond(reader.status(), reader.buffer(), reader.body(), reader.bodyEnd());
        } finally {
            loop.returnBuffer(reader.buffer());
            reader = null;
        }
        if (keep) {
            state = State.IDLE;
            idleSinceNanos = System.nanoTime();
            loop.parkIdle(this);
        } else {
            close();
        }
    }

    private void failAndClose(FetchFailure failure) {
        Exchange<?> current = exchange;
        exchange = null;
        close();
        if (current != null) {
            current.fail(failure);
        }
    }

    /** Closes the socket, returns the buffer and leaves the idle pool; the exchange (if any) is not ended here. */
    void close() {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.IDLE) {
            loop.unparkIdle(this);
        }
        state = State.CLOSED;
        if (reader != null) {
            loop.returnBuffer(reader.buffer());
            reader = null;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing a socket we no longer use: nothing left to do
        }
    }

    /** Ends the current exchange (if any) with {@code failure} and closes. */
    void abort(FetchFailure failure) {
        failAndClose(failure);
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
