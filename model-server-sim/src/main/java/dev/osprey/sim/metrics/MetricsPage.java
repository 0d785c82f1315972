package dev.osprey.sim.metrics;

import dev.osprey.sim.engine.EngineSnapshot;

/**
 * Renders an {@link EngineSnapshot} as a Prometheus page under one engine's metric names. vLLM
 * pages carry the labels {@code model_name} and {@code engine} as vLLM V1 does; the info gauges
 * carry their own labels. Stateless and thread-safe.
 */
public final class MetricsPage {

  private final MetricsDialect dialect;
  private final String modelName;
  private final String engineLabel;
  private final boolean prefixCaching;

  /**
   * @param dialect metric names to use
   * @param modelName value of the {@code model_name} label
   * @param engineLabel value of the {@code engine} label
   * @param prefixCaching shown in {@code vllm:cache_config_info}
   */
  public MetricsPage(MetricsDialect dialect, String modelName, String engineLabel,
      boolean prefixCaching) {
    this.dialect = dialect;
    this.modelName = modelName;
    this.engineLabel = engineLabel;
    this.prefixCaching = prefixCaching;
  }

  /**
   * Renders the page.
   *
   * @param s engine state
   * @param extraWaiting synthetic queued requests added to the waiting count (background load)
   * @param nowEpochSeconds wall-clock time, the value of {@code vllm:lora_requests_info}
   */
  public String render(EngineSnapshot s, int extraWaiting, double nowEpochSeconds) {
    PrometheusWriter w = new PrometheusWriter();
    switch (dialect) {
      case VLLM -> vllm(w, s, extraWaiting, nowEpochSeconds);
      case SGLANG -> sglang(w, s, extraWaiting);
      case TRITON -> triton(w, s, extraWaiting);
      case TRTLLM_SERVE -> trtllmServe(w, s, extraWaiting);
      default -> throw new IllegalStateException("unknown dialect " + dialect);
    }
    return w.toString();
  }

  private void vllm(PrometheusWriter w, EngineSnapshot s, int extraWaiting, double now) {
    String[] l = {"engine", engineLabel, "model_name", modelName};
    w.family("vllm:num_requests_running", "gauge",
        "Number of requests in model execution batches.")
        .sample("vllm:num_requests_running", s.running(), l);
    w.family("vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.")
        .sample("vllm:num_requests_waiting", s.waiting() + extraWaiting, l);
    w.family("vllm:kv_cache_usage_perc", "gauge", "KV-cache usage. 1 means 100 percent usage.")
        .sample("vllm:kv_cache_usage_perc", s.kvUsage(), l);
    w.family("vllm:prefix_cache_queries_total", "counter",
        "Prefix cache queries, in terms of number of queried tokens.")
        .sample("vllm:prefix_cache_queries_total", s.prefixQueryTokens(), l);
    w.family("vllm:prefix_cache_hits_total", "counter",
        "Prefix cache hits, in terms of number of cached tokens.")
        .sample("vllm:prefix_cache_hits_total", s.prefixHitTokens(), l);
    w.family("vllm:num_preemptions_total", "counter", "Cumulative number of preemption from the engine.")
        .sample("vllm:num_preemptions_total", s.preemptions(), l);
    w.family("vllm:prompt_tokens_total", "counter", "Number of prefill tokens processed.")
        .sample("vllm:prompt_tokens_total", s.promptTokens(), l);
    w.family("vllm:generation_tokens_total", "counter", "Number of generation tokens processed.")
        .sample("vllm:generation_tokens_total", s.generationTokens(), l);
    w.family("vllm:request_success_total", "counter", "Count of successfully processed requests.")
        .sample("vllm:request_success_total", s.finishedRequests(), l);
    w.histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.",
        s.ttft(), l);
    w.histogram("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.",
        s.itl(), l);
    w.histogram("vllm:e2e_request_latency_seconds",
        "Histogram of e2e request latency in seconds.", s.e2e(), l);
    w.histogram("vllm:request_queue_time_seconds",
        "Histogram of time spent in WAITING phase for request.", s.queueTime(), l);
    w.family("vllm:cache_config_info", "gauge", "Information of the LLMEngine CacheConfig")
        .sample("vllm:cache_config_info", 1.0, "block_size", Integer.toString(s.blockSize()),
            "cache_dtype", "auto", "enable_prefix_caching", prefixCaching ? "True" : "False",
            "engine", engineLabel,
            "num_gpu_blocks", Integer.toString(s.totalBlocks()));
    w.family("vllm:lora_requests_info", "gauge", "Running stats on lora requests.")
        .sample("vllm:lora_requests_info", now, "max_lora", Integer.toString(s.maxLoras()),
            "running_lora_adapters", String.join(",", s.runningAdapters()),
            "waiting_lora_adapters", String.join(",", s.waitingAdapters()));
  }

  private void sglang(PrometheusWriter w, EngineSnapshot s, int extraWaiting) {
    String[] l = {"engine_type", "unified", "model_name", modelName, "tp_rank", "0"};
    w.family("sglang:num_running_reqs", "gauge", "The number of running requests.")
        .sample("sglang:num_running_reqs", s.running(), l);
    w.family("sglang:num_queue_reqs", "gauge", "The number of requests in the waiting queue.")
        .sample("sglang:num_queue_reqs", s.waiting() + extraWaiting, l);
    w.family("sglang:token_usage", "gauge", "The token usage.")
        .sample("sglang:token_usage", s.kvUsage(), l);
    double hitRate = s.prefixQueryTokens() == 0 ? 0.0
        : (double) s.prefixHitTokens() / s.prefixQueryTokens();
    w.family("sglang:cache_hit_rate", "gauge", "The prefix cache hit rate.")
        .sample("sglang:cache_hit_rate", hitRate, l);
    w.family("sglang:prompt_tokens_total", "counter", "Number of prefill tokens processed.")
        .sample("sglang:prompt_tokens_total", s.promptTokens(), l);
    w.family("sglang:generation_tokens_total", "counter", "Number of generation tokens processed.")
        .sample("sglang:generation_tokens_total", s.generationTokens(), l);
    w.histogram("sglang:time_to_first_token_seconds", "Histogram of time to first token in seconds.",
        s.ttft(), l);
    w.histogram("sglang:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.",
        s.itl(), l);
    w.histogram("sglang:e2e_request_latency_seconds",
        "Histogram of End-to-end request latency in seconds", s.e2e(), l);
    w.family("sglang:cache_config_info", "gauge", "Information of the cache configuration.")
        .sample("sglang:cache_config_info", 1.0, "num_pages", Integer.toString(s.totalBlocks()),
            "page_size", Integer.toString(s.blockSize()));
  }

  private void triton(PrometheusWriter w, EngineSnapshot s, int extraWaiting) {
    String req = "nv_trt_llm_request_metrics";
    w.family(req, "gauge", "TRT LLM request metrics");
    w.sample(req, s.waiting() + extraWaiting, "model", modelName, "request_type", "waiting",
        "version", "1");
    w.sample(req, s.running(), "model", modelName, "request_type", "scheduled", "version", "1");
    w.sample(req, s.running() + s.waiting() + extraWaiting, "model", modelName,
        "request_type", "active", "version", "1");
    String kv = "nv_trt_llm_kv_cache_block_metrics";
    w.family(kv, "gauge", "TRT LLM KV cache block metrics");
    w.sample(kv, s.kvUsage(), "kv_cache_block_type", "fraction", "model", modelName,
        "version", "1");
    w.sample(kv, s.blockSize(), "kv_cache_block_type", "tokens_per", "model", modelName,
        "version", "1");
    w.sample(kv, s.totalBlocks(), "kv_cache_block_type", "max", "model", modelName, "version", "1");
    w.sample(kv, s.usedBlocks(), "kv_cache_block_type", "used", "model", modelName, "version", "1");
    w.sample(kv, s.totalBlocks() - s.usedBlocks(), "kv_cache_block_type", "free",
        "model", modelName, "version", "1");
    w.family("nv_inference_request_success", "counter",
        "Number of successful inference requests, all batch sizes")
        .sample("nv_inference_request_success", s.finishedRequests(), "model", modelName,
            "version", "1");
  }

  private void trtllmServe(PrometheusWriter w, EngineSnapshot s, int extraWaiting) {
    String[] l = {"engine_type", "trtllm", "model_name", modelName};
    w.family("trtllm_num_requests_waiting", "gauge", "Number of requests waiting.")
        .sample("trtllm_num_requests_waiting", s.waiting() + extraWaiting, l);
    w.family("trtllm_num_requests_running", "gauge", "Number of requests running.")
        .sample("trtllm_num_requests_running", s.running(), l);
    w.family("trtllm_kv_cache_utilization", "gauge", "KV cache utilization, 0 to 1.")
        .sample("trtllm_kv_cache_utilization", s.kvUsage(), l);
    w.family("trtllm_kv_cache_tokens_per_block", "gauge", "Tokens per KV cache block.")
        .sample("trtllm_kv_cache_tokens_per_block", s.blockSize(), l);
    w.family("trtllm_kv_cache_max_blocks", "gauge", "KV cache blocks in total.")
        .sample("trtllm_kv_cache_max_blocks", s.totalBlocks(), l);
    w.family("trtllm_request_success_total", "counter", "Count of successfully processed requests.")
        .sample("trtllm_request_success_total", s.finishedRequests(), l);
    w.histogram("trtllm_time_to_first_token_seconds", "Histogram of time to first token in seconds.",
        s.ttft(), l);
    w.histogram("trtllm_e2e_request_latency_seconds",
        "Histogram of end to end request latency in seconds.", s.e2e(), l);
  }
}
