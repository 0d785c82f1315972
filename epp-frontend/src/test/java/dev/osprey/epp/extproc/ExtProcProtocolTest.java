package dev.osprey.epp.extproc;

import static dev.osprey.epp.extproc.ExtProcClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.osprey.api.Criticality;
import dev.osprey.api.InferenceModel;
import dev.osprey.api.InferenceObjective;
import dev.osprey.api.ResourceMeta;
import dev.osprey.api.ResourceSet;
import dev.osprey.api.TargetModel;
import dev.osprey.epp.request.PoolResources;
import dev.osprey.epp.request.UnknownModelPolicy;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import dev.osprey.epp.state.SnapshotHolder;
import dev.osprey.schemas.avro.DecisionOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.StreamedBodyResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OpenAI request path through the ext-proc protocol: large prompts, cancellation, SSE rewrite, objectives. */
class ExtProcProtocolTest {

    private static final Map<String, String> CHAT = Map.of(":method", "POST", ":path", "/v1/chat/completions");

    private final SnapshotHolder snapshots = new SnapshotHolder();
    private final TestServices.CollectedEvents events = new TestServices.CollectedEvents();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private StreamServices services;
    private InProcessExtProc extProc;

    private void start(ResourceSet resources) throws Exception {
        PoolResources r = PoolResources.of(resources, "ns", "pool");
        services = TestServices.builder(snapshots).events(events).meters(meters)
                .resources(() -> r, UnknownModelPolicy.PASS_THROUGH).build();
        extProc = InProcessExtProc.start(services);
    }

    @AfterEach
    void stop() {
        if (extProc != null) {
            extProc.close();
        }
    }

    private static ResourceMeta meta(String name) {
        return new ResourceMeta(name, "ns", Instant.EPOCH, Map.of());
    }

    private static ResourceSet rollout(String model, TargetModel... targets) {
        return new ResourceSet(List.of(), List.of(new InferenceModel(meta("im-" + model), model,
                Criticality.STANDARD, List.of(targets), "pool")), List.of());
    }

    private void pool(EndpointSnapshot... endpoints) {
        snapshots.set(new PoolSnapshot("local/ns/pool", 1, System.currentTimeMillis(), List.of(endpoints)));
    }

    private static EndpointSnapshot ep(String ip, int waiting, double kv) {
        return EndpointSnapshot.of("local/ns/" + ip + ":8000", ip, 8000, waiting, 0, kv, System.currentTimeMillis());
    }

    private static String chat(String model, String content, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + content + "\"}]}";
    }

    private static StreamedBodyResponse streamedRequest(ProcessingResponse r) {
        return r.getRequestBody().getResponse().getBodyMutation().getStreamedResponse();
    }

    private static StreamedBodyResponse streamedResponse(ProcessingResponse r) {
        return r.getResponseBody().getResponse().getBodyMutation().getStreamedResponse();
    }

    @Test
    void largePromptInManyChunksIsSplicedWithTheRightContentLength() throws Exception {
        start(rollout("chat", new TargetModel("chat-canary-v2", 1)));
        pool(ep("10.0.0.1", 0, 0.1));
        String prompt = "p".repeat(220 * 1024);
        byte[] body = chat("chat", prompt, false).getBytes(StandardCharsets.UTF_8);
        byte[] expected = chat("chat-canary-v2", prompt, false).getBytes(StandardCharsets.UTF_8);
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(CHAT, false);
        int step = 16 * 1024 + 7;
        for (int off = 0; off < body.length; off += step) {
            int end = Math.min(body.length, off + step);
            c.requestBody(java.util.Arrays.copyOfRange(body, off, end), end == body.length);
        }
        ProcessingResponse headers = c.next();
        assertThat(header(headers.getRequestHeaders().getResponse().getHeaderMutation(), "content-length"))
                .isEqualTo(String.valueOf(expected.length));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        boolean eos = false;
        int chunks = 0;
        while (!eos) {
            StreamedBodyResponse s = streamedRequest(c.next());
            assertThat(s.getBody().size()).isLessThanOrEqualTo(62_000);
            joined.writeBytes(s.getBody().toByteArray());
            eos = s.getEndOfStream();
            chunks++;
        }
        assertThat(chunks).isGreaterThan(3);
        assertThat(joined.toByteArray()).isEqualTo(expected);
        RoutingDecision d = events.decisions.get(0);
        assertThat(d.getTargetModel()).isEqualTo("chat-canary-v2");
        assertThat(d.getPromptTokenEstimate()).isEqualTo((220 * 1024 + 3) / 4);
    }

    @Test
    void cancelMidBodyAndMidResponseNeverLeaksRunningRequestsOrOutcomes() throws Exception {
        start(ResourceSet.empty());
        pool(ep("10.0.0.1", 0, 0.1));
        ExtProcClient midBody = new ExtProcClient(extProc.channel());
        midBody.requestHeaders(CHAT, false);
        midBody.requestBody("{\"model\":\"m\",\"messa", false);
        midBody.cancel();

        ExtProcClient midResponse = new ExtProcClient(extProc.channel());
        midResponse.requestHeaders(CHAT, false);
        midResponse.requestBody(chat("m", "hi", true), true);
        midResponse.next();
        midResponse.next();
        assertThat(services.metrics().running()).isEqualTo(1);
        midResponse.responseHeaders(Map.of(":status", "200", "content-type", "text/event-stream"), false);
        midResponse.next();
        midResponse.responseBody("data: {\"choices\":[]}\n\n", false);
        midResponse.next();
        midResponse.cancel();

        ExtProcClient afterRouting = new ExtProcClient(extProc.channel());
        afterRouting.requestHeaders(CHAT, false);
        afterRouting.requestBody(chat("m", "hi", false), true);
        afterRouting.next();
        afterRouting.cancel();

        await().atMost(Duration.ofSeconds(10)).until(() -> services.metrics().running() == 0
                && events.outcomes.size() == 2);
        assertThat(events.decisions).hasSize(2);
        assertThat(events.outcomes).extracting(o -> o.getHttpStatus()).containsExactlyInAnyOrder(200, 499);
        assertThat(meters.get("inference_objective_running_requests").tag("model_name", "m").gauge().value())
                .isZero();
    }

    @Test
    void sseModelNameRoundTripsAcrossArbitraryChunkBoundaries() throws Exception {
        start(rollout("chat", new TargetModel("chat-v2", 1)));
        pool(ep("10.0.0.1", 0, 0.1));
        StringBuilder upstream = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            upstream.append("data: {\"id\":\"c").append(i).append("\",\"model\":\"chat-v2\",\"choices\":[{\"delta\":")
                    .append("{\"content\":\"tok").append(i).append("\"}}]}\n\n");
        }
        upstream.append("data: {\"model\":\"chat-v2\",\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":40}}\n\n")
                .append("data: [DONE]\n\n");
        String expected = upstream.toString().replace("\"chat-v2\"", "\"chat\"");
        byte[] bytes = upstream.toString().getBytes(StandardCharsets.UTF_8);

        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(CHAT, false);
        c.requestBody(chat("chat", "hello", true), true);
        c.next();
        c.next();
        c.responseHeaders(Map.of(":status", "200", "content-type", "text/event-stream"), false);
        c.next();
        Random cuts = new Random(5);
        int off = 0;
        while (off < bytes.length) {
            int end = Math.min(bytes.length, off + 1 + cuts.nextInt(37));
            c.responseBody(new String(bytes, off, end - off, StandardCharsets.UTF_8), end == bytes.length);
            off = end;
        }
        StringBuilder out = new StringBuilder();
        for (ProcessingResponse r : c.drain()) {
            out.append(streamedResponse(r).getBody().toStringUtf8());
        }
        assertThat(out.toString()).isEqualTo(expected);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.outcomes.size() == 1);
        assertThat(events.outcomes.get(0).getCompletionTokens()).isEqualTo(40);
    }

    @Test
    void objectiveHeaderSetsPriorityAndShedsNegativePriorityWhenSaturated() throws Exception {
        start(new ResourceSet(List.of(), List.of(), List.of(), List.of(
                new InferenceObjective(meta("batch"), -1, "pool"), new InferenceObjective(meta("gold"), 5, "pool")),
                List.of()));
        pool(ep("10.0.0.1", 50, 0.99));
        ExtProcClient batch = new ExtProcClient(extProc.channel());
        batch.requestHeaders(Map.of(":method", "POST", ":path", "/v1/completions",
                InferenceObjective.HEADER, "batch"), false);
        batch.requestBody("{\"model\":\"m\",\"prompt\":\"x\"}", true);
        assertThat(batch.next().getImmediateResponse().getStatus().getCodeValue()).isEqualTo(429);

        ExtProcClient gold = new ExtProcClient(extProc.channel());
        gold.requestHeaders(Map.of(":method", "POST", ":path", "/v1/completions",
                InferenceObjective.HEADER, "gold"), false);
        gold.requestBody("{\"model\":\"m\",\"prompt\":\"x\"}", true);
        assertThat(gold.next().hasRequestHeaders()).isTrue();

        assertThat(events.decisions.get(0).getOutcome()).isEqualTo(DecisionOutcome.SHED);
        assertThat(events.decisions.get(0).getPriority()).isEqualTo(-1);
        assertThat(events.decisions.get(0).getCriticality())
                .isEqualTo(dev.osprey.schemas.avro.Criticality.SHEDDABLE);
        assertThat(events.decisions.get(1).getOutcome()).isEqualTo(DecisionOutcome.ROUTED);
        assertThat(events.decisions.get(1).getPriority()).isEqualTo(5);
    }

    @Test
    void missingMessagesGets400WithTheReason() throws Exception {
        start(ResourceSet.empty());
        pool(ep("10.0.0.1", 0, 0.1));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(CHAT, false);
        c.requestBody("{\"model\":\"m\",\"messages\":[]}", true);
        var immediate = c.next().getImmediateResponse();
        assertThat(immediate.getStatus().getCodeValue()).isEqualTo(400);
        assertThat(immediate.getBody().toStringUtf8()).contains("messages must be a non-empty array");
    }
}
