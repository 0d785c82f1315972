package dev.osprey.sim.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.osprey.sim.serving.ServedModels;
import java.io.IOException;

/** {@code GET /v1/models}: the base model and its registered adapters, as vLLM lists them. */
public final class ModelsHandler implements HttpHandler {

  private final ServedModels models;
  private final int maxModelLen;
  private final long created = System.currentTimeMillis() / 1000;

  public ModelsHandler(ServedModels models, int maxModelLen) {
    this.models = models;
    this.maxModelLen = maxModelLen;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!HttpIo.requireMethod(exchange, "GET")) {
        return;
      }
      ObjectNode root = HttpIo.JSON.createObjectNode();
      root.put("object", "list");
      ArrayNode data = root.putArray("data");
      entry(data, models.baseModel(), models.baseModel(), null);
      for (ServedModels.Adapter a : models.adapters()) {
        entry(data, a.name(), a.path(), models.baseModel());
      }
      HttpIo.sendJson(exchange, 200, root);
    }
  }

  private void entry(ArrayNode data, String id, String root, String parent) {
    ObjectNode m = data.addObject();
    m.put("id", id);
    m.put("object", "model");
    m.put("created", created);
    m.put("owned_by", "vllm");
    m.put("root", root);
    if (parent == null) {
      m.putNull("parent");
    } else {
      m.put("parent", parent);
    }
    m.put("max_model_len", maxModelLen);
  }
}
