package dev.osprey.epp.extproc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ext-proc path's Micrometer meters, named after upstream's so dashboards carry over (Prometheus adds the
 * {@code _total} and {@code _seconds} suffixes): {@code inference_objective_request_total},
 * {@code inference_objective_request_duration_seconds} (labels {@code model_name}, {@code target_model_name}) and
 * {@code inference_extension_scheduler_e2e_duration_seconds}, and the gauge
 * {@code inference_objective_running_requests} (label {@code model_name}). Thread-safe.
 */
public final class ExtProcMetrics {

    private final MeterRegistry registry;
    private final Timer scheduling;
    private final Counter streams;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<ModelTags, Counter> requests = new ConcurrentHashMap<>();
    private final Map<ModelTags, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final AtomicInteger runningTotal = new AtomicInteger();

    private record ModelTags(String model, String target) {
    }

    public ExtProcMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.scheduling = Timer.builder("inference_extension_scheduler_e2e_duration")
                .description("End-to-end scheduling latency of one pick")
                .serviceLevelObjectives(Duration.ofNanos(100_000), Duration.ofNanos(200_000),
                        Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
                        Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100))
                .register(registry);
        this.streams = Counter.builder("osprey_epp_extproc_streams")
                .description("Ext-proc streams opened").register(registry);
    }

    /** Records one scheduling attempt's latency. */
    public void scheduled(long nanos) {
        scheduling.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts one stream. */
    public void streamOpened() {
        streams.increment();
    }

    /** Counts one request outcome: {@code routed}, or the HTTP status of an immediate response. */
    public void outcome(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> Counter.builder("osprey_epp_requests")
                .description("Requests by EPP outcome").tag("outcome", o).register(registry)).increment();
    }

    /** Counts one request for a model (empty strings when unknown). */
    public void request(String model, String target) {
        requests.computeIfAbsent(new ModelTags(model, target), t -> Counter.builder("inference_objective_request")
                .description("Requests per model").tag("model_name", t.model()).tag("target_model_name", t.target())
                .register(registry)).increment();
    }

    /** A routed request of {@code model} is now running (until {@link #requestEnded}). */
    public void requestStarted(String model) {
        runningGauge(model).incrementAndGet();
        runningTotal.incrementAndGet();
    }

    /** A request counted by {@link #requestStarted} has ended (response done, stream completed or cancelled). */
    public void requestEnded(String model) {
        runningGauge(model).decrementAndGet();
        runningTotal.decrementAndGet();
    }

    /** Routed requests whose response has not ended yet, over all models. */
    public int running() {
        return runningTotal.get();
    }

    private AtomicInteger runningGauge(String model) {
        return running.computeIfAbsent(model, m -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("inference_objective_running_requests", value, AtomicInteger::get)
                    .description("Routed requests whose response has not ended, per model").tag("model_name", m)
                    .register(registry);
            return value;
        });
    }

    /** Records one finished request's end-to-end latency. */
    public void requestDuration(String model, String target, long nanos) {
        durations.computeIfAbsent(new ModelTags(model, target), t -> Timer.builder(
                "inference_objective_request_duration").description("End-to-end request latency per model")
                .tag("model_name", t.model()).tag("target_model_name", t.target())
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
                        Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ofSeconds(3600))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
