package dev.osprey.schemas.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds a registry from a URL: {@code mock://<scope>} gives the in-memory registry shared by everything in this
 * JVM that names the same scope (the Confluent convention for tests); {@code http(s)://...} gives a cached REST
 * client.
 */
public final class SchemaRegistries {

    private static final Map<String, InMemorySchemaRegistry> MOCK_SCOPES = new ConcurrentHashMap<>();

    private SchemaRegistries() {
    }

    /**
     * @throws IllegalArgumentException naming the URL when its scheme is neither {@code mock}, {@code http} nor
     *     {@code https}
     */
    public static SchemaRegistry fromUrl(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        return switch (scheme) {
            case "mock" -> mockScope(url.substring("mock://".length()));
            case "http", "https" -> new CachingSchemaRegistry(new RestSchemaRegistryClient(uri, Duration.ofSeconds(5)));
            default -> throw new IllegalArgumentException(
                    "schema registry url must start with mock://, http:// or https://, got: " + url);
        };
    }

    /** The in-memory registry of a {@code mock://} scope, created on first use. */
    public static InMemorySchemaRegistry mockScope(String scope) {
        return MOCK_SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }
}
