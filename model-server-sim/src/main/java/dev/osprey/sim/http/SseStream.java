package dev.osprey.sim.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes one response as server-sent events: {@code data: {chunk}} per token (the last one carries
 * the finish reason), an optional usage chunk, then {@code data: [DONE]}. An error after the stream
 * started is sent as a {@code data: {"error":...}} event before {@code [DONE]}.
 */
final class SseStream {

  private final HttpExchange exchange;
  private final ResponseWriter writer;
  private final boolean includeUsage;
  private OutputStream out;

  SseStream(HttpExchange exchange, ResponseWriter writer, boolean includeUsage) {
    this.exchange = exchange;
    this.writer = writer;
    this.includeUsage = includeUsage;
  }

  /** Consumes events until the request finishes; throws IOException if the client went away. */
  void run(QueueSink sink) throws IOException, InterruptedException {
    int pending = -1;
    while (true) {
      QueueSink.Event event = sink.take();
      if (event instanceof QueueSink.Token token) {
        if (pending >= 0) {
          write(writer.tokenChunk(pending, null));
        } else {
          start();
        }
        pending = token.position();
      } else if (event instanceof QueueSink.Finished finished) {
        if (pending < 0) {
          start();
        } else {
          write(writer.tokenChunk(pending, finished.result().finishReason()));
        }
        if (includeUsage) {
          write(writer.usageChunk(finished.result()));
        }
        done();
        return;
      } else if (event instanceof QueueSink.Failed failed) {
        if (out == null) {
          HttpIo.sendError(exchange, failed.status(), failed.message());
          return;
        }
        write(HttpIo.errorBody(failed.status(), failed.message()));
        done();
        return;
      }
    }
  }

  private void start() throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    out = exchange.getResponseBody();
    if (writer.isChat()) {
      write(writer.roleChunk());
    }
  }

  private void write(JsonNode chunk) throws IOException {
    out.write(("data: " + HttpIo.JSON.writeValueAsString(chunk) + "\n\n")
        .getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void done() throws IOException {
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    out.close();
  }
}
