package dev.osprey.collector.parse;

/** What a selected series tells about an endpoint. */
public enum Signal {
    /** Requests queued, not yet scheduled. Required. */
    WAITING(true),
    /** Requests in the running batch. Required. */
    RUNNING(true),
    /** KV-cache utilization, a fraction 0 to 1. Required. */
    KV_UTILIZATION(true),
    /** Tokens per KV block (optional). */
    BLOCK_SIZE(false),
    /** KV blocks on the GPU (optional). */
    NUM_GPU_BLOCKS(false),
    /** Cumulative prefix-cache queries as scraped (optional). */
    PREFIX_CACHE_QUERIES(false),
    /** Cumulative prefix-cache hits as scraped (optional). */
    PREFIX_CACHE_HITS(false),
    /**
     * The LoRA info gauge: labels {@code max_lora}, {@code running_lora_adapters}, {@code waiting_lora_adapters};
     * the series with the largest value wins (optional).
     */
    LORA_INFO(false);

    private final boolean required;

    Signal(boolean required) {
        this.required = required;
    }

    /** Whether a page without this signal is a parse error. */
    public boolean required() {
        return required;
    }
}
