package dev.osprey.sim.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.osprey.sim.serving.ServedModels;
import java.io.IOException;

/**
 * {@code POST /v1/load_lora_adapter} ({@code {"lora_name","lora_path"}}) and
 * {@code POST /v1/unload_lora_adapter} ({@code {"lora_name"}}), with vLLM's answers: 200 and a
 * text message on success, 400 for bad JSON or an adapter already loaded, 404 for unloading an
 * unknown adapter.
 */
public final class LoraAdminHandler implements HttpHandler {

  private final ServedModels models;
  private final boolean load;

  /**
   * @param models registry to change
   * @param load true for the load endpoint, false for unload
   */
  public LoraAdminHandler(ServedModels models, boolean load) {
    this.models = models;
    this.load = load;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!HttpIo.requireMethod(exchange, "POST")) {
        return;
      }
      JsonNode root;
      try {
        root = HttpIo.JSON.readTree(HttpIo.readBody(exchange));
      } catch (JsonProcessingException e) {
        HttpIo.sendError(exchange, 400, "Invalid JSON body: " + e.getOriginalMessage());
        return;
      }
      JsonNode name = root == null ? null : root.get("lora_name");
      if (name == null || !name.isTextual() || name.asText().isBlank()
          || name.asText().contains(",")) {
        HttpIo.sendError(exchange, 400, "'lora_name' is required (a name without commas)");
        return;
      }
      String adapter = name.asText();
      if (load) {
        JsonNode path = root.get("lora_path");
        if (!models.register(adapter, path != null && path.isTextual() ? path.asText() : null)) {
          HttpIo.sendError(exchange, 400,
              "The lora adapter '" + adapter + "' has already been loaded.");
          return;
        }
        HttpIo.sendText(exchange, 200, "text/plain; charset=utf-8",
            "Success: LoRA adapter '" + adapter + "' added successfully.");
      } else {
        if (!models.unregister(adapter)) {
          HttpIo.sendError(exchange, 404, "The lora adapter '" + adapter + "' cannot be found.");
          return;
        }
        HttpIo.sendText(exchange, 200, "text/plain; charset=utf-8",
            "Success: LoRA adapter '" + adapter + "' removed successfully.");
      }
    }
  }
}
