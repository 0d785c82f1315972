package dev.osprey.aggregator.topology;

import java.util.List;

import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.ScrapeStatus;

/** Endpoint samples for tests. */
public final class Samples {

    private Samples() {
    }

    /** A successful scrape of {@code pod} (10.0.0.{n}:8000, endpoint id {@code poolId-cluster/ns/pod:8000}). */
    public static EndpointMetrics.Builder ok(String poolId, String pod, long scrapeTimeMs) {
        int n = Math.abs(pod.hashCode() % 250) + 1;
        return EndpointMetrics.newBuilder().setCluster("c1").setCollectorId("col-0").setSequence(scrapeTimeMs)
                .setEndpointId("c1/ns/" + pod + ":8000").setPoolId(poolId).setAddress("10.0.0." + n).setPort(8000)
                .setEngine(Engine.VLLM).setScrapeTimeMs(scrapeTimeMs).setStatus(ScrapeStatus.OK)
                .setWaitingRequests(0).setRunningRequests(0).setKvCacheUtilization(0.1)
                .setRunningLoraAdapters(List.of()).setWaitingLoraAdapters(List.of());
    }
}
