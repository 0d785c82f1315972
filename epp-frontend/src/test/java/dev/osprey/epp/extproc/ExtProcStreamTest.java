package dev.osprey.epp.extproc;

import static dev.osprey.epp.extproc.ExtProcClient.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import dev.osprey.epp.state.SnapshotHolder;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExtProcStreamTest {

    private static final String BODY = "{\"model\":\"llama\",\"prompt\":\"hello\",\"max_tokens\":5}";
    private static final Map<String, String> HEADERS = Map.of(":method", "POST", ":path", "/v1/completions",
            "x-request-id", "req-1", "content-type", "application/json");

    private final SnapshotHolder snapshots = new SnapshotHolder();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private InProcessExtProc extProc;

    @BeforeEach
    void start() throws Exception {
        startWith(10 * 1024 * 1024);
    }

    private void startWith(long maxBody) throws Exception {
        stop();
        StreamServices services = TestServices.builder(snapshots).maxBody(maxBody).meters(meters).build();
        extProc = InProcessExtProc.start(services);
    }

    @AfterEach
    void stop() {
        if (extProc != null) {
            extProc.close();
        }
    }

    private void pool(EndpointSnapshot... endpoints) {
        snapshots.set(new PoolSnapshot("local/ns/pool", 1, System.currentTimeMillis(), List.of(endpoints)));
    }

    private static EndpointSnapshot ep(String ip, int waiting) {
        return EndpointSnapshot.of("local/ns/" + ip + ":8000", ip, 8000, waiting, 0, 0.1, System.currentTimeMillis());
    }

    @Test
    void holdsHeadersUntilBodyCompleteThenRoutesToLeastLoaded() {
        pool(ep("10.0.0.1", 4), ep("10.0.0.2", 1), ep("10.0.0.3", 7));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody(BODY.substring(0, 10), false);
        assertThat(c.drain()).as("nothing before the body is complete").isEmpty();
        c.requestBody(BODY.substring(10), true);

        ProcessingResponse headers = c.next();
        assertThat(headers.hasRequestHeaders()).isTrue();
        CommonResponse common = headers.getRequestHeaders().getResponse();
        assertThat(common.getClearRouteCache()).isTrue();
        assertThat(header(common.getHeaderMutation(), "x-gateway-destination-endpoint")).isEqualTo("10.0.0.2:8000");
        assertThat(header(common.getHeaderMutation(), "content-length")).isEqualTo(String.valueOf(BODY.length()));
        assertThat(header(common.getHeaderMutation(), "x-request-id")).as("id was given").isNull();
        assertThat(headers.getDynamicMetadata().getFieldsOrThrow("envoy.lb").getStructValue()
                .getFieldsOrThrow("x-gateway-destination-endpoint").getStringValue()).isEqualTo("10.0.0.2:8000");

        ProcessingResponse body = c.next();
        assertThat(body.hasRequestBody()).isTrue();
        var streamed = body.getRequestBody().getResponse().getBodyMutation().getStreamedResponse();
        assertThat(streamed.getBody().toStringUtf8()).isEqualTo(BODY);
        assertThat(streamed.getEndOfStream()).isTrue();

        c.responseHeaders(Map.of(":status", "200", "content-type", "application/json"), false);
        assertThat(c.next().hasResponseHeaders()).isTrue();
        c.responseBody("{\"usage\":{}}", true);
        ProcessingResponse rb = c.next();
        assertThat(rb.getResponseBody().getResponse().getBodyMutation().getStreamedResponse().getBody()
                .toStringUtf8()).isEqualTo("{\"usage\":{}}");
        assertThat(rb.getResponseBody().getResponse().getBodyMutation().getStreamedResponse().getEndOfStream())
                .isTrue();
        c.complete();
        c.awaitServerClose();
        assertThat(c.error()).isNull();
    }

    @Test
    void malformedJsonGets400() {
        pool(ep("10.0.0.1", 0));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody("{\"model\": \"llama\", ", true);
        ProcessingResponse r = c.next();
        assertThat(r.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(400);
        assertThat(r.getImmediateResponse().getBody().toStringUtf8()).startsWith("inference error: BadRequest - ");
        c.awaitServerClose();
    }

    @Test
    void missingModelGets400() {
        pool(ep("10.0.0.1", 0));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody("{\"prompt\":\"hi\"}", true);
        ProcessingResponse r = c.next();
        assertThat(r.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(400);
        assertThat(r.getImmediateResponse().getBody().toStringUtf8())
                .isEqualTo("inference error: BadRequest - model not found in request body");
    }

    @Test
    void nonStringModelGets400() {
        pool(ep("10.0.0.1", 0));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody("{\"model\":{\"name\":\"x\"}}", true);
        assertThat(c.next().getImmediateResponse().getStatus().getCodeValue()).isEqualTo(400);
    }

    @Test
    void noSnapshotGets503() {
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody(BODY, true);
        assertThat(c.next().getImmediateResponse().getStatus().getCodeValue()).isEqualTo(503);
    }

    @Test
    void emptyPoolGets503() {
        pool();
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody(BODY, true);
        ProcessingResponse r = c.next();
        assertThat(r.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(503);
        assertThat(r.getImmediateResponse().getBody().toStringUtf8()).contains("ServiceUnavailable");
    }

    @Test
    void headerOnlyRequestIsRoutedAtOnceWithGeneratedRequestId() {
        pool(ep("10.0.0.1", 0), ep("10.0.0.2", 100));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(Map.of(":method", "GET", ":path", "/v1/models"), true);
        ProcessingResponse r = c.next();
        var mutation = r.getRequestHeaders().getResponse().getHeaderMutation();
        assertThat(header(mutation, "x-gateway-destination-endpoint")).isIn("10.0.0.1:8000", "10.0.0.2:8000");
        assertThat(header(mutation, "x-request-id")).isNotBlank();
        assertThat(header(mutation, "content-length")).isNull();
        assertThat(r.getRequestHeaders().getResponse().getClearRouteCache()).isTrue();
    }

    @Test
    void bufferedModeAnswersHeadersAtOnceAndRoutesInBodyResponse() {
        pool(ep("10.0.0.1", 3), ep("10.0.0.2", 0));
        ExtProcClient c = new ExtProcClient(extProc.channel(), BodySendMode.BUFFERED, BodySendMode.BUFFERED);
        c.requestHeaders(HEADERS, false);
        ProcessingResponse h = c.next();
        assertThat(h.getRequestHeaders().getResponse()).isEqualTo(CommonResponse.getDefaultInstance());
        c.requestBody(BODY, true);
        ProcessingResponse b = c.next();
        CommonResponse common = b.getRequestBody().getResponse();
        assertThat(common.getClearRouteCache()).isTrue();
        assertThat(header(common.getHeaderMutation(), "x-gateway-destination-endpoint")).isEqualTo("10.0.0.2:8000");
        assertThat(common.hasBodyMutation()).isFalse();
        assertThat(b.getDynamicMetadata().containsFields("envoy.lb")).isTrue();
        c.responseHeaders(Map.of(":status", "200"), false);
        assertThat(c.next().hasResponseHeaders()).isTrue();
        c.responseBody("{}", true);
        assertThat(c.next().getResponseBody().getResponse()).isEqualTo(CommonResponse.getDefaultInstance());
    }

    @Test
    void largeBodyIsReturnedInChunksOfAtMost62000Bytes() {
        pool(ep("10.0.0.1", 0));
        String prompt = "x".repeat(150_000);
        byte[] body = ("{\"model\":\"llama\",\"prompt\":\"" + prompt + "\"}").getBytes(StandardCharsets.UTF_8);
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        int third = body.length / 3;
        c.requestBody(java.util.Arrays.copyOfRange(body, 0, third), false);
        c.requestBody(java.util.Arrays.copyOfRange(body, third, 2 * third), false);
        c.requestBody(java.util.Arrays.copyOfRange(body, 2 * third, body.length), true);
        assertThat(c.next().hasRequestHeaders()).isTrue();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int chunks = 0;
        boolean eos = false;
        while (!eos) {
            var s = c.next().getRequestBody().getResponse().getBodyMutation().getStreamedResponse();
            assertThat(s.getBody().size()).isLessThanOrEqualTo(62_000);
            joined.writeBytes(s.getBody().toByteArray());
            eos = s.getEndOfStream();
            chunks++;
        }
        assertThat(chunks).isEqualTo(3);
        assertThat(joined.toByteArray()).isEqualTo(body);
    }

    @Test
    void largePromptInManySmallChunksIsReadAsItArrivesAndEchoedWhole() throws Exception {
        stop();
        TestServices.CollectedEvents events = new TestServices.CollectedEvents();
        extProc = InProcessExtProc.start(TestServices.builder(snapshots).meters(meters).events(events).build());
        pool(ep("10.0.0.1", 0));
        String prompt = "h\u00e9llo w\u00f6rld \\u00e9 ".repeat(11_000);
        byte[] body = ("{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isGreaterThan(220_000);
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(Map.of(":method", "POST", ":path", "/v1/chat/completions", "x-request-id", "big"), false);
        int chunk = 97;
        for (int from = 0; from < body.length; from += chunk) {
            int to = Math.min(body.length, from + chunk);
            c.requestBody(java.util.Arrays.copyOfRange(body, from, to), to == body.length);
        }
        ProcessingResponse headers = c.next();
        assertThat(header(headers.getRequestHeaders().getResponse().getHeaderMutation(),
                "x-gateway-destination-endpoint")).isEqualTo("10.0.0.1:8000");
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        boolean eos = false;
        while (!eos) {
            var s = c.next().getRequestBody().getResponse().getBodyMutation().getStreamedResponse();
            joined.writeBytes(s.getBody().toByteArray());
            eos = s.getEndOfStream();
        }
        assertThat(joined.toByteArray()).isEqualTo(body);
        // Each repetition is 21 bytes of JSON and 14 characters ("héllo wörld é "): the prompt was read whole.
        assertThat(events.decisions).singleElement().satisfies(d -> assertThat(d.getPromptTokenEstimate())
                .isEqualTo(14 * 11_000 / 4));
        c.complete();
        c.awaitServerClose();
    }

    @Test
    void bodyOverTheLimitGets413() throws Exception {
        startWith(100);
        pool(ep("10.0.0.1", 0));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody("{\"model\":\"llama\",\"prompt\":\"" + "y".repeat(200), false);
        assertThat(c.next().getImmediateResponse().getStatus().getCodeValue()).isEqualTo(413);
        c.awaitServerClose();
    }

    @Test
    void ipv6EndpointIsBracketed() {
        pool(EndpointSnapshot.of("local/ns/v6:8000", "fd00::1", 8000, 0, 0, 0, System.currentTimeMillis()));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody(BODY, true);
        assertThat(header(c.next().getRequestHeaders().getResponse().getHeaderMutation(),
                "x-gateway-destination-endpoint")).isEqualTo("[fd00::1]:8000");
    }

    @Test
    void requestTrailersCompleteTheBodyAndAreAnswered() {
        pool(ep("10.0.0.1", 0));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody(BODY, false);
        c.requestTrailers();
        assertThat(c.next().hasRequestHeaders()).isTrue();
        var s = c.next().getRequestBody().getResponse().getBodyMutation().getStreamedResponse();
        assertThat(s.getBody().toStringUtf8()).isEqualTo(BODY);
        assertThat(s.getEndOfStream()).as("trailers follow").isFalse();
        assertThat(c.next().hasRequestTrailers()).isTrue();
    }

    @Test
    void subsetHintRestrictsCandidatesAndEmptySubsetGets503() {
        pool(ep("10.0.0.1", 0), ep("10.0.0.2", 9));
        Metadata only2 = subset(List.of("10.0.0.2:8000"));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false, only2);
        c.requestBody(BODY, true);
        assertThat(header(c.next().getRequestHeaders().getResponse().getHeaderMutation(),
                "x-gateway-destination-endpoint")).isEqualTo("10.0.0.2:8000");

        ExtProcClient empty = new ExtProcClient(extProc.channel());
        empty.requestHeaders(HEADERS, false, subset(List.of()));
        empty.requestBody(BODY, true);
        assertThat(empty.next().getImmediateResponse().getStatus().getCodeValue()).isEqualTo(503);
    }

    @Test
    void responseBeforeRequestIsAProtocolError() {
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.responseHeaders(Map.of(":status", "200"), false);
        c.awaitServerClose();
        assertThat(io.grpc.Status.fromThrowable(c.error()).getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void cancelledStreamIsCleanedUp() {
        pool(ep("10.0.0.1", 0));
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(HEADERS, false);
        c.requestBody(BODY.substring(0, 5), false);
        extProc.channel().shutdownNow();
        assertThat(c.drain()).isEmpty();
    }

    static Metadata subset(List<String> hostPorts) {
        ListValue.Builder list = ListValue.newBuilder();
        hostPorts.forEach(h -> list.addValues(Value.newBuilder().setStringValue(h)));
        Struct ns = Struct.newBuilder().putFields("x-gateway-destination-endpoint-subset",
                Value.newBuilder().setListValue(list).build()).build();
        return Metadata.newBuilder().putFilterMetadata("envoy.lb.subset_hint", ns).build();
    }

    @Test
    void explainedRequestsGetTheDecisionOnTheResponseAndOthersDoNot() throws Exception {
        stop();
        extProc = InProcessExtProc.start(TestServices.builder(snapshots).profile("osprey-default").meters(meters)
                .build());
        pool(ep("10.0.0.1", 4), ep("10.0.0.2", 0));

        Map<String, String> explained = new java.util.HashMap<>(HEADERS);
        explained.put("x-osprey-explain", "true");
        ProcessingResponse withHeader = respond(explained);
        ProcessingResponse without = respond(HEADERS);

        String decision = header(withHeader.getResponseHeaders().getResponse().getHeaderMutation(),
                "x-osprey-decision");
        assertThat(decision).as("explanation header").isNotBlank().contains("10.0.0.2");
        assertThat(header(without.getResponseHeaders().getResponse().getHeaderMutation(), "x-osprey-decision"))
                .isNull();
    }

    private ProcessingResponse respond(Map<String, String> requestHeaders) {
        ExtProcClient c = new ExtProcClient(extProc.channel());
        c.requestHeaders(requestHeaders, false);
        c.requestBody(BODY, true);
        assertThat(c.next().hasRequestHeaders()).isTrue();
        assertThat(c.next().hasRequestBody()).isTrue();
        c.responseHeaders(Map.of(":status", "200", "content-type", "application/json"), false);
        ProcessingResponse response = c.next();
        c.responseBody("{}", true);
        c.next();
        c.complete();
        c.awaitServerClose();
        return response;
    }
}
