package dev.osprey.schemas.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * Creates the JDK HTTP servers Osprey's processes run, with TCP_NODELAY on every accepted connection.
 *
 * <p>The JDK server leaves Nagle's algorithm on unless the system property {@value #NODELAY} is {@code true}, and it
 * reads that property once per JVM, when the first server is created. With Nagle on, a small write that follows
 * another unacknowledged one (the first SSE chunk after the response headers) waits for the peer's delayed ACK:
 * about 40 ms on Linux, added to time to first token on every streamed response and every proxy hop. So every
 * Osprey server is created here, and the property is set before the first one exists; an operator's explicit
 * {@code -Dsun.net.httpserver.nodelay=false} is kept.
 */
public final class HttpServers {

    /** The JDK's switch for TCP_NODELAY on accepted connections. */
    public static final String NODELAY = "sun.net.httpserver.nodelay";

    private HttpServers() {
    }

    /**
     * {@link HttpServer#create(InetSocketAddress, int)}, with TCP_NODELAY unless the operator turned it off.
     *
     * @throws BindException naming {@code address} when it is in use or cannot be bound (the JDK's says neither)
     */
    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        System.getProperties().putIfAbsent(NODELAY, "true");
        try {
            return HttpServer.create(address, backlog);
        } catch (BindException e) {
            BindException named = new BindException("cannot listen on " + address.getHostString() + ":"
                    + address.getPort() + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        }
    }
}
