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

    static final String CLUSTER = "bench";
    static final String COLLECTOR = "bench-0";
    static final int PORT = 8000;

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

    String endpointIdOf(int e) {
        return "bench/ns/pod-" + e + ":" + PORT;
    }

    String addressOf(int e) {
        return "10." + (e / 65536) + "." + (e / 256 % 256) + "." + (e % 256);
    }

    static int waiting(long sequence) {
        return (int) (sequence % 7);
    }

    static int running(long sequence) {
        return (int) (sequence % 11);
    }

    static double kv(long sequence) {
        return (sequence % 100) / 100.0;
    }

    /** The next sample, scraped at {@code scrapeTimeMs}. */
    EndpointMetrics next(long scrapeTimeMs) {
        int e = (int) (sequence % endpoints);
        sequence++;
        return sample(e, sequence, scrapeTimeMs);
    }

    /** Sample number {@code sequence} (1-based) of endpoint {@code e}. */
    EndpointMetrics sample(int e, long sequence, long scrapeTimeMs) {
        return EndpointMetrics.newBuilder().setCluster(CLUSTER).setCollectorId(COLLECTOR).setSequence(sequence)
                .setEndpointId(endpointIdOf(e)).setPoolId(poolOf(e)).setAddress(addressOf(e)).setPort(PORT)
                .setEngine(Engine.VLLM).setScrapeTimeMs(scrapeTimeMs).setStatus(ScrapeStatus.OK)
                .setWaitingRequests(waiting(sequence)).setRunningRequests(running(sequence))
                .setKvCacheUtilization(kv(sequence)).setRunningLoraAdapters(List.of())
                .setWaitingLoraAdapters(List.of()).build();
    }
}
