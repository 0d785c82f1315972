package dev.osprey.epp.extproc;

import static dev.osprey.epp.extproc.ExtProcClient.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import dev.osprey.epp.state.SnapshotHolder;
import dev.osprey.epp.tracing.OtelRequestTracer;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing spans over the real ext-proc protocol: the gateway's trace continues in the EPP and on to the server. */
class ExtProcTracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String GATEWAY_SPAN = "00f067aa0ba902b7";
    private static final Map<String, String> HEADERS = Map.of(":method", "POST", ":path", "/v1/completions",
            "x-request-id", "req-1", "content-type", "application/json",
            "traceparent", "00-" + TRACE_ID + "-" + GATEWAY_SPAN + "-01");
    private static final String BODY = "{\"model\":\"llama\",\"prompt\":\"hello\",\"max_tokens\":5}";

    private final SnapshotHolder snapshots = new SnapshotHolder();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final TestServices.CollectedEvents events = new TestServices.CollectedEvents();
    private OtelRequestTracer tracer;
    private InProcessExtProc extProc;

    @BeforeEach
    void start() throws Exception {
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        tracer = new OtelRequestTracer(sdk, sdk);
        extProc = InProcessExtProc.start(TestServices.builder(snapshots).tracer(tracer).events(events).build());
        snapshots.set(new PoolSnapshot("local/ns/pool", 1, System.currentTimeMillis(), List.of(
                EndpointSnapshot.of("local/ns/10.0.0.1:8000", "10.0.0.1", 8000, 0, 0, 0.1,
                        System.currentTimeMillis()))));
    }

    @AfterEach
    void stop() {
        extProc.close();
        tracer.close();
    }

    @Test
    void theRoutedRequestCarriesTheRoutingSpanAsItsParent() {
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody(BODY, true);

        ProcessingResponse headers = c.next();
        CommonResponse common = headers.getRequestHeaders().getResponse();
        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(span.getParentSpanId()).isEqualTo(GATEWAY_SPAN);
        assertThat(span.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("osprey.endpoint")))
                .isEqualTo("10.0.0.1:8000");
        assertThat(header(common.getHeaderMutation(), "traceparent"))
                .as("the model server's parent is the routing span, not the gateway's")
                .isEqualTo("00-" + TRACE_ID + "-" + span.getSpanId() + "-01");
        assertThat(header(common.getHeaderMutation(), "x-gateway-destination-endpoint")).isEqualTo("10.0.0.1:8000");
    }

    @Test
    void aRejectedRequestAndABrokenStreamEndTheirSpans() {
        ExtProcClient bad = new ExtProcClient(extProc.channel());
        bad.requestHeaders(HEADERS, false);
        bad.requestBody("{\"model\": ", true);
        assertThat(bad.next().getImmediateResponse().getStatus().getCodeValue()).isEqualTo(400);

        ExtProcClient gone = new ExtProcClient(extProc.channel());
        gone.requestHeaders(HEADERS, false);
        gone.cancel();

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> spans.getFinishedSpanItems().size() == 2);
        List<SpanData> ended = spans.getFinishedSpanItems();
        assertThat(ended.get(0).getAttributes().get(io.opentelemetry.api.common.AttributeKey.longKey(
                "http.response.status_code"))).isEqualTo(400L);
        assertThat(ended.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void aStreamTheEppFailsEndsItsSpanAndItsRequest() {
        ExtProcClient early = new ExtProcClient(extProc.channel());
        early.requestHeaders(HEADERS, false);
        early.requestHeaders(HEADERS, false); // protocol violation before a decision
        early.awaitServerClose();

        ExtProcClient late = new ExtProcClient(extProc.channel());
        late.requestHeaders(HEADERS, false);
        late.requestBody(BODY, true);
        late.next();
        late.requestBody(BODY, true); // protocol violation after the request was routed
        late.awaitServerClose();

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> spans.getFinishedSpanItems().size() == 2);
        assertThat(spans.getFinishedSpanItems().get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(events.outcomes).as("the routed request ends (and leaves the in-flight counts) with the stream")
                .singleElement().satisfies(o -> assertThat(o.getRequestId()).isEqualTo("req-1"));
    }
}
