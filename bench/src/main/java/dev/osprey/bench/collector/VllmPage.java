package dev.osprey.bench.collector;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A synthetic vLLM V1 {@code /metrics} page written from vLLM's documented metric names and Prometheus text format:
 * process and Python collector metrics, the scheduler gauges the collector reads, the KV-cache and LoRA info series,
 * token counters and the latency/size histograms vLLM exports, each labelled with {@code model_name} and
 * {@code engine}. Deterministic for a given size class, so every run parses the same bytes.
 */
public final class VllmPage {

    private static final String MODEL = "model_name=\"meta-llama/Llama-3.1-8B-Instruct\"";
    private static final double[] LATENCY_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
        0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
    private static final double[] TOKEN_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000};

    private VllmPage() {
    }

    /** A page of about 40 KB with {@code engines} data-parallel engine label values (1 gives ~20 KB). */
    public static byte[] render(int engines) {
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("# HELP python_gc_objects_collected_total Objects collected during gc\n")
                .append("# TYPE python_gc_objects_collected_total counter\n");
        for (int g = 0; g < 3; g++) {
            out.append("python_gc_objects_collected_total{generation=\"").append(g).append("\"} ")
                    .append(12_000 / (g + 1)).append(".0\n");
        }
        gauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.", "", "2.7512832e+09");
        gauge(out, "process_open_fds", "Number of open file descriptors.", "", "87.0");
        for (int e = 0; e < engines; e++) {
            String labels = "{engine=\"" + e + "\"," + MODEL + "}";
            gauge(out, "vllm:num_requests_running", "Number of requests in model execution batches.", labels,
                    String.valueOf(7 + e));
            gauge(out, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", labels,
                    String.valueOf(3 + e));
            gauge(out, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", labels, "0.4375");
            counter(out, "vllm:prefix_cache_queries_total", "Prefix cache queries, in queried tokens.", labels,
                    "1.234567e+06");
            counter(out, "vllm:prefix_cache_hits_total", "Prefix cache hits, in cached tokens.", labels,
                    "734210.0");
            counter(out, "vllm:num_preemptions_total", "Cumulative number of preemptions.", labels, "12.0");
            counter(out, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", labels, "9.87654e+06");
            counter(out, "vllm:generation_tokens_total", "Number of generation tokens processed.", labels,
                    "4.32101e+06");
            for (String reason : new String[] {"stop", "length", "abort"}) {
                out.append("vllm:request_success_total{engine=\"").append(e).append("\",finished_reason=\"")
                        .append(reason).append("\",").append(MODEL).append("} ").append(1000 + reason.length())
                        .append(".0\n");
            }
            histogram(out, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", e,
                    LATENCY_BUCKETS);
            histogram(out, "vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", e,
                    LATENCY_BUCKETS);
            histogram(out, "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", e,
                    LATENCY_BUCKETS);
            histogram(out, "vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase.", e,
                    LATENCY_BUCKETS);
            histogram(out, "vllm:request_prefill_time_seconds", "Histogram of time spent in PREFILL phase.", e,
                    LATENCY_BUCKETS);
            histogram(out, "vllm:request_decode_time_seconds", "Histogram of time spent in DECODE phase.", e,
                    LATENCY_BUCKETS);
            histogram(out, "vllm:request_prompt_tokens", "Number of prefill tokens processed.", e, TOKEN_BUCKETS);
            histogram(out, "vllm:request_generation_tokens", "Number of generation tokens processed.", e,
                    TOKEN_BUCKETS);
            histogram(out, "vllm:iteration_tokens_total", "Histogram of number of tokens per engine_step.", e,
                    TOKEN_BUCKETS);
        }
        out.append("# HELP vllm:lora_requests_info Running stats on lora requests.\n")
                .append("# TYPE vllm:lora_requests_info gauge\n")
                .append("vllm:lora_requests_info{max_lora=\"4\",running_lora_adapters=\"sql-lora,tweet-lora\",")
                .append("waiting_lora_adapters=\"\"} 1.7463015e+09\n");
        out.append("# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig\n")
                .append("# TYPE vllm:cache_config_info gauge\n")
                .append("vllm:cache_config_info{block_size=\"16\",cache_dtype=\"auto\",enable_prefix_caching=")
                .append("\"True\",gpu_memory_utilization=\"0.9\",num_gpu_blocks=\"27648\"} 1.0\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, String value) {
        typed(out, name, help, "gauge").append(name).append(labels).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, String labels, String value) {
        typed(out, name, help, "counter").append(name).append(labels).append(' ').append(value).append('\n');
    }

    private static void histogram(StringBuilder out, String name, String help, int engine, double[] buckets) {
        typed(out, name, help, "histogram");
        long count = 0;
        String prefix = name + "_bucket{engine=\"" + engine + "\",le=\"";
        for (int i = 0; i < buckets.length; i++) {
            count += 3L * (i + 1) * (i + 1);
            out.append(prefix).append(format(buckets[i])).append("\",").append(MODEL).append("} ").append(count)
                    .append(".0\n");
        }
        out.append(prefix).append("+Inf\",").append(MODEL).append("} ").append(count).append(".0\n");
        String labels = "{engine=\"" + engine + "\"," + MODEL + "}";
        out.append(name).append("_count").append(labels).append(' ').append(count).append(".0\n");
        out.append(name).append("_sum").append(labels).append(' ').append(format(count * 0.731)).append('\n');
    }

    private static StringBuilder typed(StringBuilder out, String name, String help, String type) {
        return out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.format(Locale.ROOT, "%.1f", value)
                : String.valueOf(value);
    }
}
