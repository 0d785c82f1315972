package dev.osprey.collector.scrape.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A GET of one page: where to connect and what to send, encoded once. Immutable; equal when host, port, authority
 * and target are. Build it once per scraped endpoint, not per fetch.
 */
public final class PageRequest {

    private final String host;
    private final int port;
    private final String authority;
    private final String target;
    private final byte[] encoded;
    private final int hash;

    /**
     * @param host the host to connect to (an IP literal, IPv6 in brackets, or a name resolved when a connection
     *     opens, on the I/O thread)
     * @param port the TCP port
     * @param authority the {@code Host} header value
     * @param target the request target: path and query
     */
    public PageRequest(String host, int port, String authority, String target) {
        this.host = Objects.requireNonNull(host, "host");
        this.authority = Objects.requireNonNull(authority, "authority");
        this.target = Objects.requireNonNull(target, "target");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 1..65535");
        }
        if ((authority + target).chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("authority and target must be printable ASCII without spaces");
        }
        this.port = port;
        this.encoded = ("GET " + target + " HTTP/1.1\r\nHost: " + authority
                + "\r\nAccept: text/plain;version=0.0.4\r\nUser-Agent: osprey-collector\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.hash = Objects.hash(host, port, authority, target);
    }

    /**
     * The GET of an {@code http://} URI with an explicit port.
     *
     * @throws IllegalArgumentException if the URI is not {@code http}, or has no host or port
     */
    public static PageRequest of(URI uri) {
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("need an http://host:port/ URI, got " + uri);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new PageRequest(uri.getHost(), uri.getPort(), uri.getRawAuthority(), target);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The request as sent: HTTP/1.1 GET with keep-alive, asking for the Prometheus text format uncompressed. */
    byte[] encoded() {
        return encoded;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof PageRequest that && port == that.port && host.equals(that.host)
                && authority.equals(that.authority) && target.equals(that.target));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "GET http://" + authority + target + " via " + host + ":" + port;
    }
}
