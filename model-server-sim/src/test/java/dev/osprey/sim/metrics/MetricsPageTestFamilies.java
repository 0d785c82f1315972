package dev.osprey.sim.metrics;

import java.util.List;

/** Metric families every vLLM-dialect page must carry (the list in issue 3). */
public final class MetricsPageTestFamilies {

  public static final List<String> VLLM = List.of(
      "vllm:num_requests_waiting", "vllm:num_requests_running", "vllm:kv_cache_usage_perc",
      "vllm:cache_config_info", "vllm:lora_requests_info", "vllm:prefix_cache_queries_total",
      "vllm:prefix_cache_hits_total", "vllm:prompt_tokens_total", "vllm:generation_tokens_total",
      "vllm:time_to_first_token_seconds", "vllm:inter_token_latency_seconds",
      "vllm:e2e_request_latency_seconds", "vllm:request_queue_time_seconds");

  private MetricsPageTestFamilies() {
  }
}
