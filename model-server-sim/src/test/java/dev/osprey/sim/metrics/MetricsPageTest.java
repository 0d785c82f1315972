package dev.osprey.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.sim.PrometheusText;
import dev.osprey.sim.engine.EngineSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsPageTest {

  private static final List<String> VLLM_FAMILIES = MetricsPageTestFamilies.VLLM;

  private static EngineSnapshot snapshot() {
    Histogram ttft = new Histogram(Histogram.TTFT_BUCKETS);
    ttft.observe(0.05);
    ttft.observe(3.0);
    return new EngineSnapshot(3, 2, 100, 400, 16, 4, List.of("a", "b"), List.of(), 640, 320,
        700, 50, 7, 1, ttft.snapshot(), HistogramSnapshot.empty(Histogram.ITL_BUCKETS),
        HistogramSnapshot.empty(Histogram.REQUEST_BUCKETS),
        HistogramSnapshot.empty(Histogram.REQUEST_BUCKETS));
  }

  @Test
  void vllmPageCarriesEveryFamilyWithHelpTypeAndLabels() {
    String page = new MetricsPage(MetricsDialect.VLLM, "m\"odel", "0", true)
        .render(snapshot(), 5, 1.7e9);
    PrometheusText p = PrometheusText.parse(page);
    for (String family : VLLM_FAMILIES) {
      assertThat(p.type(family)).as(family).isPresent();
      assertThat(p.hasHelp(family)).as(family).isTrue();
    }
    PrometheusText.Sample waiting = p.samples("vllm:num_requests_waiting").get(0);
    assertThat(waiting.value()).isEqualTo(8.0);
    assertThat(waiting.labels()).containsEntry("model_name", "m\"odel").containsEntry("engine", "0");
    assertThat(p.value("vllm:num_requests_running")).isEqualTo(2.0);
    assertThat(p.value("vllm:kv_cache_usage_perc")).isEqualTo(0.25);
    assertThat(p.value("vllm:prefix_cache_hits_total")).isEqualTo(320.0);
    PrometheusText.Sample cache = p.samples("vllm:cache_config_info").get(0);
    assertThat(cache.value()).isEqualTo(1.0);
    assertThat(cache.labels()).containsEntry("block_size", "16")
        .containsEntry("num_gpu_blocks", "400");
    PrometheusText.Sample lora = p.samples("vllm:lora_requests_info").get(0);
    assertThat(lora.value()).isEqualTo(1.7e9);
    assertThat(lora.labels()).containsEntry("max_lora", "4")
        .containsEntry("running_lora_adapters", "a,b").containsEntry("waiting_lora_adapters", "");
  }

  @Test
  void histogramsAreCumulativeWithInfCountAndSum() {
    PrometheusText p = PrometheusText.parse(
        new MetricsPage(MetricsDialect.VLLM, "m", "0", true).render(snapshot(), 0, 1.0));
    List<PrometheusText.Sample> buckets = p.samples("vllm:time_to_first_token_seconds_bucket");
    assertThat(buckets).hasSize(Histogram.TTFT_BUCKETS.length + 1);
    assertThat(buckets.get(buckets.size() - 1).labels()).containsEntry("le", "+Inf");
    assertThat(buckets.get(buckets.size() - 1).value()).isEqualTo(2.0);
    assertThat(buckets.stream().filter(b -> b.labels().get("le").equals("0.06")).findFirst()
        .orElseThrow().value()).isEqualTo(1.0);
    assertThat(buckets.stream().filter(b -> b.labels().get("le").equals("1.0")).findFirst()
        .orElseThrow().value()).isEqualTo(1.0);
    assertThat(p.value("vllm:time_to_first_token_seconds_count")).isEqualTo(2.0);
    assertThat(p.value("vllm:time_to_first_token_seconds_sum")).isEqualTo(3.05);
  }

  @Test
  void otherDialectsUseTheirEnginesNames() {
    PrometheusText sglang = PrometheusText.parse(
        new MetricsPage(MetricsDialect.SGLANG, "m", "0", true).render(snapshot(), 1, 1.0));
    assertThat(sglang.value("sglang:num_queue_reqs")).isEqualTo(4.0);
    assertThat(sglang.value("sglang:num_running_reqs")).isEqualTo(2.0);
    assertThat(sglang.value("sglang:token_usage")).isEqualTo(0.25);
    assertThat(sglang.samples("sglang:cache_config_info").get(0).labels())
        .containsEntry("page_size", "16").containsEntry("num_pages", "400");

    PrometheusText triton = PrometheusText.parse(
        new MetricsPage(MetricsDialect.TRITON, "m", "0", true).render(snapshot(), 0, 1.0));
    assertThat(triton.samples("nv_trt_llm_request_metrics"))
        .anySatisfy(s -> assertThat(s.labels()).containsEntry("request_type", "waiting"))
        .anySatisfy(s -> assertThat(s.labels()).containsEntry("request_type", "scheduled"));
    assertThat(triton.samples("nv_trt_llm_kv_cache_block_metrics"))
        .anySatisfy(s -> {
          assertThat(s.labels()).containsEntry("kv_cache_block_type", "fraction");
          assertThat(s.value()).isEqualTo(0.25);
        });

    PrometheusText trt = PrometheusText.parse(
        new MetricsPage(MetricsDialect.TRTLLM_SERVE, "m", "0", true).render(snapshot(), 0, 1.0));
    assertThat(trt.value("trtllm_num_requests_waiting")).isEqualTo(3.0);
    assertThat(trt.value("trtllm_kv_cache_utilization")).isEqualTo(0.25);
    assertThat(trt.value("trtllm_kv_cache_max_blocks")).isEqualTo(400.0);
  }

  @Test
  void formatsNumbersLikeThePythonClient() {
    assertThat(PrometheusWriter.format(3)).isEqualTo("3.0");
    assertThat(PrometheusWriter.format(0.25)).isEqualTo("0.25");
    assertThat(PrometheusWriter.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(PrometheusWriter.format(1.795292363456E9)).isEqualTo("1795292363.456");
    assertThat(PrometheusWriter.format(1.5e-7)).isEqualTo("1.5e-7");
    assertThat(PrometheusWriter.format(2.5e20)).isEqualTo("2.5e+20");
  }
}
