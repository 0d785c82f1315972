package dev.osprey.aggregator.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.osprey.schemas.avro.EndpointMetrics;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Value of the {@value AggregatorTopology#ADAPTER_RESIDENCY_STORE} store (key {@code poolId|adapter}): which of a
 * pool's endpoints run a LoRA adapter, which have it waiting, and where it could still be loaded. Immutable.
 *
 * @param runningOn endpoint ids running the adapter, sorted
 * @param waitingOn endpoint ids with requests for the adapter waiting, sorted
 * @param freeSlots free LoRA slots (max slots minus running adapters) per endpoint id that does not run the adapter
 *     and has at least one free slot
 */
public record AdapterResidency(List<String> runningOn, List<String> waitingOn, Map<String, Integer> freeSlots) {

    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

    public AdapterResidency {
        runningOn = List.copyOf(runningOn);
        waitingOn = List.copyOf(waitingOn);
        freeSlots = Map.copyOf(freeSlots);
    }

    /** Whether two samples of one endpoint differ in anything residency depends on. */
    static boolean residencyChanged(EndpointMetrics before, EndpointMetrics after) {
        return before == null || !before.getRunningLoraAdapters().equals(after.getRunningLoraAdapters())
                || !before.getWaitingLoraAdapters().equals(after.getWaitingLoraAdapters())
                || !Objects.equals(before.getMaxLoraSlots(), after.getMaxLoraSlots());
    }

    /** Computes the residency of every adapter named by {@code samples}, by adapter name. */
    static Map<String, AdapterResidency> compute(List<EndpointMetrics> samples) {
        Map<String, List<String>> running = new TreeMap<>();
        Map<String, List<String>> waiting = new TreeMap<>();
        for (EndpointMetrics sample : samples) {
            sample.getRunningLoraAdapters().forEach(a -> running.computeIfAbsent(a, k -> new ArrayList<>())
                    .add(sample.getEndpointId()));
            sample.getWaitingLoraAdapters().forEach(a -> waiting.computeIfAbsent(a, k -> new ArrayList<>())
                    .add(sample.getEndpointId()));
        }
        Map<String, AdapterResidency> byAdapter = new TreeMap<>();
        java.util.Set<String> adapters = new java.util.TreeSet<>(running.keySet());
        adapters.addAll(waiting.keySet());
        for (String adapter : adapters) {
            Map<String, Integer> free = new TreeMap<>();
            for (EndpointMetrics sample : samples) {
                Integer max = sample.getMaxLoraSlots();
                int slots = max == null ? 0 : max - sample.getRunningLoraAdapters().size();
                if (slots > 0 && !sample.getRunningLoraAdapters().contains(adapter)) {
                    free.put(sample.getEndpointId(), slots);
                }
            }
            byAdapter.put(adapter, new AdapterResidency(running.getOrDefault(adapter, List.of()),
                    waiting.getOrDefault(adapter, List.of()), free));
        }
        return byAdapter;
    }

    /** Replaces {@code poolId}'s entries in {@code store} by the residency computed from {@code samples}. */
    static void rewrite(KeyValueStore<String, AdapterResidency> store, String poolId, List<EndpointMetrics> samples) {
        Map<String, AdapterResidency> next = compute(samples);
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, AdapterResidency> entries =
                store.prefixScan(StoreKeys.poolPrefix(poolId), PREFIX_SERIALIZER)) {
            while (entries.hasNext()) {
                KeyValue<String, AdapterResidency> entry = entries.next();
                AdapterResidency replacement = next.get(StoreKeys.endpointOf(entry.key));
                if (replacement == null) {
                    stale.add(entry.key);
                } else if (replacement.equals(entry.value)) {
                    next.remove(StoreKeys.endpointOf(entry.key));
                }
            }
        }
        stale.forEach(store::delete);
        next.forEach((adapter, residency) -> store.put(StoreKeys.endpointKey(poolId, adapter), residency));
    }
}
