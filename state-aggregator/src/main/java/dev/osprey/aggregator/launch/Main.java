package dev.osprey.aggregator.launch;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.aggregator.StateAggregator;
import dev.osprey.schemas.http.TextEndpoint;
import dev.osprey.schemas.launch.Launch;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one aggregator instance until it is stopped (SIGTERM/SIGINT): configuration from {@code --config} then
 * {@code OSPREY_AGGREGATOR_*} variables ({@link ConfigurationSources}), meters and health on
 * {@code --metrics-port} ({@link OperationsEndpoint}), the query API when {@code osprey.aggregator.application.server}
 * is set. Exit status 2: bad command line or configuration (one line naming the flag or key); 1: start-up failed
 * (broker unreachable, port in use) or the Streams application failed while running, so a supervisor restarts it
 * (local state is kept and reused); 0: stopped by a signal, after leaving the consumer group.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    private static final Duration STATE_CHECK = Duration.ofSeconds(1);
    private static final String SERVICE = "osprey aggregator";

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        LaunchArguments arguments = Launch.readOrExit(SERVICE, () -> LaunchArguments.parse(args));
        AggregatorConfig config = Launch.readOrExit(SERVICE,
                () -> ConfigurationSources.load(arguments.configFile(), System.getenv()));
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicReference<StateAggregator> running = new AtomicReference<>();
        TextEndpoint operations = null;
        try {
            if (arguments.operationsPort() >= 0) {
                operations = OperationsEndpoint.start(arguments.operationsPort(), meters, running::get);
                LOG.info("aggregator meters on :{}/metrics, health on :{}/healthz", operations.port(),
                        operations.port());
            }
            running.set(StateAggregator.start(config, meters));
        } catch (IOException | RuntimeException e) {
            Launch.failStart(LOG, SERVICE, e, operations);
            return;
        }
        StateAggregator aggregator = running.get();
        AutoCloseable[] parts = {aggregator, operations};
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = Launch.onShutdown("osprey-aggregator-shutdown", () -> {
            stopping.set(true);
            LOG.info("stopping aggregator {}", config.applicationId());
            Launch.closeAll(LOG, parts);
        });
        while (!stopped.await(STATE_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
            KafkaStreams.State state = aggregator.state();
            if (!stopping.get() && (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING)) {
                LOG.error("aggregator {} is {}; exiting so that it is restarted", config.applicationId(), state);
                System.exit(Launch.START_FAILED);
            }
        }
    }
}
