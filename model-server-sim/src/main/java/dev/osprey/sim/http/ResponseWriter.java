package dev.osprey.sim.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.osprey.sim.engine.GenerationResult;
import dev.osprey.sim.text.SyntheticText;

/** Builds the OpenAI-shaped JSON documents of one response, whole or as stream chunks. */
final class ResponseWriter {

  private final boolean chat;
  private final String id;
  private final String model;
  private final long outputSeed;
  private final long created;

  ResponseWriter(boolean chat, String id, String model, long outputSeed, long created) {
    this.chat = chat;
    this.id = id;
    this.model = model;
    this.outputSeed = outputSeed;
    this.created = created;
  }

  private ObjectNode header(String object) {
    ObjectNode root = HttpIo.JSON.createObjectNode();
    root.put("id", id);
    root.put("object", object);
    root.put("created", created);
    root.put("model", model);
    return root;
  }

  /** True for the chat API. */
  boolean isChat() {
    return chat;
  }

  /** The non-streamed response. */
  ObjectNode whole(GenerationResult result) {
    ObjectNode root = header(chat ? "chat.completion" : "text_completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    String text = SyntheticText.text(outputSeed, result.completionTokens());
    if (chat) {
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      message.put("content", text);
    } else {
      choice.put("text", text);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", result.finishReason());
    if (!chat) {
      choice.putNull("stop_reason");
    }
    root.set("usage", usage(result));
    return root;
  }

  /** A stream chunk carrying the first assistant role (chat only). */
  ObjectNode roleChunk() {
    ObjectNode root = header("chat.completion.chunk");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    delta.put("role", "assistant");
    delta.put("content", "");
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    return root;
  }

  /** A stream chunk carrying output token {@code position}, and the finish reason if last. */
  ObjectNode tokenChunk(int position, String finishReason) {
    ObjectNode root = header(chat ? "chat.completion.chunk" : "text_completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    String text = SyntheticText.tokenText(outputSeed, position);
    if (chat) {
      choice.putObject("delta").put("content", text);
    } else {
      choice.put("text", text);
    }
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return root;
  }

  /** The last stream chunk: no choices, only usage. */
  ObjectNode usageChunk(GenerationResult result) {
    ObjectNode root = header(chat ? "chat.completion.chunk" : "text_completion");
    root.putArray("choices");
    root.set("usage", usage(result));
    return root;
  }

  private static ObjectNode usage(GenerationResult result) {
    ObjectNode usage = HttpIo.JSON.createObjectNode();
    usage.put("prompt_tokens", result.promptTokens());
    usage.put("total_tokens", result.promptTokens() + result.completionTokens());
    usage.put("completion_tokens", result.completionTokens());
    usage.putObject("prompt_tokens_details").put("cached_tokens", result.cachedTokens());
    return usage;
  }
}
