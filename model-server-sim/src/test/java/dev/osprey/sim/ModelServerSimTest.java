package dev.osprey.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.osprey.sim.metrics.MetricsPageTestFamilies;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelServerSimTest {

  private static final String MODEL = "base-model";
  private final List<ModelServerSim> sims = new ArrayList<>();

  private ModelServerSim start(SimConfig config) throws Exception {
    ModelServerSim sim = ModelServerSim.start(config);
    sims.add(sim);
    return sim;
  }

  private ModelServerSim start() throws Exception {
    return start(SimConfig.defaults("127.0.0.1", 0, MODEL).withLoraAdapters(List.of("sql-lora")));
  }

  @AfterEach
  void closeAll() {
    sims.forEach(ModelServerSim::close);
  }

  @Test
  void completionRoundTripReturnsOpenAiShapeAndUsage() throws Exception {
    ModelServerSim sim = start();
    HttpResponse<String> r = SimClient.post(sim.baseUrl() + "/v1/completions",
        "{\"model\":\"base-model\",\"prompt\":\"one two three four\",\"max_tokens\":5}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-osprey-sim-instance")).contains(sim.hostPort());
    JsonNode body = SimClient.json(r);
    assertThat(body.get("id").asText()).startsWith("cmpl-");
    assertThat(body.get("object").asText()).isEqualTo("text_completion");
    assertThat(body.get("model").asText()).isEqualTo(MODEL);
    assertThat(body.get("created").asLong()).isPositive();
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(body.at("/choices/0/text").asText().trim().split(" ")).hasSize(5);
    assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(5);
    assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(5);
    assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(10);
    assertThat(body.at("/usage/prompt_tokens_details/cached_tokens").isInt()).isTrue();
    assertThat(sim.requestsServed()).isEqualTo(1);
  }

  @Test
  void chatUsesDefaultMaxTokensAndServesAdapters() throws Exception {
    ModelServerSim sim = start();
    HttpResponse<String> r = SimClient.post(sim.baseUrl() + "/v1/chat/completions",
        "{\"model\":\"sql-lora\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = SimClient.json(r);
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.get("model").asText()).isEqualTo("sql-lora");
    assertThat(body.at("/choices/0/message/role").asText()).isEqualTo("assistant");
    assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(16);
  }

  @Test
  void streamingSendsChunksUsageAndDone() throws Exception {
    ModelServerSim sim = start();
    HttpResponse<String> r = SimClient.post(sim.baseUrl() + "/v1/chat/completions",
        "{\"model\":\"base-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"max_tokens\":3,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("text/event-stream");
    List<String> events = r.body().lines().filter(l -> l.startsWith("data: ")).toList();
    assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
    JsonNode usage = SimClient.JSON.readTree(events.get(events.size() - 2).substring(6));
    assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(3);
    JsonNode last = SimClient.JSON.readTree(events.get(events.size() - 3).substring(6));
    assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(events).hasSize(1 + 3 + 1 + 1);
  }

  @Test
  void malformedOrIncompleteRequestsGet400WithOpenAiError() throws Exception {
    ModelServerSim sim = start();
    HttpResponse<String> bad = SimClient.post(sim.baseUrl() + "/v1/completions", "{not json");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(SimClient.json(bad).at("/error/type").asText()).isEqualTo("BadRequestError");
    assertThat(SimClient.json(bad).at("/error/code").asInt()).isEqualTo(400);
    HttpResponse<String> noModel = SimClient.post(sim.baseUrl() + "/v1/completions",
        "{\"prompt\":\"x\"}");
    assertThat(noModel.statusCode()).isEqualTo(400);
    assertThat(SimClient.json(noModel).at("/error/message").asText()).contains("model");
    HttpResponse<String> tooLong = SimClient.post(sim.baseUrl() + "/v1/completions",
        "{\"model\":\"base-model\",\"prompt\":\"x\",\"max_tokens\":100000}");
    assertThat(tooLong.statusCode()).isEqualTo(400);
  }

  @Test
  void unknownModelGets404UntilTheAdapterIsLoaded() throws Exception {
    ModelServerSim sim = start();
    String request = "{\"model\":\"new-lora\",\"prompt\":\"x\",\"max_tokens\":1}";
    HttpResponse<String> missing = SimClient.post(sim.baseUrl() + "/v1/completions", request);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(SimClient.json(missing).at("/error/type").asText()).isEqualTo("NotFoundError");
    assertThat(SimClient.post(sim.baseUrl() + "/v1/load_lora_adapter",
        "{\"lora_name\":\"new-lora\",\"lora_path\":\"/adapters/new\"}").statusCode())
        .isEqualTo(200);
    assertThat(SimClient.post(sim.baseUrl() + "/v1/completions", request).statusCode())
        .isEqualTo(200);
    JsonNode models = SimClient.json(SimClient.get(sim.baseUrl() + "/v1/models"));
    assertThat(models.get("data")).extracting(m -> m.get("id").asText())
        .containsExactly(MODEL, "new-lora", "sql-lora");
    assertThat(SimClient.post(sim.baseUrl() + "/v1/unload_lora_adapter",
        "{\"lora_name\":\"new-lora\"}").statusCode()).isEqualTo(200);
    assertThat(SimClient.post(sim.baseUrl() + "/v1/completions", request).statusCode())
        .isEqualTo(404);
    assertThat(SimClient.post(sim.baseUrl() + "/v1/unload_lora_adapter",
        "{\"lora_name\":\"new-lora\"}").statusCode()).isEqualTo(404);
  }

  @Test
  void metricsPageOverHttpParsesAndCarriesEveryFamily() throws Exception {
    ModelServerSim sim = start();
    SimClient.post(sim.baseUrl() + "/v1/completions",
        "{\"model\":\"base-model\",\"prompt\":\"a b c\",\"max_tokens\":2}");
    HttpResponse<String> r = SimClient.get(sim.baseUrl() + "/metrics");
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    PrometheusText page = PrometheusText.parse(r.body());
    for (String family : MetricsPageTestFamilies.VLLM) {
      assertThat(page.type(family)).as(family).isPresent();
    }
    assertThat(page.value("vllm:generation_tokens_total")).isEqualTo(2.0);
    assertThat(page.value("vllm:prompt_tokens_total")).isEqualTo(3.0);
    assertThat(SimClient.get(sim.baseUrl() + "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void backgroundLoadShowsUpAsWaitingRequests() throws Exception {
    ModelServerSim sim = start();
    sim.setBackgroundLoad(7);
    assertThat(SimClient.metrics(sim).value("vllm:num_requests_waiting")).isEqualTo(7.0);
    sim.setBackgroundLoad(0);
    assertThat(SimClient.metrics(sim).value("vllm:num_requests_waiting")).isEqualTo(0.0);
  }

  @Test
  void requestsBeyondMaxNumSeqsWait() throws Exception {
    ModelServerSim sim = start(SimConfig.defaults("127.0.0.1", 0, MODEL).withMaxNumSeqs(1));
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> SimClient.post(sim.baseUrl()
          + "/v1/completions", "{\"model\":\"base-model\",\"prompt\":\"p\",\"max_tokens\":60}")));
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      PrometheusText m = SimClient.metrics(sim);
      assertThat(m.value("vllm:num_requests_running")).isEqualTo(1.0);
      assertThat(m.value("vllm:num_requests_waiting")).isGreaterThanOrEqualTo(1.0);
    });
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertThat(call.get().statusCode()).isEqualTo(200);
    }
    assertThat(sim.requestsServed()).isEqualTo(3);
    assertThat(SimClient.metrics(sim).value("vllm:num_requests_waiting")).isEqualTo(0.0);
  }

  @Test
  void twoInstancesShareAPortOnDifferentLoopbackAddresses() throws Exception {
    ModelServerSim a = start(SimConfig.defaults("127.0.0.11", 0, MODEL));
    ModelServerSim b = start(SimConfig.defaults("127.0.0.12", a.address().getPort(), MODEL));
    assertThat(b.address().getPort()).isEqualTo(a.address().getPort());
    String body = "{\"model\":\"base-model\",\"prompt\":\"x\",\"max_tokens\":1}";
    HttpResponse<String> ra = SimClient.post(a.baseUrl() + "/v1/completions", body);
    HttpResponse<String> rb = SimClient.post(b.baseUrl() + "/v1/completions", body);
    SimClient.post(b.baseUrl() + "/v1/completions", body);
    assertThat(ra.headers().firstValue("x-osprey-sim-instance")).contains(a.hostPort());
    assertThat(rb.headers().firstValue("x-osprey-sim-instance")).contains(b.hostPort());
    assertThat(a.requestsServed()).isEqualTo(1);
    assertThat(b.requestsServed()).isEqualTo(2);
  }

  @Test
  void closeIsIdempotentAndStopsServing() throws Exception {
    ModelServerSim sim = start();
    String url = sim.baseUrl() + "/health";
    assertThat(SimClient.get(url).statusCode()).isEqualTo(200);
    sim.close();
    sim.close();
    assertThatThrownBy(() -> SimClient.get(url)).isInstanceOf(UncheckedIOException.class);
  }
}
