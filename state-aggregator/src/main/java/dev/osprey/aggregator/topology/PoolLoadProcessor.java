package dev.osprey.aggregator.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.osprey.schemas.avro.EndpointMetrics;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds endpoint samples (key: pool id) into the {@value AggregatorTopology#POOL_LOAD_STORE} store, keeping the
 * newest sample per endpoint by scrape time, and forwards a {@link PoolChange} per accepted sample. Keeps the
 * {@value AggregatorTopology#ADAPTER_RESIDENCY_STORE} store in step when an endpoint's adapters change. A
 * wall-clock punctuator drops endpoints whose newest sample is older than the expiry, measured against the newest
 * sample the task has applied (so lag never looks like silence). One instance per task.
 */
final class PoolLoadProcessor implements Processor<String, EndpointMetrics, String, PoolChange> {

    private static final Logger LOG = LoggerFactory.getLogger(PoolLoadProcessor.class);

    private final Duration sweepInterval;
    private final long expiryMs;
    private final AggregatorMetrics metrics;
    private ProcessorContext<String, PoolChange> context;
    private KeyValueStore<String, EndpointMetrics> poolLoad;
    private KeyValueStore<String, AdapterResidency> residency;
    /**
     * Scrape time per store key, so the expiry sweep does not deserialize the whole store every interval. Filled
     * from the store on first use after {@link #init} (the store is restored by then), kept in step by
     * {@link #process} and the sweep, which are the only writers of pool-load.
     */
    private Map<String, Long> scrapeTimes;
    /**
     * The newest scrape time this task has applied. Expiry measures silence against it, not against the wall clock
     * alone, so a stream thread that stalled (or a backlog after a restart) never drops endpoints whose newer
     * samples are still waiting in the input.
     */
    private long newestScrapeMs = Long.MIN_VALUE;

    PoolLoadProcessor(Duration sweepInterval, Duration expiry, AggregatorMetrics metrics) {
        this.sweepInterval = sweepInterval;
        this.expiryMs = expiry.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, PoolChange> context) {
        this.context = context;
        this.poolLoad = context.getStateStore(AggregatorTopology.POOL_LOAD_STORE);
        this.residency = context.getStateStore(AggregatorTopology.ADAPTER_RESIDENCY_STORE);
        this.scrapeTimes = null;
        context.schedule(sweepInterval, PunctuationType.WALL_CLOCK_TIME, this::expireSilentEndpoints);
    }

    @Override
    public void process(Record<String, EndpointMetrics> record) {
        EndpointMetrics sample = record.value();
        if (sample == null || !StoreKeys.isValidId(sample.getPoolId())
                || !StoreKeys.isValidId(sample.getEndpointId()) || !sample.getPoolId().equals(record.key())) {
            metrics.sampleRejected();
            LOG.warn("ignoring endpoint sample with key '{}' that breaks the record contract (pool id as key, ids"
                    + " without '{}'): {}", record.key(), StoreKeys.SEPARATOR, sample);
            return;
        }
        String key = StoreKeys.endpointKey(sample.getPoolId(), sample.getEndpointId());
        EndpointMetrics stored = poolLoad.get(key);
        if (stored != null && stored.getScrapeTimeMs() > sample.getScrapeTimeMs()) {
            metrics.sampleOutOfOrder();
            return;
        }
        poolLoad.put(key, sample);
        scrapeTimes().put(key, sample.getScrapeTimeMs());
        newestScrapeMs = Math.max(newestScrapeMs, sample.getScrapeTimeMs());
        metrics.sampleAccepted();
        if (AdapterResidency.residencyChanged(stored, sample)) {
            AdapterResidency.rewrite(residency, sample.getPoolId(), PoolStates.samples(poolLoad, sample.getPoolId()));
        }
        context.forward(new Record<>(sample.getPoolId(), PoolChange.sample(sample.getScrapeTimeMs()),
                record.timestamp()));
    }

    private void expireSilentEndpoints(long nowMs) {
        long reference = Math.min(nowMs, newestScrapeMs);
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Long> entry : scrapeTimes().entrySet()) {
            if (reference - entry.getValue() > expiryMs) {
                expired.add(entry.getKey());
            }
        }
        Set<String> pools = new LinkedHashSet<>();
        for (String key : expired) {
            poolLoad.delete(key);
            scrapeTimes.remove(key);
            metrics.endpointExpired();
            pools.add(StoreKeys.poolOf(key));
            LOG.info("dropped endpoint {} of pool {}: no sample for more than {} ms", StoreKeys.endpointOf(key),
                    StoreKeys.poolOf(key), expiryMs);
        }
        for (String poolId : pools) {
            AdapterResidency.rewrite(residency, poolId, PoolStates.samples(poolLoad, poolId));
            context.forward(new Record<>(poolId, PoolChange.other(), nowMs));
        }
    }

    private Map<String, Long> scrapeTimes() {
        if (scrapeTimes == null) {
            scrapeTimes = new HashMap<>();
            try (KeyValueIterator<String, EndpointMetrics> all = poolLoad.all()) {
                while (all.hasNext()) {
                    KeyValue<String, EndpointMetrics> entry = all.next();
                    scrapeTimes.put(entry.key, entry.value.getScrapeTimeMs());
                }
            }
        }
        return scrapeTimes;
    }
}
