package dev.osprey.collector.parse;

import java.util.List;
import java.util.Objects;

import static dev.osprey.collector.parse.SeriesSelector.label;
import static dev.osprey.collector.parse.SeriesSelector.value;

/**
 * Which series carry which signal for one engine. Order matters: when several selectors give the same signal, the
 * earliest one present on the page wins (so {@code vllm:kv_cache_usage_perc} beats the older
 * {@code vllm:gpu_cache_usage_perc}); among series of one selector the first on the page wins, except LoRA info
 * where the largest value wins.
 */
public record EngineMapping(EngineType engine, List<SeriesSelector> selectors) {

    /** LoRA info labels (vLLM). */
    public static final String MAX_LORA = "max_lora";
    public static final String RUNNING_LORA_ADAPTERS = "running_lora_adapters";
    public static final String WAITING_LORA_ADAPTERS = "waiting_lora_adapters";

    public EngineMapping {
        Objects.requireNonNull(engine, "engine");
        selectors = List.copyOf(selectors);
        for (Signal signal : Signal.values()) {
            if (signal.required() && selectors.stream().noneMatch(s -> s.signal() == signal)) {
                throw new IllegalArgumentException("mapping for " + engine.label() + " lacks required signal " + signal);
            }
        }
    }

    /** The built-in mapping of DESIGN.md section 4 for {@code engine}. */
    public static EngineMapping builtIn(EngineType engine) {
        return switch (engine) {
            case VLLM -> new EngineMapping(engine, List.of(
                    value(Signal.WAITING, "vllm:num_requests_waiting"),
                    value(Signal.RUNNING, "vllm:num_requests_running"),
                    value(Signal.KV_UTILIZATION, "vllm:kv_cache_usage_perc"),
                    value(Signal.KV_UTILIZATION, "vllm:gpu_cache_usage_perc"),
                    label(Signal.BLOCK_SIZE, "vllm:cache_config_info", "block_size"),
                    label(Signal.NUM_GPU_BLOCKS, "vllm:cache_config_info", "num_gpu_blocks"),
                    value(Signal.PREFIX_CACHE_QUERIES, "vllm:prefix_cache_queries_total"),
                    value(Signal.PREFIX_CACHE_QUERIES, "vllm:gpu_prefix_cache_queries_total"),
                    value(Signal.PREFIX_CACHE_HITS, "vllm:prefix_cache_hits_total"),
                    value(Signal.PREFIX_CACHE_HITS, "vllm:gpu_prefix_cache_hits_total"),
                    value(Signal.LORA_INFO, "vllm:lora_requests_info")));
            case SGLANG -> new EngineMapping(engine, List.of(
                    value(Signal.WAITING, "sglang:num_queue_reqs"),
                    value(Signal.RUNNING, "sglang:num_running_reqs"),
                    value(Signal.KV_UTILIZATION, "sglang:token_usage"),
                    label(Signal.BLOCK_SIZE, "sglang:cache_config_info", "page_size"),
                    label(Signal.NUM_GPU_BLOCKS, "sglang:cache_config_info", "num_pages")));
            case TRITON -> new EngineMapping(engine, List.of(
                    value(Signal.WAITING, "nv_trt_llm_request_metrics", "request_type", "waiting"),
                    value(Signal.RUNNING, "nv_trt_llm_request_metrics", "request_type", "scheduled"),
                    value(Signal.KV_UTILIZATION, "nv_trt_llm_kv_cache_block_metrics", "kv_cache_block_type", "fraction"),
                    value(Signal.BLOCK_SIZE, "nv_trt_llm_kv_cache_block_metrics", "kv_cache_block_type", "tokens_per"),
                    value(Signal.NUM_GPU_BLOCKS, "nv_trt_llm_kv_cache_block_metrics", "kv_cache_block_type", "max")));
            case TRTLLM_SERVE -> new EngineMapping(engine, List.of(
                    value(Signal.WAITING, "trtllm_num_requests_waiting"),
                    value(Signal.RUNNING, "trtllm_num_requests_running"),
                    value(Signal.KV_UTILIZATION, "trtllm_kv_cache_utilization"),
                    value(Signal.BLOCK_SIZE, "trtllm_kv_cache_tokens_per_block"),
                    value(Signal.NUM_GPU_BLOCKS, "trtllm_kv_cache_max_blocks")));
        };
    }

    /** The metric name of the first selector giving {@code signal}, for messages; empty string if none. */
    public String primaryMetric(Signal signal) {
        return selectors.stream().filter(s -> s.signal() == signal).map(SeriesSelector::metric).findFirst().orElse("");
    }
}
