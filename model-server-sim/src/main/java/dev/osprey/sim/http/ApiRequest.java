package dev.osprey.sim.http;

/**
 * A parsed {@code /v1/completions} or {@code /v1/chat/completions} request.
 *
 * @param chat true for the chat API
 * @param model requested model or adapter name
 * @param promptTokens token ids of the prompt (chat: of the rendered conversation)
 * @param maxTokens output token limit
 * @param stream whether to answer with server-sent events
 * @param includeUsage {@code stream_options.include_usage}
 * @param ignoreEos produce exactly max_tokens
 */
record ApiRequest(
    boolean chat, String model, int[] promptTokens, int maxTokens, boolean stream,
    boolean includeUsage, boolean ignoreEos) {
}
