package dev.osprey.epp.extproc;

import static dev.osprey.epp.extproc.ExtProcClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.osprey.api.Criticality;
import dev.osprey.api.InferenceModel;
import dev.osprey.api.ResourceMeta;
import dev.osprey.api.ResourceSet;
import dev.osprey.api.TargetModel;
import dev.osprey.epp.request.ModelDirectory;
import dev.osprey.epp.request.UnknownModelPolicy;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import dev.osprey.epp.state.SnapshotHolder;
import dev.osprey.schemas.avro.DecisionOutcome;
import dev.osprey.schemas.avro.RequestOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExtProcModelsAndEventsTest {

    private static final Map<String, String> HEADERS = Map.of(":method", "POST", ":path", "/generate",
            "x-request-id", "req-9");

    private final SnapshotHolder snapshots = new SnapshotHolder();
    private final TestServices.CollectedEvents events = new TestServices.CollectedEvents();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private InProcessExtProc extProc;

    private void start(UnknownModelPolicy policy, InferenceModel... models) throws Exception {
        ModelDirectory directory = ModelDirectory.of(new ResourceSet(List.of(), List.of(models), List.of()), "ns",
                "pool");
        StreamServices services = TestServices.builder(snapshots).events(events).meters(meters)
                .models(directory, policy).build();
        extProc = InProcessExtProc.start(services);
    }

    @AfterEach
    void stop() {
        if (extProc != null) {
            extProc.close();
        }
    }

    private static InferenceModel model(String modelName, Criticality c, TargetModel... targets) {
        return new InferenceModel(new ResourceMeta("im-" + modelName, "ns", Instant.EPOCH, Map.of()), modelName, c,
                List.of(targets), "pool");
    }

    private void pool(EndpointSnapshot... endpoints) {
        snapshots.set(new PoolSnapshot("local/ns/pool", 1, System.currentTimeMillis(), List.of(endpoints)));
    }

    private static EndpointSnapshot ep(String ip, int waiting, double kv) {
        return EndpointSnapshot.of("local/ns/" + ip + ":8000", ip, 8000, waiting, 0, kv, System.currentTimeMillis());
    }

    @Test
    void publishesDecisionAndOutcomeWithUsageFromJson() throws Exception {
        start(UnknownModelPolicy.PASS_THROUGH);
        pool(ep("10.0.0.1", 0, 0.1));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody("{\"model\":\"llama\",\"messages\":[]}", true);
        c.next();
        c.next();
        c.responseHeaders(Map.of(":status", "200", "content-type", "application/json"), false);
        c.next();
        c.responseBody("{\"model\":\"llama\",\"usage\":{\"prompt_tokens\":11,", false);
        c.next();
        c.responseBody("\"completion_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":4}}}", true);
        c.next();
        c.complete();

        RoutingDecision d = events.decisions.get(0);
        assertThat(d.getRequestId()).isEqualTo("req-9");
        assertThat(d.getOutcome()).isEqualTo(DecisionOutcome.ROUTED);
        assertThat(d.getIncomingModel()).isEqualTo("llama");
        assertThat(d.getTargetModel()).isEqualTo("llama");
        assertThat(d.getChosenEndpoints()).containsExactly("10.0.0.1:8000");
        assertThat(d.getPoolId()).isEqualTo("local/ns/pool");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.outcomes.size() == 1);
        RequestOutcome o = events.outcomes.get(0);
        assertThat(o.getHttpStatus()).isEqualTo(200);
        assertThat(o.getEndpoint()).isEqualTo("10.0.0.1:8000");
        assertThat(o.getPromptTokens()).isEqualTo(11);
        assertThat(o.getCompletionTokens()).isEqualTo(3);
        assertThat(o.getCachedTokens()).isEqualTo(4);
        assertThat(o.getStreaming()).isFalse();
        assertThat(o.getTimeToFirstByteMs()).isNotNull();
        assertThat(o.getSequence()).isGreaterThan(d.getSequence());
        assertThat(meters.get("inference_objective_request").tag("model_name", "llama").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("inference_objective_request_duration").timer().count()).isEqualTo(1);
    }

    @Test
    void rolloutSplicesTargetModelAndRewritesStreamedResponsesBack() throws Exception {
        start(UnknownModelPolicy.REJECT, model("chat", Criticality.CRITICAL, new TargetModel("chat-v2", 1)));
        pool(ep("10.0.0.1", 0, 0.1));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody("{\"model\": \"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"chat\"}]}",
                true);
        ProcessingResponse h = c.next();
        String expectedBody = "{\"model\": \"chat-v2\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"chat\"}]}";
        assertThat(header(h.getRequestHeaders().getResponse().getHeaderMutation(), "content-length"))
                .isEqualTo(String.valueOf(expectedBody.length()));
        assertThat(c.next().getRequestBody().getResponse().getBodyMutation().getStreamedResponse().getBody()
                .toStringUtf8()).isEqualTo(expectedBody);

        c.responseHeaders(Map.of(":status", "200", "content-type", "text/event-stream"), false);
        assertThat(c.next().getResponseHeaders().getResponse().getHeaderMutation().getRemoveHeadersList())
                .containsExactly("content-length");
        c.responseBody("data: {\"model\":\"chat-v2\",\"choices\":[]}\n\ndata: {\"model\":\"cha", false);
        assertThat(streamed(c.next())).isEqualTo("data: {\"model\":\"chat\",\"choices\":[]}\n\n");
        c.responseBody("t-v2\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}\n\ndata: [DONE]\n\n", true);
        ProcessingResponse last = c.next();
        assertThat(streamed(last)).isEqualTo("data: {\"model\":\"chat\",\"usage\":{\"prompt_tokens\":5,"
                + "\"completion_tokens\":1}}\n\ndata: [DONE]\n\n");
        assertThat(last.getResponseBody().getResponse().getBodyMutation().getStreamedResponse().getEndOfStream())
                .isTrue();

        RoutingDecision d = events.decisions.get(0);
        assertThat(d.getIncomingModel()).isEqualTo("chat");
        assertThat(d.getTargetModel()).isEqualTo("chat-v2");
        assertThat(d.getCriticality()).isEqualTo(dev.osprey.schemas.avro.Criticality.CRITICAL);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.outcomes.size() == 1);
        assertThat(events.outcomes.get(0).getStreaming()).isTrue();
        assertThat(events.outcomes.get(0).getPromptTokens()).isEqualTo(5);
    }

    @Test
    void rolloutRewritesBufferedJsonResponseBack() throws Exception {
        start(UnknownModelPolicy.PASS_THROUGH, model("chat", Criticality.STANDARD, new TargetModel("chat-v2", 1)));
        pool(ep("10.0.0.1", 0, 0.1));
        ExtProcClient c = new ExtProcClient(extProc.channel(), BodySendMode.BUFFERED, BodySendMode.BUFFERED);
        c.requestHeaders(HEADERS, false);
        c.next();
        c.requestBody("{\"model\":\"chat\"}", true);
        var body = c.next().getRequestBody().getResponse();
        assertThat(body.getBodyMutation().getBody().toStringUtf8()).isEqualTo("{\"model\":\"chat-v2\"}");
        assertThat(header(body.getHeaderMutation(), "content-length")).isEqualTo("19");
        c.responseHeaders(Map.of(":status", "200", "content-type", "application/json"), false);
        c.next();
        c.responseBody("{\"model\":\"chat-v2\",\"x\":1}", true);
        assertThat(c.next().getResponseBody().getResponse().getBodyMutation().getBody().toStringUtf8())
                .isEqualTo("{\"model\":\"chat\",\"x\":1}");
    }

    @Test
    void unknownModelGets404UnderRejectPolicy() throws Exception {
        start(UnknownModelPolicy.REJECT);
        pool(ep("10.0.0.1", 0, 0.1));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody("{\"model\":\"nope\"}", true);
        assertThat(c.next().getImmediateResponse().getStatus().getCodeValue()).isEqualTo(404);
        assertThat(events.decisions.get(0).getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
        assertThat(events.decisions.get(0).getHttpStatus()).isEqualTo(404);
    }

    @Test
    void sheddableRequestGets429WhenEveryEndpointIsSaturatedButCriticalIsRouted() throws Exception {
        start(UnknownModelPolicy.PASS_THROUGH, model("batch", Criticality.SHEDDABLE),
                model("vip", Criticality.CRITICAL));
        pool(ep("10.0.0.1", 5, 0.1), ep("10.0.0.2", 0, 0.9));
        ExtProcClient shed = new ExtProcClient(extProc.channel());
        shed.requestHeaders(HEADERS, false);
        shed.requestBody("{\"model\":\"batch\"}", true);
        ProcessingResponse r = shed.next();
        assertThat(r.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(429);
        assertThat(r.getImmediateResponse().getBody().toStringUtf8()).contains("ResourceExhausted");
        assertThat(events.decisions.get(0).getOutcome()).isEqualTo(DecisionOutcome.SHED);

        ExtProcClient vip = new ExtProcClient(extProc.channel());
        vip.requestHeaders(HEADERS, false);
        vip.requestBody("{\"model\":\"vip\"}", true);
        assertThat(vip.next().hasRequestHeaders()).isTrue();

        pool(ep("10.0.0.1", 4, 0.1), ep("10.0.0.2", 0, 0.9));
        ExtProcClient ok = new ExtProcClient(extProc.channel());
        ok.requestHeaders(HEADERS, false);
        ok.requestBody("{\"model\":\"batch\"}", true);
        assertThat(header(ok.next().getRequestHeaders().getResponse().getHeaderMutation(),
                "x-gateway-destination-endpoint")).isNotNull();
    }

    @Test
    void rejectedRequestsPublishADecisionAndCancelledOnesAn499Outcome() throws Exception {
        start(UnknownModelPolicy.PASS_THROUGH);
        pool(ep("10.0.0.1", 0, 0.1));
        ExtProcClient bad = new ExtProcClient(extProc.channel());
        bad.requestHeaders(HEADERS, false);
        bad.requestBody("{", true);
        bad.next();
        assertThat(events.decisions).singleElement().satisfies(d -> {
            assertThat(d.getHttpStatus()).isEqualTo(400);
            assertThat(d.getReason()).startsWith("malformed JSON");
        });

        ExtProcClient cancelled = new ExtProcClient(extProc.channel());
        cancelled.requestHeaders(HEADERS, false);
        cancelled.requestBody("{\"model\":\"m\"}", true);
        cancelled.next();
        extProc.channel().shutdownNow();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.outcomes.size() == 1);
        assertThat(events.outcomes.get(0).getHttpStatus()).isEqualTo(499);
        assertThat(events.outcomes.get(0).getTimeToFirstByteMs()).isNull();
    }

    @Test
    void fallbackEndpointsFollowThePrimary() throws Exception {
        StreamServices services = TestServices.builder(snapshots).fallbacks(1).build();
        extProc = InProcessExtProc.start(services);
        pool(ep("10.0.0.1", 3, 0.1), ep("10.0.0.2", 0, 0.1), ep("10.0.0.3", 9, 0.1));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody("{\"model\":\"m\"}", true);
        ProcessingResponse h = c.next();
        assertThat(header(h.getRequestHeaders().getResponse().getHeaderMutation(), "x-gateway-destination-endpoint"))
                .isEqualTo("10.0.0.2:8000,10.0.0.1:8000");
        assertThat(h.getDynamicMetadata().getFieldsOrThrow("envoy.lb").getStructValue()
                .getFieldsOrThrow("x-gateway-destination-endpoint").getStringValue())
                .isEqualTo("10.0.0.2:8000,10.0.0.1:8000");
    }

    @Test
    void outcomeNamesTheServedEndpointReportedByTheGateway() throws Exception {
        start(UnknownModelPolicy.PASS_THROUGH);
        pool(ep("10.0.0.1", 0, 0.1), ep("10.0.0.2", 3, 0.1));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody("{\"model\":\"m\"}", true);
        c.next();
        c.next();
        Metadata served = Metadata.newBuilder().putFilterMetadata("envoy.lb", Struct.newBuilder().putFields(
                "x-gateway-destination-endpoint-served", Value.newBuilder().setStringValue("10.0.0.2:8000").build())
                .build()).build();
        c.responseHeaders(Map.of(":status", "503"), true, served);
        c.next();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.outcomes.size() == 1);
        assertThat(events.outcomes.get(0).getEndpoint()).isEqualTo("10.0.0.2:8000");
        assertThat(events.outcomes.get(0).getHttpStatus()).isEqualTo(503);
    }

    private static String streamed(ProcessingResponse r) {
        return r.getResponseBody().getResponse().getBodyMutation().getStreamedResponse().getBody().toStringUtf8();
    }
}
