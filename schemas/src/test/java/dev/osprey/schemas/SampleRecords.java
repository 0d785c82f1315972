package dev.osprey.schemas;

import java.util.List;
import java.util.Map;

import dev.osprey.schemas.avro.Criticality;
import dev.osprey.schemas.avro.DecisionOutcome;
import dev.osprey.schemas.avro.EndpointHealth;
import dev.osprey.schemas.avro.EndpointMembership;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.EndpointScore;
import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.avro.RequestOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import dev.osprey.schemas.avro.ScrapeStatus;

/** Fully populated sample records for serde tests. */
final class SampleRecords {

    private SampleRecords() {
    }

    static EndpointMetrics endpointMetrics() {
        return EndpointMetrics.newBuilder().setCluster("c1").setCollectorId("col-0").setSequence(42)
                .setEndpointId("c1/ns/pod-a:8000").setPoolId("c1/ns/pool").setAddress("10.0.0.1").setPort(8000)
                .setEngine(Engine.SGLANG).setScrapeTimeMs(1_700_000_000_000L).setScrapeDurationMicros(900)
                .setStatus(ScrapeStatus.OK).setWaitingRequests(3).setRunningRequests(7).setKvCacheUtilization(0.5)
                .setRunningLoraAdapters(List.of("a", "b")).setWaitingLoraAdapters(List.of("c")).setMaxLoraSlots(4)
                .setBlockSize(16).setNumGpuBlocks(9000L).setPrefixCacheQueries(10.0).setPrefixCacheHits(4.0).build();
    }

    static EndpointMembership endpointMembership() {
        return EndpointMembership.newBuilder().setCluster("c1").setSequence(1).setUpdatedAtMs(5)
                .setEndpointId("c1/ns/pod-a:8000").setPoolId("c1/ns/pool").setAddress("10.0.0.1").setPort(8000)
                .setLabels(Map.of("app", "vllm")).setEngine(Engine.VLLM).setReady(true).setRank(0).build();
    }

    static PoolState poolState() {
        EndpointState endpoint = EndpointState.newBuilder().setEndpointId("c1/ns/pod-a:8000").setAddress("10.0.0.1")
                .setPort(8000).setEngine(Engine.TRTLLM_SERVE).setHealth(EndpointHealth.STALE)
                .setStatusMessage("old").setScrapeTimeMs(10).setMetricsAgeMs(250).setWaitingRequests(2)
                .setRunningRequests(1).setKvCacheUtilization(0.25).setRunningLoraAdapters(List.of("x"))
                .setWaitingLoraAdapters(List.of()).setMaxLoraSlots(null).setInflightByReplica(Map.of("epp-0", 3))
                .build();
        return PoolState.newBuilder().setCluster("c1").setPoolId("c1/ns/pool").setVersion(9).setProducedAtMs(11)
                .setEndpoints(List.of(endpoint)).build();
    }

    static RoutingDecision routingDecision() {
        return RoutingDecision.newBuilder().setCluster("c1").setEppReplicaId("epp-0").setSequence(3)
                .setDecidedAtMs(12).setRequestId("req-1").setPoolId("c1/ns/pool").setIncomingModel("m")
                .setTargetModel("m-v2").setCriticality(Criticality.SHEDDABLE).setPriority(-1)
                .setChosenEndpoints(List.of("10.0.0.1:8000", "10.0.0.2:8000"))
                .setScores(List.of(new EndpointScore("c1/ns/pod-a:8000", 0.75))).setPromptTokenEstimate(120)
                .setPrefixBlockHashes(List.of(1L, -2L)).setDecisionLatencyNanos(15_000)
                .setOutcome(DecisionOutcome.ROUTED).setHttpStatus(200).setReason(null).build();
    }

    static RequestOutcome requestOutcome() {
        return RequestOutcome.newBuilder().setCluster("c1").setEppReplicaId("epp-0").setSequence(4)
                .setFinishedAtMs(13).setRequestId("req-1").setPoolId("c1/ns/pool").setEndpoint("10.0.0.1:8000")
                .setHttpStatus(200).setTimeToFirstByteMs(30.5).setEndToEndLatencyMs(200.0).setPromptTokens(100)
                .setCompletionTokens(16).setCachedTokens(64).setStreaming(true).build();
    }
}
