package dev.osprey.sim.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers shared by the handlers: JSON bodies, OpenAI-style errors, the instance header. */
final class HttpIo {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String INSTANCE_HEADER = "x-osprey-sim-instance";

  private HttpIo() {
  }

  static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } else {
      exchange.close();
    }
  }

  static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
  }

  static void sendText(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The error object OpenAI and vLLM return: {@code {"error":{message,type,param,code}}}. */
  static ObjectNode errorBody(int status, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", errorType(status));
    error.putNull("param");
    error.put("code", status);
    return root;
  }

  static void sendError(HttpExchange exchange, int status, String message) throws IOException {
    sendJson(exchange, status, errorBody(status, message));
  }

  static String errorType(int status) {
    return switch (status) {
      case 400 -> "BadRequestError";
      case 401 -> "AuthenticationError";
      case 404 -> "NotFoundError";
      case 405 -> "MethodNotAllowedError";
      case 429 -> "RateLimitError";
      case 503 -> "ServiceUnavailableError";
      default -> "InternalServerError";
    };
  }

  /** Answers 405 unless the request uses {@code method}; true if it did. */
  static boolean requireMethod(HttpExchange exchange, String method) throws IOException {
    if (method.equalsIgnoreCase(exchange.getRequestMethod())) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", method);
    sendError(exchange, 405, "Method " + exchange.getRequestMethod() + " not allowed");
    return false;
  }
}
