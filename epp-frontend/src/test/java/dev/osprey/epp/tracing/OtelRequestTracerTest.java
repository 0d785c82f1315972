package dev.osprey.epp.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtelRequestTracerTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String GATEWAY_SPAN = "00f067aa0ba902b7";
    static final Map<String, String> TRACED = Map.of(":method", "POST", ":path", "/v1/completions",
            "x-request-id", "r1", "traceparent", "00-" + TRACE_ID + "-" + GATEWAY_SPAN + "-01");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OtelRequestTracer tracer = inMemory(spans);

    /** A tracer recording into {@code spans}, with W3C trace context. */
    static OtelRequestTracer inMemory(InMemorySpanExporter spans) {
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        return new OtelRequestTracer(sdk, sdk);
    }

    @AfterEach
    void close() {
        tracer.close();
    }

    @Test
    void aRoutedRequestIsAChildOfTheGatewaysSpanAndParentOfTheModelServers() {
        RequestSpan span = tracer.start(TRACED, "r1");
        Map<String, String> handedOn = span.propagation();
        span.routed("10.0.0.2:8000", "llama", "llama-v2");

        SpanData data = spans.getFinishedSpanItems().get(0);
        assertThat(data.getName()).isEqualTo(OtelRequestTracer.SPAN_NAME);
        assertThat(data.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(data.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(data.getParentSpanId()).isEqualTo(GATEWAY_SPAN);
        assertThat(data.getAttributes().get(OtelRequestTracer.ENDPOINT)).isEqualTo("10.0.0.2:8000");
        assertThat(data.getAttributes().get(OtelRequestTracer.REQUEST_MODEL)).isEqualTo("llama");
        assertThat(data.getAttributes().get(OtelRequestTracer.TARGET_MODEL)).isEqualTo("llama-v2");
        assertThat(data.getAttributes().get(OtelRequestTracer.REQUEST_ID)).isEqualTo("r1");
        assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(handedOn).containsEntry("traceparent", "00-" + TRACE_ID + "-" + data.getSpanId() + "-01");
    }

    @Test
    void withoutATraceparentARoutingStartsATrace() {
        RequestSpan span = tracer.start(Map.of(":path", "/v1/completions"), "r2");
        span.routed("10.0.0.1:8000", "", "");

        SpanData data = spans.getFinishedSpanItems().get(0);
        assertThat(data.getParentSpanContext().isValid()).isFalse();
        assertThat(span.propagation().get("traceparent")).contains(data.getTraceId());
    }

    @Test
    void rejectionsRecordTheStatusAndOnlyServerErrorsAreErrors() {
        tracer.start(TRACED, "r1").rejected(429, "InferencePoolResourceExhausted - every endpoint is saturated");
        tracer.start(TRACED, "r1").rejected(503, "ServiceUnavailable - no endpoints");
        RequestSpan abandoned = tracer.start(TRACED, "r1");
        abandoned.abandoned();
        abandoned.routed("10.0.0.1:8000", "m", "m");

        List<SpanData> data = spans.getFinishedSpanItems();
        assertThat(data).hasSize(3);
        assertThat(data.get(0).getAttributes().get(OtelRequestTracer.STATUS)).isEqualTo(429L);
        assertThat(data.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(data.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(data.get(2).getStatus().getStatusCode()).as("ended once, as abandoned").isEqualTo(StatusCode.ERROR);
        assertThat(data.get(2).getAttributes().get(OtelRequestTracer.ENDPOINT)).isNull();
    }

    @Test
    void theAutoConfiguredTracerExportsOverOtlpHttp() throws Exception {
        List<byte[]> posts = new CopyOnWriteArrayList<>();
        List<String> types = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        collector.createContext("/v1/traces", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            exchange.getRequestBody().transferTo(body);
            posts.add(body.toByteArray());
            types.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            OtelRequestTracer exporting = OtelRequestTracer.autoConfigured(Map.of(
                    "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort(),
                    "otel.traces.sampler", "parentbased_always_on"));
            exporting.start(TRACED, "r1").routed("10.0.0.2:8000", "llama", "llama");
            exporting.close(); // flushes

            assertThat(posts).isNotEmpty();
            assertThat(types).contains("application/x-protobuf");
            byte[] traceId = HexFormat.of().parseHex(TRACE_ID);
            assertThat(posts).anySatisfy(post -> assertThat(indexOf(post, traceId)).isNotNegative());
            assertThat(posts).anySatisfy(post -> assertThat(new String(post, java.nio.charset.StandardCharsets.UTF_8))
                    .contains(OtelRequestTracer.SPAN_NAME).contains("osprey-epp"));
        } finally {
            collector.stop(0);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
