package dev.osprey.aggregator.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.osprey.schemas.avro.DecisionOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Maintains the {@value AggregatorTopology#PREFIX_INDEX_STORE} store from routed decisions: each block hash of a
 * ROUTED {@link RoutingDecision} is recorded against its primary endpoint with the decision time (the newest time
 * wins). A decision carries up to 256 hashes and a hot shared prefix is routed many times a second, so the blocks
 * are first folded into an in-memory map (newest time per key) and written to the store once per publish interval
 * (or when {@value #MAX_PENDING} keys are pending); a crash or a shutdown may lose that interval's refreshes (Kafka
 * Streams commits a closing task before it closes its processors), which an approximate index tolerates. Every
 * publish interval (wall clock) the pools that changed are trimmed — blocks older than the TTL dropped, then each
 * endpoint cut to its newest {@code maxPerEndpoint} (LRU) — and published as a {@link PrefixIndexSnapshot}. A slower
 * sweep expires blocks of pools that saw no decision. One instance per task.
 */
final class PrefixIndexProcessor implements Processor<String, SpecificRecord, String, PrefixIndexSnapshot> {

    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();
    private static final long MAX_SWEEP_PERIOD_MS = 10_000;
    static final int MAX_PENDING = 100_000;

    private final Duration publishInterval;
    private final long ttlMs;
    private final int maxPerEndpoint;
    private final AggregatorMetrics metrics;
    private final Set<String> dirtyPools = new LinkedHashSet<>();
    private final Map<String, Long> pending = new HashMap<>();
    private ProcessorContext<String, PrefixIndexSnapshot> context;
    private KeyValueStore<String, Long> store;

    PrefixIndexProcessor(Duration publishInterval, Duration ttl, int maxPerEndpoint, AggregatorMetrics metrics) {
        this.publishInterval = publishInterval;
        this.ttlMs = ttl.toMillis();
        this.maxPerEndpoint = maxPerEndpoint;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, PrefixIndexSnapshot> context) {
        this.context = context;
        this.store = context.getStateStore(AggregatorTopology.PREFIX_INDEX_STORE);
        context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, this::publishChangedPools);
        long sweepMs = Math.max(publishInterval.toMillis(), Math.min(ttlMs / 4, MAX_SWEEP_PERIOD_MS));
        context.schedule(Duration.ofMillis(sweepMs), PunctuationType.WALL_CLOCK_TIME, this::expireEverywhere);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (!(record.value() instanceof RoutingDecision decision) || decision.getOutcome() != DecisionOutcome.ROUTED
                || decision.getChosenEndpoints().isEmpty() || decision.getPrefixBlockHashes().isEmpty()
                || !StoreKeys.isValidId(decision.getPoolId())) {
            return;
        }
        String hostPort = decision.getChosenEndpoints().get(0);
        if (!StoreKeys.isValidId(hostPort)) {
            return;
        }
        Long seenMs = decision.getDecidedAtMs();
        for (Long hash : decision.getPrefixBlockHashes()) {
            pending.merge(PrefixIndex.key(decision.getPoolId(), hostPort, hash), seenMs, Math::max);
        }
        metrics.prefixBlocks(decision.getPrefixBlockHashes().size());
        dirtyPools.add(decision.getPoolId());
        if (pending.size() >= MAX_PENDING) {
            flushPending();
        }
    }

    /** Writes the folded blocks to the store, keeping the newest time per key. */
    private void flushPending() {
        for (Map.Entry<String, Long> e : pending.entrySet()) {
            Long previous = store.get(e.getKey());
            if (previous == null || previous < e.getValue()) {
                store.put(e.getKey(), e.getValue());
            }
        }
        pending.clear();
    }

    private void publishChangedPools(long nowMs) {
        flushPending();
        if (dirtyPools.isEmpty()) {
            return;
        }
        List<String> pools = new ArrayList<>(dirtyPools);
        dirtyPools.clear();
        for (String poolId : pools) {
            trim(poolId, nowMs);
            Map<String, List<PrefixIndex.Block>> byEndpoint = PrefixIndex.read(store, poolId, nowMs, ttlMs,
                    maxPerEndpoint);
            context.forward(new Record<>(poolId, PrefixIndexSnapshot.of(poolId, nowMs, ttlMs, byEndpoint), nowMs));
        }
    }

    /** Drops the pool's expired blocks and, per endpoint, all but the newest {@code maxPerEndpoint}. */
    private void trim(String poolId, long nowMs) {
        Map<String, List<PrefixIndex.Block>> kept = PrefixIndex.read(store, poolId, nowMs, ttlMs, Integer.MAX_VALUE);
        List<String> doomed = new ArrayList<>();
        try (KeyValueIterator<String, Long> entries = store.prefixScan(StoreKeys.poolPrefix(poolId),
                PREFIX_SERIALIZER)) {
            while (entries.hasNext()) {
                KeyValue<String, Long> entry = entries.next();
                if (nowMs - entry.value > ttlMs) {
                    doomed.add(entry.key);
                }
            }
        }
        kept.forEach((endpoint, blocks) -> {
            for (int i = maxPerEndpoint; i < blocks.size(); i++) {
                doomed.add(PrefixIndex.key(poolId, endpoint, blocks.get(i).hash()));
            }
        });
        doomed.forEach(store::delete);
        metrics.prefixBlocksDropped(doomed.size());
    }

    private void expireEverywhere(long nowMs) {
        flushPending();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (nowMs - entry.value > ttlMs) {
                    expired.add(entry.key);
                }
            }
        }
        for (String key : expired) {
            store.delete(key);
            dirtyPools.add(StoreKeys.poolOf(key));
        }
        metrics.prefixBlocksDropped(expired.size());
    }
}
