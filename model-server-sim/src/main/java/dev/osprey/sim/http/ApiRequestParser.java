package dev.osprey.sim.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.osprey.sim.text.Tokenizer;
import java.io.IOException;

/**
 * Parses OpenAI request bodies. Completions accept {@code prompt} as a string, a list of strings
 * (joined with newlines) or a list of token ids. Chat renders each message as
 * {@code "<role>: <content>\n"} and appends {@code "assistant:"}, then tokenizes that text; content
 * may be a string or a list of {@code {"type":"text","text":...}} parts. {@code max_tokens} (or
 * {@code max_completion_tokens}) defaults to {@link #DEFAULT_MAX_TOKENS}. Stateless.
 */
final class ApiRequestParser {

  /** Output limit when the request gives none (the OpenAI completions default). */
  static final int DEFAULT_MAX_TOKENS = 16;

  private ApiRequestParser() {
  }

  static ApiRequest parse(byte[] body, boolean chat) throws BadRequestException {
    JsonNode root;
    try {
      root = HttpIo.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequestException("Invalid JSON body: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new BadRequestException("Unreadable body: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new BadRequestException("The request body must be a JSON object");
    }
    JsonNode model = root.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      throw new BadRequestException("The 'model' field is required and must be a string");
    }
    int[] prompt = chat ? chatPrompt(root.get("messages")) : textPrompt(root.get("prompt"));
    int maxTokens = maxTokens(root);
    boolean stream = bool(root, "stream");
    JsonNode options = root.get("stream_options");
    boolean includeUsage = options != null && options.isObject() && bool(options, "include_usage");
    return new ApiRequest(chat, model.asText(), prompt, maxTokens, stream, includeUsage,
        bool(root, "ignore_eos"));
  }

  private static boolean bool(JsonNode node, String field) throws BadRequestException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new BadRequestException("'" + field + "' must be a boolean");
    }
    return v.asBoolean();
  }

  private static int maxTokens(JsonNode root) throws BadRequestException {
    JsonNode v = root.get("max_tokens");
    if (v == null || v.isNull()) {
      v = root.get("max_completion_tokens");
    }
    if (v == null || v.isNull()) {
      return DEFAULT_MAX_TOKENS;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
      throw new BadRequestException("'max_tokens' must be an integer >= 1");
    }
    return v.asInt();
  }

  private static int[] textPrompt(JsonNode prompt) throws BadRequestException {
    if (prompt == null || prompt.isNull()) {
      throw new BadRequestException("The 'prompt' field is required");
    }
    if (prompt.isTextual()) {
      return nonEmpty(Tokenizer.encode(prompt.asText()));
    }
    if (!prompt.isArray() || prompt.isEmpty()) {
      throw new BadRequestException("'prompt' must be a string, a list of strings or token ids");
    }
    if (prompt.get(0).isIntegralNumber()) {
      int[] ids = new int[prompt.size()];
      for (int i = 0; i < ids.length; i++) {
        JsonNode t = prompt.get(i);
        if (!t.isIntegralNumber() || !t.canConvertToInt() || t.asInt() < 0) {
          throw new BadRequestException("token ids in 'prompt' must be non-negative integers");
        }
        ids[i] = t.asInt();
      }
      return ids;
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : prompt) {
      if (!part.isTextual()) {
        throw new BadRequestException("'prompt' lists must hold only strings or only token ids");
      }
      text.append(part.asText()).append('\n');
    }
    return nonEmpty(Tokenizer.encode(text.toString()));
  }

  private static int[] chatPrompt(JsonNode messages) throws BadRequestException {
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new BadRequestException("The 'messages' field is required and must be a non-empty list");
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode m : messages) {
      JsonNode role = m.get("role");
      if (!m.isObject() || role == null || !role.isTextual()) {
        throw new BadRequestException("each message must be an object with a string 'role'");
      }
      text.append(role.asText()).append(": ");
      JsonNode content = m.get("content");
      if (content != null && content.isTextual()) {
        text.append(content.asText());
      } else if (content != null && content.isArray()) {
        for (JsonNode part : content) {
          JsonNode partText = part.get("text");
          if (partText != null && partText.isTextual()) {
            text.append(partText.asText()).append(' ');
          }
        }
      } else if (content != null && !content.isNull()) {
        throw new BadRequestException("message 'content' must be a string or a list of parts");
      }
      text.append('\n');
    }
    text.append("assistant:");
    return Tokenizer.encode(text.toString());
  }

  private static int[] nonEmpty(int[] tokens) throws BadRequestException {
    if (tokens.length == 0) {
      throw new BadRequestException("The prompt must not be empty");
    }
    return tokens;
  }
}
