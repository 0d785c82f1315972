package dev.osprey.aggregator.topology;

import java.time.Duration;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * The aggregator's own Micrometer meters (Kafka Streams' metrics are bound separately). Thread-safe: meters may be
 * updated from every stream thread.
 */
public final class AggregatorMetrics {

    /** Timer: scrape time of a sample to production of the first PoolState that contains it. */
    public static final String END_TO_END_LATENCY = "osprey.aggregator.end.to.end.latency";
    /** Counter of endpoint samples, tagged {@code result} = accepted | out_of_order | rejected. */
    public static final String SAMPLES = "osprey.aggregator.samples";
    /** Counter of PoolState records produced. */
    public static final String POOL_STATES = "osprey.aggregator.pool.states";
    /** Counter of endpoints dropped for being silent longer than the expiry. */
    public static final String ENDPOINTS_EXPIRED = "osprey.aggregator.endpoints.expired";
    /** Counter of routing decisions and outcomes, tagged {@code kind} = decision | outcome | timed_out | rejected. */
    public static final String INFLIGHT_EVENTS = "osprey.aggregator.inflight.events";
    /** Counter of poison records sent to the dead-letter topic, tagged with the source {@code topic}. */
    public static final String DEAD_LETTERS = "osprey.aggregator.dead.letters";
    /** Counter of prompt-prefix block hashes recorded from routed decisions. */
    public static final String PREFIX_BLOCKS = "osprey.aggregator.prefix.blocks";
    /** Counter of prefix blocks forgotten, by TTL or by the per-endpoint bound. */
    public static final String PREFIX_BLOCKS_DROPPED = "osprey.aggregator.prefix.blocks.dropped";
    /** Counter of pool-stats windows emitted. */
    public static final String STATS_WINDOWS = "osprey.aggregator.stats.windows";
    /** Counter of decisions and outcomes that arrived after their pool-stats window was emitted. */
    public static final String STATS_LATE_EVENTS = "osprey.aggregator.stats.late.events";

    private final MeterRegistry registry;
    private final Timer endToEndLatency;
    private final Counter accepted;
    private final Counter outOfOrder;
    private final Counter rejected;
    private final Counter poolStates;
    private final Counter expired;
    private final Counter decisions;
    private final Counter outcomes;
    private final Counter timedOut;
    private final Counter inflightRejected;
    private final Counter prefixBlocks;
    private final Counter prefixBlocksDropped;
    private final Counter statsWindows;
    private final Counter statsLate;

    /** Registers the meters in {@code registry}; the caller keeps ownership of the registry. */
    public AggregatorMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.endToEndLatency = Timer.builder(END_TO_END_LATENCY)
                .description("Scrape time of an endpoint sample to production of the PoolState containing it")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        this.accepted = samples("accepted");
        this.outOfOrder = samples("out_of_order");
        this.rejected = samples("rejected");
        this.poolStates = Counter.builder(POOL_STATES).description("PoolState records produced").register(registry);
        this.expired = Counter.builder(ENDPOINTS_EXPIRED).description("Silent endpoints dropped").register(registry);
        this.decisions = inflight("decision");
        this.outcomes = inflight("outcome");
        this.timedOut = inflight("timed_out");
        this.inflightRejected = inflight("rejected");
        this.prefixBlocks = Counter.builder(PREFIX_BLOCKS).description("Prefix block hashes recorded")
                .register(registry);
        this.prefixBlocksDropped = Counter.builder(PREFIX_BLOCKS_DROPPED)
                .description("Prefix block hashes forgotten by TTL or the per-endpoint bound").register(registry);
        this.statsWindows = Counter.builder(STATS_WINDOWS).description("Pool-stats windows emitted").register(registry);
        this.statsLate = Counter.builder(STATS_LATE_EVENTS)
                .description("Events dropped because their pool-stats window was already emitted").register(registry);
    }

    /** Meters that record nowhere, for topologies built without a registry. */
    public static AggregatorMetrics noop() {
        return new AggregatorMetrics(new CompositeMeterRegistry());
    }

    /** The registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    void endToEndLatency(long millis) {
        endToEndLatency.record(Math.max(0, millis), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void sampleAccepted() {
        accepted.increment();
    }

    void sampleOutOfOrder() {
        outOfOrder.increment();
    }

    void sampleRejected() {
        rejected.increment();
    }

    void poolStateEmitted() {
        poolStates.increment();
    }

    void endpointExpired() {
        expired.increment();
    }

    void decision() {
        decisions.increment();
    }

    void outcome() {
        outcomes.increment();
    }

    void inflightTimedOut() {
        timedOut.increment();
    }

    void inflightRejected() {
        inflightRejected.increment();
    }

    void prefixBlocks(int count) {
        prefixBlocks.increment(count);
    }

    void prefixBlocksDropped(int count) {
        if (count > 0) {
            prefixBlocksDropped.increment(count);
        }
    }

    void statsWindowEmitted() {
        statsWindows.increment();
    }

    void statsLateEvent() {
        statsLate.increment();
    }

    void deadLetter(String topic) {
        Counter.builder(DEAD_LETTERS).description("Poison records sent to the dead-letter topic")
                .tag("topic", topic).register(registry).increment();
    }

    private Counter samples(String result) {
        return Counter.builder(SAMPLES).description("Endpoint metric samples by what became of them")
                .tag("result", result).register(registry);
    }

    private Counter inflight(String kind) {
        return Counter.builder(INFLIGHT_EVENTS).description("Routing decisions and outcomes folded into in-flight counts")
                .tag("kind", kind).register(registry);
    }
}
