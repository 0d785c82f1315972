package dev.osprey.aggregator.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.PoolState;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Publishes a pool's {@link PoolState} after its inputs change, at most once per emit interval per pool: a change
 * after a quiet interval is published at once, changes within the interval by a wall-clock punctuator, so the
 * newest picture always goes out within about one interval. A second punctuator republishes pools whose endpoints
 * turned stale since their last publication, so consumers see STALE without waiting for another sample.
 * One instance per task.
 */
final class PoolStateEmitter implements Processor<String, PoolChange, String, PoolState> {

    private final String cluster;
    private final Duration emitInterval;
    private final Duration sweepInterval;
    private final long stalenessMs;
    private final AggregatorMetrics metrics;
    private final EmitThrottle throttle;
    private final Map<String, List<Long>> unpublishedScrapeTimes = new HashMap<>();
    /**
     * Per pool, when the first endpoint that was fresh at its last publication turns stale (scrape time +
     * staleness): the staleness sweep checks these instead of deserializing the whole store. The first sweep after
     * {@link #init} scans the store once, since publications before a restart are not known here.
     */
    private final Map<String, Long> turnsStaleAfter = new HashMap<>();
    private boolean scannedSinceInit;
    private ProcessorContext<String, PoolState> context;
    private KeyValueStore<String, EndpointMetrics> poolLoad;
    private KeyValueStore<String, Long> versions;
    private KeyValueStore<String, InflightCounts> inflight;

    PoolStateEmitter(String cluster, Duration emitInterval, Duration sweepInterval, Duration staleness,
            AggregatorMetrics metrics) {
        this.cluster = cluster;
        this.emitInterval = emitInterval;
        this.sweepInterval = sweepInterval;
        this.stalenessMs = staleness.toMillis();
        this.metrics = metrics;
        this.throttle = new EmitThrottle(emitInterval.toMillis());
    }

    @Override
    public void init(ProcessorContext<String, PoolState> context) {
        this.context = context;
        this.poolLoad = context.getStateStore(AggregatorTopology.POOL_LOAD_STORE);
        this.versions = context.getStateStore(AggregatorTopology.POOL_VERSION_STORE);
        this.inflight = context.getStateStore(AggregatorTopology.INFLIGHT_STORE);
        this.turnsStaleAfter.clear();
        this.scannedSinceInit = false;
        if (!emitInterval.isZero()) {
            Duration period = Duration.ofMillis(Math.max(1, emitInterval.toMillis() / 2));
            context.schedule(period, PunctuationType.WALL_CLOCK_TIME, this::flushDuePools);
        }
        context.schedule(sweepInterval, PunctuationType.WALL_CLOCK_TIME, this::republishNewlyStalePools);
    }

    @Override
    public void process(Record<String, PoolChange> record) {
        String poolId = record.key();
        record.value().scrapeTimeMs().ifPresent(scrapeTime ->
                unpublishedScrapeTimes.computeIfAbsent(poolId, p -> new ArrayList<>()).add(scrapeTime));
        long now = context.currentSystemTimeMs();
        if (throttle.onChange(poolId, now)) {
            emit(poolId, now);
        }
    }

    private void flushDuePools(long nowMs) {
        if (throttle.hasPending()) {
            for (String poolId : throttle.due(nowMs)) {
                emit(poolId, nowMs);
            }
        }
    }

    private void republishNewlyStalePools(long nowMs) {
        if (!scannedSinceInit) {
            scannedSinceInit = true;
            republishAfterFullScan(nowMs);
            return;
        }
        List<String> pools = new ArrayList<>();
        turnsStaleAfter.forEach((poolId, deadline) -> {
            if (nowMs > deadline) {
                pools.add(poolId);
            }
        });
        for (String poolId : pools) {
            turnsStaleAfter.remove(poolId);
            if (throttle.onChange(poolId, nowMs)) {
                emit(poolId, nowMs);
            }
        }
    }

    private void republishAfterFullScan(long nowMs) {
        Set<String> pools = new LinkedHashSet<>();
        try (KeyValueIterator<String, EndpointMetrics> all = poolLoad.all()) {
            while (all.hasNext()) {
                KeyValue<String, EndpointMetrics> entry = all.next();
                long scrapeTime = entry.value.getScrapeTimeMs();
                if (nowMs - scrapeTime <= stalenessMs) {
                    continue;
                }
                String poolId = StoreKeys.poolOf(entry.key);
                OptionalLong lastEmit = throttle.lastEmit(poolId);
                if (lastEmit.isEmpty() || lastEmit.getAsLong() - scrapeTime <= stalenessMs) {
                    pools.add(poolId);
                }
            }
        }
        for (String poolId : pools) {
            if (throttle.onChange(poolId, nowMs)) {
                emit(poolId, nowMs);
            }
        }
    }

    private void emit(String poolId, long nowMs) {
        List<EndpointMetrics> samples = PoolStates.samples(poolLoad, poolId);
        Long previous = versions.get(poolId);
        long oldestFresh = Long.MAX_VALUE;
        for (EndpointMetrics sample : samples) {
            if (nowMs - sample.getScrapeTimeMs() <= stalenessMs) {
                oldestFresh = Math.min(oldestFresh, sample.getScrapeTimeMs());
            }
        }
        if (oldestFresh == Long.MAX_VALUE) {
            turnsStaleAfter.remove(poolId);
        } else {
            turnsStaleAfter.put(poolId, oldestFresh + stalenessMs);
        }
        if (samples.isEmpty() && previous == null) {
            throttle.emitted(poolId, nowMs);
            unpublishedScrapeTimes.remove(poolId);
            return;
        }
        long version = previous == null ? 1 : previous + 1;
        versions.put(poolId, version);
        PoolState state = PoolStates.assemble(cluster, poolId, version, nowMs, stalenessMs, samples, inflight);
        context.forward(new Record<>(poolId, state, nowMs));
        throttle.emitted(poolId, nowMs);
        metrics.poolStateEmitted();
        List<Long> scrapeTimes = unpublishedScrapeTimes.remove(poolId);
        if (scrapeTimes != null) {
            for (long scrapeTime : scrapeTimes) {
                metrics.endToEndLatency(nowMs - scrapeTime);
            }
        }
    }
}
