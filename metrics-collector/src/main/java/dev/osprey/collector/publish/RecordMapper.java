package dev.osprey.collector.publish;

import java.util.Map;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.collector.parse.EngineType;
import dev.osprey.collector.parse.ParsedMetrics;
import dev.osprey.collector.scrape.ScrapeOutcome;
import dev.osprey.collector.scrape.ScrapeTarget;
import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.EndpointMembership;
import dev.osprey.schemas.avro.EndpointMetrics;

/** Builds the Avro records of the collector's topics. Stateless and thread-safe. */
public final class RecordMapper {

    private final String cluster;
    private final String collectorId;

    public RecordMapper(String cluster, String collectorId) {
        this.cluster = cluster;
        this.collectorId = collectorId;
    }

    /** The record of one scrape; a failed scrape carries zero load, empty adapters and the failure message. */
    public EndpointMetrics metrics(ScrapeOutcome outcome, long sequence) {
        ScrapeTarget target = outcome.target();
        PoolEndpoint endpoint = target.endpoint();
        EndpointMetrics.Builder record = EndpointMetrics.newBuilder()
                .setCluster(cluster)
                .setCollectorId(collectorId)
                .setSequence(sequence)
                .setEndpointId(endpoint.endpointId())
                .setPoolId(endpoint.poolId())
                .setAddress(endpoint.address())
                .setPort(endpoint.port())
                .setEngine(engine(target.engine()))
                .setScrapeTimeMs(outcome.scrapeTimeMs())
                .setScrapeDurationMicros(outcome.durationMicros())
                .setStatus(outcome.status())
                .setStatusMessage(outcome.message().orElse(null));
        if (outcome.metrics().isPresent()) {
            ParsedMetrics m = outcome.metrics().get();
            record.setWaitingRequests(m.waitingRequests())
                    .setRunningRequests(m.runningRequests())
                    .setKvCacheUtilization(m.kvCacheUtilization())
                    .setRunningLoraAdapters(m.runningLoraAdapters())
                    .setWaitingLoraAdapters(m.waitingLoraAdapters())
                    .setMaxLoraSlots(m.maxLoraSlots().isPresent() ? m.maxLoraSlots().getAsInt() : null)
                    .setBlockSize(m.blockSize().isPresent() ? m.blockSize().getAsInt() : null)
                    .setNumGpuBlocks(m.numGpuBlocks().isPresent() ? m.numGpuBlocks().getAsLong() : null)
                    .setPrefixCacheQueries(m.prefixCacheQueries().isPresent() ? m.prefixCacheQueries().getAsDouble() : null)
                    .setPrefixCacheHits(m.prefixCacheHits().isPresent() ? m.prefixCacheHits().getAsDouble() : null);
        } else {
            record.setWaitingRequests(0).setRunningRequests(0).setKvCacheUtilization(0.0)
                    .setRunningLoraAdapters(java.util.List.of()).setWaitingLoraAdapters(java.util.List.of())
                    .setMaxLoraSlots(null).setBlockSize(null).setNumGpuBlocks(null)
                    .setPrefixCacheQueries(null).setPrefixCacheHits(null);
        }
        return record.build();
    }

    /** The membership record of {@code endpoint}: ready (discovery only yields routable pods), rank = port index. */
    public EndpointMembership membership(PoolEndpoint endpoint, long sequence, long nowMs) {
        return EndpointMembership.newBuilder()
                .setCluster(cluster)
                .setSequence(sequence)
                .setUpdatedAtMs(nowMs)
                .setEndpointId(endpoint.endpointId())
                .setPoolId(endpoint.poolId())
                .setAddress(endpoint.address())
                .setPort(endpoint.port())
                .setLabels(Map.copyOf(endpoint.labels()))
                .setEngine(engine(EngineType.fromLabel(endpoint.engine()).orElse(EngineType.VLLM)))
                .setReady(true)
                .setRank(endpoint.rank())
                .build();
    }

    /** The Avro engine of {@code engine}. */
    public static Engine engine(EngineType engine) {
        return switch (engine) {
            case VLLM -> Engine.VLLM;
            case SGLANG -> Engine.SGLANG;
            case TRTLLM_SERVE -> Engine.TRTLLM_SERVE;
            case TRITON -> Engine.TRITON;
        };
    }
}
