package dev.osprey.aggregator.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.PoolState;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds endpoint samples (key: pool id) and in-flight changes into per-pool {@link PoolView}s held in memory, writes
 * every change through to the stores ({@value AggregatorTopology#POOL_LOAD_STORE}: the newest sample per endpoint
 * by scrape time, kept as its wire bytes; {@value AggregatorTopology#ADAPTER_RESIDENCY_STORE};
 * {@value AggregatorTopology#POOL_VERSION_STORE}), and publishes each changed pool's {@link PoolState} at most once
 * per emit interval (written straight from the view by {@link PoolStateWriter}): a change after a quiet interval at once, later ones by a wall-clock punctuator. A second
 * punctuator drops endpoints silent longer than the expiry (measured against the newest applied sample, so lag never
 * looks like silence) and republishes pools whose endpoints turned stale since their last publication. The views are
 * rebuilt from the stores in {@link #init}, so a restored task continues where the failed one stopped. One instance
 * per task.
 */
final class PoolLoadProcessor implements Processor<String, PoolInput, String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(PoolLoadProcessor.class);

    private final String cluster;
    private final String poolStateTopic;
    private final Serializer<PoolState> poolStateSerializer;
    private final Duration emitInterval;
    private final Duration sweepInterval;
    private final long stalenessMs;
    private final long expiryMs;
    private final AggregatorMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, EncodedSample> poolLoad;
    private KeyValueStore<String, AdapterResidency> residency;
    private EmitThrottle throttle;
    private PoolStatePublisher publisher;
    private PoolViews views;

    /**
     * @param poolStateSerializer the pool-state topic's Avro serializer; {@link PoolStateWriter} takes the schema id
     *     from it and checks its own output against it
     */
    PoolLoadProcessor(AggregatorConfig config, Serializer<PoolState> poolStateSerializer, AggregatorMetrics metrics) {
        this.cluster = config.cluster();
        this.poolStateTopic = config.topicNames().poolState();
        this.poolStateSerializer = poolStateSerializer;
        this.emitInterval = config.emitInterval();
        this.sweepInterval = config.sweepInterval();
        this.stalenessMs = config.stalenessThreshold().toMillis();
        this.expiryMs = config.endpointExpiry().toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.poolLoad = context.getStateStore(AggregatorTopology.POOL_LOAD_STORE);
        this.residency = context.getStateStore(AggregatorTopology.ADAPTER_RESIDENCY_STORE);
        KeyValueStore<String, Long> versions = context.getStateStore(AggregatorTopology.POOL_VERSION_STORE);
        this.throttle = new EmitThrottle(emitInterval.toMillis());
        this.publisher = new PoolStatePublisher(
                new PoolStateWriter(poolStateTopic, poolStateSerializer, cluster, stalenessMs), stalenessMs, metrics,
                context, versions);
        this.views = PoolViews.restore(poolLoad, versions, context.getStateStore(AggregatorTopology.INFLIGHT_STORE),
                stalenessMs);
        if (!emitInterval.isZero()) {
            // A fine period: a throttled change goes out at most about one interval plus this period late (1 ms at
            // the default 10 ms interval; a punctuation with nothing due costs well under a microsecond).
            Duration period = Duration.ofMillis(Math.max(1, emitInterval.toMillis() / 10));
            context.schedule(period, PunctuationType.WALL_CLOCK_TIME, this::flushDuePools);
        }
        context.schedule(sweepInterval, PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, PoolInput> record) {
        if (record.value() instanceof InflightChange change) {
            PoolView pool = views.view(record.key());
            pool.setInflight(change.hostPort(), change.byReplica());
            changed(pool, context.currentSystemTimeMs());
        } else {
            onSample(record.key(), (EncodedSample) record.value());
        }
    }

    private void onSample(String key, EncodedSample encoded) {
        EndpointMetrics sample = encoded == null ? null : encoded.metrics();
        if (sample == null || !StoreKeys.isValidId(sample.getPoolId())
                || !StoreKeys.isValidId(sample.getEndpointId()) || !sample.getPoolId().equals(key)) {
            metrics.sampleRejected();
            LOG.warn("ignoring endpoint sample with key '{}' that breaks the record contract (pool id as key, ids"
                    + " without '{}'): {}", key, StoreKeys.SEPARATOR, sample);
            return;
        }
        PoolView pool = views.view(key);
        EndpointSlot slot = pool.slot(sample.getEndpointId());
        EndpointMetrics before = null;
        if (slot == null) {
            slot = pool.add(sample.getEndpointId(), StoreKeys.endpointKey(key, sample.getEndpointId()), sample);
        } else if (slot.scrapeTimeMs() > sample.getScrapeTimeMs()) {
            metrics.sampleOutOfOrder();
            return;
        } else {
            before = slot.sample();
            slot.update(sample);
        }
        poolLoad.put(slot.storeKey(), encoded);
        views.applied(sample.getScrapeTimeMs());
        metrics.sampleAccepted();
        if (AdapterResidency.residencyChanged(before, sample)) {
            AdapterResidency.rewrite(residency, key, pool.samples());
        }
        pool.unpublished(sample.getScrapeTimeMs());
        changed(pool, context.currentSystemTimeMs());
    }

    private void changed(PoolView pool, long nowMs) {
        if (throttle.onChange(pool, nowMs)) {
            publish(pool, nowMs);
        }
    }

    private void publish(PoolView pool, long nowMs) {
        publisher.publish(pool, nowMs);
        throttle.emitted(pool, nowMs);
    }

    private void flushDuePools(long nowMs) {
        for (PoolView pool : throttle.due(nowMs)) {
            publish(pool, nowMs);
        }
    }

    private void sweep(long nowMs) {
        expireSilentEndpoints(nowMs);
        List<PoolView> turnedStale = new ArrayList<>();
        for (PoolView pool : views.all()) {
            if (nowMs > pool.turnsStaleAfterMs()) {
                turnedStale.add(pool);
            }
        }
        for (PoolView pool : turnedStale) {
            pool.turnsStaleAfterMs(Long.MAX_VALUE);
            changed(pool, nowMs);
        }
    }

    private void expireSilentEndpoints(long nowMs) {
        long reference = Math.min(nowMs, views.newestScrapeMs());
        List<PoolView> changedPools = new ArrayList<>();
        for (PoolView pool : views.all()) {
            boolean dropped = false;
            for (EndpointSlot slot : pool.slots()) {
                if (reference - slot.scrapeTimeMs() > expiryMs) {
                    pool.remove(slot);
                    poolLoad.delete(slot.storeKey());
                    metrics.endpointExpired();
                    dropped = true;
                    LOG.info("dropped endpoint {} of pool {}: no sample for more than {} ms", slot.endpointId(),
                            pool.poolId(), expiryMs);
                }
            }
            if (dropped) {
                changedPools.add(pool);
            }
        }
        for (PoolView pool : changedPools) {
            AdapterResidency.rewrite(residency, pool.poolId(), pool.samples());
            changed(pool, nowMs);
        }
    }
}
