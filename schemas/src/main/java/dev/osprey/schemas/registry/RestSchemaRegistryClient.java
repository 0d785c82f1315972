package dev.osprey.schemas.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;

/**
 * A client for the Confluent Schema Registry REST API (also served by Apicurio in ccompat mode, Karapace and
 * Redpanda). Uncached: wrap it in {@link CachingSchemaRegistry}. Thread-safe.
 */
public final class RestSchemaRegistryClient implements SchemaRegistry {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final HttpClient http;
    private final Duration timeout;

    /** @param baseUrl the registry's root, e.g. {@code http://registry:8081} */
    public RestSchemaRegistryClient(URI baseUrl, Duration timeout) {
        String s = baseUrl.toString();
        this.baseUrl = URI.create(s.endsWith("/") ? s : s + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        JsonNode reply = post("subjects/" + encode(subject) + "/versions", schemaBody(schema), false);
        return reply.path("id").asInt();
    }

    @Override
    public Schema schemaById(int id) {
        JsonNode reply = send(HttpRequest.newBuilder(baseUrl.resolve("schemas/ids/" + id)).GET(), false);
        return new Schema.Parser().parse(reply.path("schema").asText());
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        JsonNode reply = post("compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema),
                true);
        return reply == null || reply.path("is_compatible").asBoolean(false);
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schemaType", "AVRO").put("schema", schema.toString()).toString();
    }

    private JsonNode post(String path, String body, boolean notFoundIsEmpty) {
        return send(HttpRequest.newBuilder(baseUrl.resolve(path))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)), notFoundIsEmpty);
    }

    private JsonNode send(HttpRequest.Builder request, boolean notFoundIsEmpty) {
        HttpRequest built = request.header("Accept", CONTENT_TYPE).timeout(timeout).build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry unreachable at " + built.uri(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted calling " + built.uri(), true, e);
        }
        int status = response.statusCode();
        if (status == 404 && notFoundIsEmpty) {
            return null;
        }
        if (status / 100 != 2) {
            throw new SchemaRegistryException(built.method() + " " + built.uri() + " answered " + status + ": "
                    + response.body(), status >= 500 || status == 429);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException("unreadable reply from " + built.uri(), false, e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }
}
