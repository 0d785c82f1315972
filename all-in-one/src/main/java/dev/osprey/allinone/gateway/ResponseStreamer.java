package dev.osprey.allinone.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.sun.net.httpserver.HttpExchange;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.StreamedBodyResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response phase, streamed like Envoy's {@code FULL_DUPLEX_STREAMED}: the model server's headers go to the
 * EPP, then a pump thread passes each body chunk to the EPP as it arrives from the model server while the handler
 * thread writes each {@code streamed_response} chunk the EPP returns to the client at once (chunked transfer), so
 * SSE events reach the client one by one. Every response message carries the served endpoint as
 * {@code filter_metadata["envoy.lb"]["x-gateway-destination-endpoint-served"]}.
 */
final class ResponseStreamer {

    static final String LB_NAMESPACE = "envoy.lb";
    static final String SERVED_KEY = "x-gateway-destination-endpoint-served";

    private static final Logger LOG = LoggerFactory.getLogger(ResponseStreamer.class);

    private ResponseStreamer() {
    }

    /** The metadata reporting {@code endpoint} as the one that served. */
    static Metadata served(String endpoint) {
        return Metadata.newBuilder().putFilterMetadata(LB_NAMESPACE, Struct.newBuilder()
                .putFields(SERVED_KEY, Value.newBuilder().setStringValue(endpoint).build()).build()).build();
    }

    /**
     * Streams the response of {@code endpoint} through the EPP to the client.
     *
     * @param extraHeaders headers added to the client response (e.g. the served-by header)
     * @throws IOException when writing to the client fails
     */
    static void stream(ExtProcCall call, HttpResponse<InputStream> response, String endpoint, HttpExchange exchange,
            Map<String, String> extraHeaders, int chunkBytes, ExecutorService pumps) throws IOException {
        Metadata metadata = served(endpoint);
        Map<String, String> headers = HeaderMaps.firstValues(response.headers().map());
        headers.put(":status", String.valueOf(response.statusCode()));
        call.send(ProcessingRequest.newBuilder().setMetadataContext(metadata).setResponseHeaders(HttpHeaders
                .newBuilder().setHeaders(HeaderMaps.toProto(headers)).setEndOfStream(false)).build());
        ExtProcRequestPhase.Result verdict = ExtProcRequestPhase.responseHeaders(call.next(), headers);
        if (verdict instanceof ExtProcRequestPhase.Immediate immediate) {
            response.body().close();
            ProxyHandler.reply(exchange, immediate.status(), immediate.headers(), immediate.body());
            return;
        }
        headers.putAll(extraHeaders);
        InputStream upstream = response.body();
        Future<?> pump = pumps.submit(() -> pump(call, upstream, metadata, chunkBytes));
        ProxyHandler.copyHeaders(exchange, headers);
        exchange.sendResponseHeaders(response.statusCode(), 0);
        try (OutputStream client = exchange.getResponseBody()) {
            boolean eos = false;
            while (!eos) {
                ProcessingResponse reply = call.next();
                if (!reply.hasResponseBody()) {
                    throw new ExtProcException("expected a response-body reply, got " + reply.getResponseCase(),
                            null);
                }
                StreamedBodyResponse chunk = reply.getResponseBody().getResponse().getBodyMutation()
                        .getStreamedResponse();
                chunk.getBody().writeTo(client);
                client.flush();
                eos = chunk.getEndOfStream();
            }
        } catch (ExtProcException e) {
            // the client already has the status line: all that is left is to cut the response short
            LOG.warn("response from {} cut short: {}", endpoint, e.getMessage());
            upstream.close();
        } finally {
            await(pump, endpoint);
        }
    }

    /** Sends the model server's body to the EPP chunk by chunk; an empty last chunk carries end_of_stream. */
    private static void pump(ExtProcCall call, InputStream upstream, Metadata metadata, int chunkBytes) {
        try (upstream) {
            byte[] buffer = new byte[chunkBytes];
            int n;
            while ((n = upstream.read(buffer)) >= 0) {
                if (n > 0) {
                    call.send(body(metadata, ByteString.copyFrom(buffer, 0, n), false));
                }
            }
            call.send(body(metadata, ByteString.EMPTY, true));
        } catch (IOException e) {
            LOG.info("model server response ended early: {}", e.getMessage());
            call.send(body(metadata, ByteString.EMPTY, true));
        }
    }

    private static ProcessingRequest body(Metadata metadata, ByteString bytes, boolean eos) {
        return ProcessingRequest.newBuilder().setMetadataContext(metadata)
                .setResponseBody(HttpBody.newBuilder().setBody(bytes).setEndOfStream(eos)).build();
    }

    private static void await(Future<?> pump, String endpoint) {
        try {
            pump.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pump.cancel(true);
        } catch (ExecutionException e) {
            LOG.warn("pumping the response of {} failed", endpoint, e.getCause());
        }
    }
}
