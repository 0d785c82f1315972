package dev.osprey.collector.scrape.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A GET of one page: where to connect and what to send. Immutable.
 *
 * @param host the host to connect to (an IP literal, IPv6 in brackets, or a name resolved when a connection opens)
 * @param port the TCP port
 * @param authority the {@code Host} header value
 * @param target the request target: path and query
 */
public record PageRequest(String host, int port, String authority, String target) {

    public PageRequest {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(target, "target");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 1..65535");
        }
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

    /** The request as sent: HTTP/1.1 GET with keep-alive, asking for the Prometheus text format uncompressed. */
    byte[] encode() {
        return ("GET " + target + " HTTP/1.1\r\nHost: " + authority
                + "\r\nAccept: text/plain;version=0.0.4\r\nUser-Agent: osprey-collector\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
