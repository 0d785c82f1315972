package dev.osprey.bench.aggregator;

import java.util.List;

import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.ScrapeStatus;

/**
 * Synthetic EndpointMetrics for {@code endpoints} endpoints spread evenly over {@code pools} pools; sample
 * {@code n} belongs to endpoint {@code n % endpoints}, so every endpoint's samples come in order. Not thread-safe.
 */
final class SampleSource {

    private final int endpoints;
    private final int pools;
    private long sequence;

    SampleSource(int endpoints, int pools) {
        if (endpoints < pools || pools < 1) {
            throw new IllegalArgumentException("need at least one endpoint per pool, got " + endpoints + " endpoints in "
                    + pools + " pools");
        }
        this.endpoints = endpoints;
        this.pools = pools;
    }

    /** The pool id of endpoint {@code e}. */
    String poolOf(int e) {
        return "bench/ns/pool-" + (e % pools);
    }

    /** The next sample, scraped at {@code scrapeTimeMs}. */
    EndpointMetrics next(long scrapeTimeMs) {
        int e = (int) (sequence % endpoints);
        sequence++;
        return EndpointMetrics.newBuilder().setCluster("bench").setCollectorId("bench-0").setSequence(sequence)
                .setEndpointId("bench/ns/pod-" + e + ":8000").setPoolId(poolOf(e))
                .setAddress("10." + (e / 65536) + "." + (e / 256 % 256) + "." + (e % 256)).setPort(8000)
                .setEngine(Engine.VLLM).setScrapeTimeMs(scrapeTimeMs).setStatus(ScrapeStatus.OK)
                .setWaitingRequests((int) (sequence % 7)).setRunningRequests((int) (sequence % 11))
                .setKvCacheUtilization((sequence % 100) / 100.0).setRunningLoraAdapters(List.of())
                .setWaitingLoraAdapters(List.of()).build();
    }
}
