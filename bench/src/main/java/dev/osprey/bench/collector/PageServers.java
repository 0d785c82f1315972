package dev.osprey.bench.collector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cheap loopback page servers for the load run: {@code count} listening sockets on 127.0.0.1, 127.0.0.2, ... all
 * served by one selector thread that answers every request (any request: it only looks for the blank line ending
 * the header section) with the same pre-rendered HTTP/1.1 keep-alive response held in one direct buffer. Nothing is
 * allocated or copied per request in Java; the kernel copies the page into the socket. The thread's CPU time is
 * reported separately so the collector's share of the machine can be told apart.
 */
final class PageServers implements AutoCloseable {

    private final Selector selector;
    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private final ByteBuffer response;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(16 * 1024);
    private final Thread thread;
    private volatile boolean running = true;

    /** Per connection: how far into a CRLFCRLF we are, the answer being written, answers still owed. */
    private static final class Client {
        int matched;
        ByteBuffer writing;
        int owed;
    }

    PageServers(int count, byte[] page) {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: "
                + page.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer bytes = ByteBuffer.allocateDirect(head.length + page.length);
        bytes.put(head).put(page).flip();
        this.response = bytes.asReadOnlyBuffer();
        try {
            selector = Selector.open();
            for (int i = 0; i < count; i++) {
                ServerSocketChannel server = ServerSocketChannel.open();
                server.bind(new InetSocketAddress("127.0.0." + (i + 1), 0), 4096);
                server.configureBlocking(false);
                server.register(selector, SelectionKey.OP_ACCEPT);
                addresses.add((InetSocketAddress) server.getLocalAddress());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open page servers", e);
        }
        thread = new Thread(this::run, "page-servers");
        thread.setDaemon(true);
        thread.start();
    }

    List<InetSocketAddress> addresses() {
        return addresses;
    }

    /** CPU time of the serving thread so far (user + system), in nanoseconds. */
    long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.getThreadCpuTime(thread.getId());
    }

    private void run() {
        try {
            while (running) {
                selector.select(this::onKey, 500);
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                System.err.println("page servers failed: " + e);
            }
        }
    }

    private void onKey(SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                SocketChannel channel = ((ServerSocketChannel) key.channel()).accept();
                if (channel != null) {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channel.register(selector, SelectionKey.OP_READ, new Client());
                }
                return;
            }
            SocketChannel channel = (SocketChannel) key.channel();
            Client client = (Client) key.attachment();
            if (key.isReadable() && !read(channel, client)) {
                key.cancel();
                channel.close();
                return;
            }
            write(key, channel, client);
        } catch (IOException e) {
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }

    /** Reads requests, counting the answers owed; false at end of stream. */
    private boolean read(SocketChannel channel, Client client) throws IOException {
        while (true) {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                byte b = readBuffer.get(i);
                int m = client.matched;
                client.matched = (b == '\r' && (m == 0 || m == 2)) || (b == '\n' && (m == 1 || m == 3)) ? m + 1
                        : (b == '\r' ? 1 : 0);
                if (client.matched == 4) {
                    client.matched = 0;
                    client.owed++;
                }
            }
            if (n < readBuffer.capacity()) {
                return true;
            }
        }
    }

    private void write(SelectionKey key, SocketChannel channel, Client client) throws IOException {
        while (true) {
            if (client.writing == null) {
                if (client.owed == 0) {
                    key.interestOps(SelectionKey.OP_READ);
                    return;
                }
                client.owed--;
                client.writing = response.duplicate();
            }
            channel.write(client.writing);
            if (client.writing.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            client.writing = null;
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2_000);
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        } catch (IOException e) {
            System.err.println("closing page servers: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
