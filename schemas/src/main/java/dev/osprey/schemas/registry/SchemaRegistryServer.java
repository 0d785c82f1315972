package dev.osprey.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.osprey.schemas.http.HttpServers;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Serves an {@link InMemorySchemaRegistry} over the Confluent REST API subset Osprey uses, so the all-in-one mode
 * offers a registry to external consumers (kcat, analytics jobs) and {@link RestSchemaRegistryClient} is tested on
 * a real HTTP exchange. Endpoints: {@code POST /subjects/{s}/versions}, {@code GET /schemas/ids/{id}},
 * {@code POST /compatibility/subjects/{s}/versions/latest}, {@code GET /subjects}.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemorySchemaRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;

    private SchemaRegistryServer(InMemorySchemaRegistry registry, HttpServer server, ExecutorService executor) {
        this.registry = registry;
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving {@code registry} on {@code address} (port 0 picks a free port). */
    public static SchemaRegistryServer start(InMemorySchemaRegistry registry, InetSocketAddress address)
            throws IOException {
        HttpServer server = HttpServers.create(address, 64);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "schema-registry-http");
            t.setDaemon(true);
            return t;
        });
        SchemaRegistryServer s = new SchemaRegistryServer(registry, server, executor);
        server.createContext("/", s::handle);
        server.setExecutor(executor);
        server.start();
        return s;
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8081}. */
    public URI url() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getRawPath().replaceAll("^/+|/+$", "").split("/");
            String method = exchange.getRequestMethod();
            try {
                if (method.equals("POST") && parts.length == 3 && parts[0].equals("subjects")
                        && parts[2].equals("versions")) {
                    int id = registry.register(decode(parts[1]), readSchema(exchange));
                    reply(exchange, 200, JSON.createObjectNode().put("id", id));
                } else if (method.equals("GET") && parts.length == 3 && parts[0].equals("schemas")
                        && parts[1].equals("ids")) {
                    Schema schema = registry.schemaById(Integer.parseInt(parts[2]));
                    reply(exchange, 200, JSON.createObjectNode().put("schema", schema.toString()));
                } else if (method.equals("POST") && parts.length == 5 && parts[0].equals("compatibility")) {
                    String subject = decode(parts[2]);
                    if (registry.latest(subject).isEmpty()) {
                        reply(exchange, 404, error(40401, "Subject '" + subject + "' not found."));
                    } else {
                        boolean ok = registry.isCompatible(subject, readSchema(exchange));
                        reply(exchange, 200, JSON.createObjectNode().put("is_compatible", ok));
                    }
                } else if (method.equals("GET") && parts.length == 1 && parts[0].equals("subjects")) {
                    reply(exchange, 200, JSON.valueToTree(registry.subjects()));
                } else {
                    reply(exchange, 404, error(404, "no route for " + method + " " + exchange.getRequestURI()));
                }
            } catch (NumberFormatException | SchemaParseException e) {
                reply(exchange, 422, error(42201, "invalid request: " + e.getMessage()));
            } catch (SchemaRegistryException e) {
                int status = e.getMessage().startsWith("no schema") ? 404 : 409;
                reply(exchange, status, error(status == 404 ? 40403 : 409, e.getMessage()));
            }
        }
    }

    private static Schema readSchema(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode body = JSON.readTree(in);
            if (body == null || !body.path("schema").isTextual()) {
                throw new SchemaParseException("body must be a JSON object with a string field 'schema'");
            }
            return new Schema.Parser().parse(body.path("schema").asText());
        }
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
