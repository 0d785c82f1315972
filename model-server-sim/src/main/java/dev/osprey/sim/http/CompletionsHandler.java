package dev.osprey.sim.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.osprey.sim.FailureInjection;
import dev.osprey.sim.engine.GenerationRequest;
import dev.osprey.sim.engine.GenerationResult;
import dev.osprey.sim.serving.InferenceBackend;
import dev.osprey.sim.serving.ServedModels;
import dev.osprey.sim.text.SyntheticText;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/completions} and {@code POST /v1/chat/completions}: validates, applies injected
 * failures, submits to the backend and answers with one JSON document or a server-sent event stream.
 * Thread-safe; each exchange runs on its own server thread and blocks until its request finishes.
 */
public final class CompletionsHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CompletionsHandler.class);

  private final boolean chat;
  private final ServedModels models;
  private final InferenceBackend backend;
  private final int maxModelLen;
  private final long seed;
  private final Supplier<FailureInjection> failures;
  private final SplittableRandom random;
  private final AtomicLong submitted = new AtomicLong();

  /**
   * @param chat true for the chat API
   * @param models names this server answers to
   * @param backend token producer
   * @param maxModelLen longest prompt + max_tokens accepted
   * @param seed seed of outputs and injected errors
   * @param failures current fault settings, read per request
   */
  public CompletionsHandler(boolean chat, ServedModels models, InferenceBackend backend,
      int maxModelLen, long seed, Supplier<FailureInjection> failures) {
    this.chat = chat;
    this.models = models;
    this.backend = backend;
    this.maxModelLen = maxModelLen;
    this.seed = seed;
    this.failures = failures;
    this.random = new SplittableRandom(seed ^ (chat ? 0x5eed : 0x7e57));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!HttpIo.requireMethod(exchange, "POST")) {
        return;
      }
      ApiRequest request;
      try {
        request = ApiRequestParser.parse(HttpIo.readBody(exchange), chat);
      } catch (BadRequestException e) {
        HttpIo.sendError(exchange, 400, e.getMessage());
        return;
      }
      if (!models.serves(request.model())) {
        HttpIo.sendError(exchange, 404, "The model `" + request.model() + "` does not exist.");
        return;
      }
      int total = request.promptTokens().length + request.maxTokens();
      if (total > maxModelLen) {
        HttpIo.sendError(exchange, 400, "This model's maximum context length is " + maxModelLen
            + " tokens. However, you requested " + total + " tokens ("
            + request.promptTokens().length + " in the prompt, " + request.maxTokens()
            + " in the completion). Please reduce the length of the prompt or completion.");
        return;
      }
      FailureInjection f = failures.get();
      if (f.errorRate() > 0 && nextDouble() < f.errorRate()) {
        HttpIo.sendError(exchange, f.errorStatus(), "Injected failure (simulator)");
        return;
      }
      String id = (chat ? "chatcmpl-" : "cmpl-") + requestId(exchange);
      String adapter = models.isAdapter(request.model()) ? request.model() : null;
      // The engine id must be unique even when clients reuse x-request-id.
      String engineId = id + "#" + submitted.incrementAndGet();
      GenerationRequest generation = new GenerationRequest(engineId, adapter,
          request.promptTokens(), request.maxTokens(), request.ignoreEos(),
          SyntheticText.seedOf(request.promptTokens(), seed));
      QueueSink sink = new QueueSink();
      InferenceBackend.RequestHandle handle = backend.submit(generation, sink);
      ResponseWriter writer = new ResponseWriter(chat, id, request.model(),
          generation.outputSeed(), System.currentTimeMillis() / 1000);
      try {
        if (request.stream()) {
          new SseStream(exchange, writer, request.includeUsage()).run(sink);
        } else {
          answerWhole(exchange, writer, sink);
        }
      } catch (IOException e) {
        handle.cancel();
        LOG.debug("request {}: client went away: {}", id, e.toString());
      } catch (InterruptedException e) {
        handle.cancel();
        Thread.currentThread().interrupt();
      }
    }
  }

  private synchronized double nextDouble() {
    return random.nextDouble();
  }

  private static String requestId(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("x-request-id");
    return header != null && !header.isBlank() ? header : UUID.randomUUID().toString();
  }

  private void answerWhole(HttpExchange exchange, ResponseWriter writer, QueueSink sink)
      throws IOException, InterruptedException {
    while (true) {
      QueueSink.Event event = sink.take();
      if (event instanceof QueueSink.Finished finished) {
        GenerationResult result = finished.result();
        ObjectNode body = writer.whole(result);
        HttpIo.sendJson(exchange, 200, body);
        return;
      }
      if (event instanceof QueueSink.Failed failed) {
        HttpIo.sendError(exchange, failed.status(), failed.message());
        return;
      }
    }
  }
}
