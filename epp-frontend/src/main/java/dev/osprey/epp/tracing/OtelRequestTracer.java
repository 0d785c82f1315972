package dev.osprey.epp.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Routing spans through the OpenTelemetry SDK. {@link #autoConfigured()} reads the standard {@code OTEL_*}
 * variables (or {@code otel.*} system properties): exporter endpoint, sampler, resource, propagators. Its defaults
 * differ from the SDK's in three ways: service name {@value #DEFAULT_SERVICE_NAME}, OTLP over HTTP/protobuf (the
 * only OTLP transport bundled), and no OpenTelemetry metrics or logs (the EPP's meters are Prometheus).
 */
public final class OtelRequestTracer implements RequestTracer {

    /** The name of every routing span. */
    public static final String SPAN_NAME = "osprey.epp.route";
    static final String DEFAULT_SERVICE_NAME = "osprey-epp";
    static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("osprey.endpoint");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> TARGET_MODEL = AttributeKey.stringKey("osprey.target_model");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> REJECTION = AttributeKey.stringKey("osprey.rejection");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("osprey.request_id");
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final AutoCloseable owner;

    /** Tracing with {@code openTelemetry}; {@code owner} is closed (flushing the exporter) by {@link #close()}. */
    public OtelRequestTracer(OpenTelemetry openTelemetry, AutoCloseable owner) {
        this.tracer = openTelemetry.getTracer("dev.osprey.epp");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.owner = owner;
    }

    /** Tracing configured from the {@code OTEL_*} environment, with Osprey's defaults under it. */
    public static OtelRequestTracer autoConfigured() {
        return autoConfigured(Map.of());
    }

    /**
     * Like {@link #autoConfigured()}, with {@code defaults} ({@code otel.*} properties) over Osprey's defaults and
     * under the environment and system properties.
     */
    public static OtelRequestTracer autoConfigured(Map<String, String> defaults) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("otel.service.name", DEFAULT_SERVICE_NAME);
        properties.put("otel.exporter.otlp.protocol", "http/protobuf");
        properties.put("otel.metrics.exporter", "none");
        properties.put("otel.logs.exporter", "none");
        properties.putAll(defaults);
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder().addPropertiesSupplier(() -> properties)
                .disableShutdownHook().build().getOpenTelemetrySdk();
        return new OtelRequestTracer(sdk, sdk);
    }

    @Override
    public RequestSpan start(Map<String, String> requestHeaders, String requestId) {
        Context parent = propagator.extract(Context.root(), requestHeaders, HEADERS);
        Span span = tracer.spanBuilder(SPAN_NAME).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, requestHeaders.getOrDefault(":method", ""))
                .setAttribute(PATH, requestHeaders.getOrDefault(":path", ""))
                .setAttribute(REQUEST_ID, requestId)
                .startSpan();
        return new OtelSpan(span, parent.with(span));
    }

    /** Flushes and shuts the SDK down. */
    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot shut OpenTelemetry down: " + e.getMessage(), e);
        }
    }

    private final class OtelSpan implements RequestSpan {
        private final Span span;
        private final Context context;
        private final AtomicBoolean ended = new AtomicBoolean();

        OtelSpan(Span span, Context context) {
            this.span = span;
            this.context = context;
        }

        @Override
        public Map<String, String> propagation() {
            Map<String, String> headers = new HashMap<>();
            propagator.inject(context, headers, Map::put);
            return headers;
        }

        @Override
        public void routed(String destination, String incomingModel, String targetModel) {
            if (ended.compareAndSet(false, true)) {
                span.setAttribute(ENDPOINT, destination);
                models(incomingModel, targetModel);
                span.end();
            }
        }

        @Override
        public void rejected(int httpStatus, String reason) {
            if (ended.compareAndSet(false, true)) {
                span.setAttribute(STATUS, (long) httpStatus);
                span.setAttribute(REJECTION, reason);
                if (httpStatus >= 500) {
                    span.setStatus(StatusCode.ERROR, reason);
                }
                span.end();
            }
        }

        @Override
        public void abandoned() {
            if (ended.compareAndSet(false, true)) {
                span.setStatus(StatusCode.ERROR, "the stream ended before a routing decision");
                span.end();
            }
        }

        private void models(String incomingModel, String targetModel) {
            if (!incomingModel.isEmpty()) {
                span.setAttribute(REQUEST_MODEL, incomingModel);
            }
            if (!targetModel.isEmpty()) {
                span.setAttribute(TARGET_MODEL, targetModel);
            }
        }
    }
}
