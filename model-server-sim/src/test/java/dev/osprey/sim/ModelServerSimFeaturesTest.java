package dev.osprey.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.osprey.sim.metrics.MetricsDialect;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelServerSimFeaturesTest {

  private static final String MODEL = "base-model";
  private final List<ModelServerSim> sims = new ArrayList<>();

  private ModelServerSim start(SimConfig config) throws Exception {
    ModelServerSim sim = ModelServerSim.start(config);
    sims.add(sim);
    return sim;
  }

  private static SimConfig config() {
    return SimConfig.defaults("127.0.0.1", 0, MODEL);
  }

  @AfterEach
  void closeAll() {
    sims.forEach(ModelServerSim::close);
  }

  private static String completion(String model, String prompt, int maxTokens) {
    return "{\"model\":\"" + model + "\",\"prompt\":\"" + prompt + "\",\"max_tokens\":" + maxTokens
        + "}";
  }

  @Test
  void repeatedPromptReportsCachedTokensAndPrefixCounters() throws Exception {
    ModelServerSim sim = start(config());
    String prompt = "lorem ipsum dolor sit amet ".repeat(20);
    String url = sim.baseUrl() + "/v1/completions";
    JsonNode first = SimClient.json(SimClient.post(url, completion(MODEL, prompt, 2)));
    JsonNode second = SimClient.json(SimClient.post(url, completion(MODEL, prompt, 2)));
    int promptTokens = second.at("/usage/prompt_tokens").asInt();
    assertThat(first.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isZero();
    assertThat(second.at("/usage/prompt_tokens_details/cached_tokens").asInt())
        .isEqualTo((promptTokens - 1) / 16 * 16).isPositive();
    PrometheusText m = SimClient.metrics(sim);
    assertThat(m.value("vllm:prefix_cache_queries_total")).isEqualTo(2.0 * promptTokens);
    assertThat(m.value("vllm:prefix_cache_hits_total")).isEqualTo((promptTokens - 1) / 16 * 16);
  }

  @Test
  void runningAdaptersAppearInLoraRequestsInfo() throws Exception {
    ModelServerSim sim = start(config().withLoraAdapters(List.of("sql-lora")).withMaxLoras(2));
    CompletableFuture<HttpResponse<String>> call = CompletableFuture.supplyAsync(() ->
        SimClient.post(sim.baseUrl() + "/v1/completions", completion("sql-lora", "q", 400)));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      PrometheusText.Sample info = SimClient.metrics(sim).samples("vllm:lora_requests_info")
          .get(0);
      assertThat(info.labels()).containsEntry("running_lora_adapters", "sql-lora")
          .containsEntry("max_lora", "2");
    });
    assertThat(call.get().statusCode()).isEqualTo(200);
  }

  @Test
  void concurrentRequestsMayShareAnXRequestId() throws Exception {
    ModelServerSim sim = start(config());
    HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/completions"))
        .header("x-request-id", "same-id")
        .POST(HttpRequest.BodyPublishers.ofString(completion(MODEL, "x", 20))).build();
    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> calls = List.of(
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()),
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.get();
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(SimClient.json(r).get("id").asText()).isEqualTo("cmpl-same-id");
    }
  }

  @Test
  void injectedErrorsUseTheConfiguredStatus() throws Exception {
    ModelServerSim sim = start(config().withFailures(
        FailureInjection.none().withErrorRate(1.0, 429)));
    HttpResponse<String> r = SimClient.post(sim.baseUrl() + "/v1/completions",
        completion(MODEL, "x", 1));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(SimClient.json(r).at("/error/type").asText()).isEqualTo("RateLimitError");
    sim.setFailures(FailureInjection.none());
    assertThat(SimClient.post(sim.baseUrl() + "/v1/completions", completion(MODEL, "x", 1))
        .statusCode()).isEqualTo(200);
  }

  @Test
  void garbageAndHangingScrapesCanBeSwitchedOnAtRuntime() throws Exception {
    ModelServerSim sim = start(config());
    sim.setFailures(FailureInjection.none().withGarbageMetrics(true));
    HttpResponse<String> garbage = SimClient.get(sim.baseUrl() + "/metrics");
    assertThat(garbage.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> PrometheusText.parse(garbage.body()))
        .isInstanceOf(RuntimeException.class);

    sim.setFailures(FailureInjection.none().withHangScrapes(true));
    HttpRequest scrape = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/metrics"))
        .timeout(Duration.ofMillis(300)).build();
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(scrape,
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);

    sim.setFailures(FailureInjection.none().withScrapeDelay(Duration.ofMillis(20)));
    assertThat(SimClient.metrics(sim).value("vllm:num_requests_running")).isZero();
  }

  @Test
  void otherDialectsAreServedOverHttp() throws Exception {
    ModelServerSim sim = start(config().withMetricsDialect(MetricsDialect.SGLANG));
    sim.setBackgroundLoad(3);
    PrometheusText m = SimClient.metrics(sim);
    assertThat(m.value("sglang:num_queue_reqs")).isEqualTo(3.0);
    assertThat(m.samples("vllm:num_requests_waiting")).isEmpty();
  }

  @Test
  void clientThatGoesAwayMidStreamIsCancelled() throws Exception {
    ModelServerSim sim = start(config());
    String body = "{\"model\":\"" + MODEL + "\",\"prompt\":\"p\",\"max_tokens\":4000,"
        + "\"stream\":true}";
    try (Socket socket = new Socket(sim.address().getAddress(), sim.address().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
          StandardCharsets.UTF_8));
      String line;
      do {
        line = in.readLine();
      } while (line != null && !line.startsWith("data: "));
      assertThat(line).startsWith("data: ");
      assertThat(SimClient.metrics(sim).value("vllm:num_requests_running")).isEqualTo(1.0);
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(SimClient.metrics(sim).value("vllm:num_requests_running")).isZero());
    assertThat(sim.requestsServed()).isZero();
  }
}
