package dev.osprey.aggregator.launch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Supplier;

import dev.osprey.aggregator.StateAggregator;
import dev.osprey.schemas.http.TextEndpoint;
import dev.osprey.schemas.http.TextEndpoint.Page;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The pages a platform needs from an aggregator process ({@link TextEndpoint}): {@code /metrics}, the aggregator's
 * and Kafka Streams' meters as Prometheus text, and {@code /healthz}, 200 while the Streams application is running
 * or rebalancing and 503 naming its state otherwise (starting, failed, shutting down) — for a Kubernetes readiness
 * and liveness probe.
 */
final class OperationsEndpoint {

    private OperationsEndpoint() {
    }

    /**
     * Binds {@code port} on all interfaces (0 picks a free port) and serves {@code meters} and the health of the
     * aggregator {@code aggregator} supplies (none yet while it starts).
     *
     * @throws IOException when the port cannot be bound
     */
    static TextEndpoint start(int port, PrometheusMeterRegistry meters, Supplier<StateAggregator> aggregator)
            throws IOException {
        return TextEndpoint.start(new InetSocketAddress(port), "osprey-aggregator-operations", Map.of(
                "/metrics", () -> Page.prometheus(meters.scrape()),
                "/healthz", () -> health(aggregator.get())));
    }

    /** 200 while {@code current} runs or rebalances, 503 otherwise; the body names the state. */
    private static Page health(StateAggregator current) {
        KafkaStreams.State state = current == null ? null : current.state();
        boolean healthy = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        String name = state == null ? "STARTING" : state.name();
        return new Page(healthy ? 200 : 503, TextEndpoint.PLAIN_TEXT, name + "\n");
    }
}
