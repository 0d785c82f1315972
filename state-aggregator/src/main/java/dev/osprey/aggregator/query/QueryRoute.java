package dev.osprey.aggregator.query;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A parsed query path. Ids are single path segments, percent-encoded (a pool id {@code c1/ns/pool} is
 * {@code c1%2Fns%2Fpool}):
 * <ul>
 * <li>{@code /pools/{poolId}}</li>
 * <li>{@code /pools/{poolId}/endpoints/{endpointId}}</li>
 * <li>{@code /pools/{poolId}/adapters/{adapter}}</li>
 * <li>{@code /pools/{poolId}/prefixes?hashes=h1,h2,...} (signed decimal 64-bit block hashes, request order;
 * without {@code hashes} the whole index)</li>
 * </ul>
 */
public sealed interface QueryRoute {

    /** The pool whose owner answers. */
    String poolId();

    /** The path of this route, percent-encoded, for forwarding. */
    String path();

    /** A pool's state. */
    record Pool(String poolId) implements QueryRoute {
        @Override
        public String path() {
            return "/pools/" + encode(poolId);
        }
    }

    /** One endpoint of a pool. */
    record Endpoint(String poolId, String endpointId) implements QueryRoute {
        @Override
        public String path() {
            return "/pools/" + encode(poolId) + "/endpoints/" + encode(endpointId);
        }
    }

    /** Residency of one LoRA adapter in a pool. */
    record Adapter(String poolId, String adapter) implements QueryRoute {
        @Override
        public String path() {
            return "/pools/" + encode(poolId) + "/adapters/" + encode(adapter);
        }
    }

    /** The prefix index of a pool, matched against a request's block hashes (none: the whole index). */
    record Prefixes(String poolId, List<Long> hashes) implements QueryRoute {

        public Prefixes {
            hashes = List.copyOf(hashes);
        }

        @Override
        public String path() {
            String base = "/pools/" + encode(poolId) + "/prefixes";
            return hashes.isEmpty() ? base
                    : base + "?hashes=" + hashes.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
    }

    /** The route of a raw path and query (both still percent-encoded; query may be null), or empty. */
    static Optional<QueryRoute> parse(String rawPath, String rawQuery) {
        Optional<QueryRoute> route = parse(rawPath);
        if (route.isPresent() || !rawPath.matches("/pools/[^/]+/prefixes/?")) {
            return route;
        }
        String poolId;
        try {
            poolId = decode(rawPath.split("/")[2]);
        } catch (IllegalArgumentException malformedEscape) {
            return Optional.empty();
        }
        List<Long> hashes = new ArrayList<>();
        if (rawQuery != null) {
            for (String parameter : rawQuery.split("&")) {
                if (parameter.startsWith("hashes=")) {
                    for (String hash : decode(parameter.substring(7)).split(",")) {
                        if (!hash.isBlank()) {
                            try {
                                hashes.add(Long.parseLong(hash.trim()));
                            } catch (NumberFormatException notAHash) {
                                return Optional.empty();
                            }
                        }
                    }
                }
            }
        }
        return poolId.isEmpty() ? Optional.empty() : Optional.of(new Prefixes(poolId, hashes));
    }

    /** The route of a raw (still percent-encoded) request path, or empty when it names none. */
    static Optional<QueryRoute> parse(String rawPath) {
        String trimmed = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        String[] segments = trimmed.split("/", -1);
        if (segments.length < 3 || !segments[0].isEmpty() || !"pools".equals(segments[1])) {
            return Optional.empty();
        }
        try {
            String poolId = decode(segments[2]);
            if (poolId.isEmpty()) {
                return Optional.empty();
            }
            if (segments.length == 3) {
                return Optional.of(new Pool(poolId));
            }
            if (segments.length == 5 && !segments[4].isEmpty()) {
                String id = decode(segments[4]);
                return switch (segments[3]) {
                    case "endpoints" -> Optional.of(new Endpoint(poolId, id));
                    case "adapters" -> Optional.of(new Adapter(poolId, id));
                    default -> Optional.empty();
                };
            }
            return Optional.empty();
        } catch (IllegalArgumentException malformedEscape) {
            return Optional.empty();
        }
    }

    /** Percent-encodes one path segment ({@code /} becomes {@code %2F}, space {@code %20}). */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
