package dev.osprey.aggregator.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.osprey.schemas.avro.DecisionOutcome;
import dev.osprey.schemas.avro.RequestOutcome;
import dev.osprey.schemas.avro.RoutingDecision;
import org.apache.avro.specific.SpecificRecord;
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
 * Counts requests in flight per endpoint and EPP replica: a ROUTED {@link RoutingDecision} adds one to its primary
 * endpoint, the matching {@link RequestOutcome} (same pool and request id) removes it, and a wall-clock punctuator
 * drops requests whose outcome is overdue by the in-flight timeout. Forwards an {@link InflightChange} whenever an
 * endpoint's counts change. Both inputs are keyed by pool id. One instance per task.
 */
final class InflightProcessor implements Processor<String, SpecificRecord, String, InflightChange> {

    private static final Logger LOG = LoggerFactory.getLogger(InflightProcessor.class);

    private final Duration sweepInterval;
    private final long timeoutMs;
    private final AggregatorMetrics metrics;
    private ProcessorContext<String, InflightChange> context;
    private KeyValueStore<String, OpenRequest> open;
    private KeyValueStore<String, InflightCounts> counts;

    InflightProcessor(Duration sweepInterval, Duration timeout, AggregatorMetrics metrics) {
        this.sweepInterval = sweepInterval;
        this.timeoutMs = timeout.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, InflightChange> context) {
        this.context = context;
        this.open = context.getStateStore(AggregatorTopology.INFLIGHT_REQUESTS_STORE);
        this.counts = context.getStateStore(AggregatorTopology.INFLIGHT_STORE);
        context.schedule(sweepInterval, PunctuationType.WALL_CLOCK_TIME, this::expireOverdueRequests);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof RoutingDecision decision) {
            onDecision(decision, record.timestamp());
        } else if (record.value() instanceof RequestOutcome outcome) {
            onOutcome(outcome, record.timestamp());
        } else if (record.value() != null) {
            throw new IllegalArgumentException("unexpected record type " + record.value().getClass().getName());
        }
    }

    private void onDecision(RoutingDecision decision, long timestamp) {
        if (decision.getOutcome() != DecisionOutcome.ROUTED || decision.getChosenEndpoints().isEmpty()
                || !validIds(decision.getPoolId(), decision.getRequestId())) {
            return;
        }
        metrics.decision();
        String key = StoreKeys.endpointKey(decision.getPoolId(), decision.getRequestId());
        OpenRequest existing = open.get(key);
        if (existing != null) {
            if (existing.finished()) {
                open.delete(key);
            }
            return;
        }
        String hostPort = decision.getChosenEndpoints().get(0);
        open.put(key, new OpenRequest(hostPort, decision.getEppReplicaId(), decision.getDecidedAtMs(), false));
        adjust(decision.getPoolId(), hostPort, decision.getEppReplicaId(), 1, timestamp);
    }

    private void onOutcome(RequestOutcome outcome, long timestamp) {
        if (!validIds(outcome.getPoolId(), outcome.getRequestId())) {
            return;
        }
        metrics.outcome();
        String key = StoreKeys.endpointKey(outcome.getPoolId(), outcome.getRequestId());
        OpenRequest existing = open.get(key);
        if (existing == null) {
            open.put(key, new OpenRequest("", outcome.getEppReplicaId(), outcome.getFinishedAtMs(), true));
            return;
        }
        if (existing.finished()) {
            return;
        }
        open.delete(key);
        adjust(outcome.getPoolId(), existing.hostPort(), existing.replica(), -1, timestamp);
    }

    private void expireOverdueRequests(long nowMs) {
        List<KeyValue<String, OpenRequest>> overdue = new ArrayList<>();
        try (KeyValueIterator<String, OpenRequest> all = open.all()) {
            while (all.hasNext()) {
                KeyValue<String, OpenRequest> entry = all.next();
                if (nowMs - entry.value.sinceMs() > timeoutMs) {
                    overdue.add(entry);
                }
            }
        }
        int timedOut = 0;
        for (KeyValue<String, OpenRequest> entry : overdue) {
            open.delete(entry.key);
            if (!entry.value.finished()) {
                adjust(StoreKeys.poolOf(entry.key), entry.value.hostPort(), entry.value.replica(), -1, nowMs);
                metrics.inflightTimedOut();
                timedOut++;
            }
        }
        if (timedOut > 0) {
            LOG.debug("{} requests had no outcome within {} ms", timedOut, timeoutMs);
        }
    }

    /** Changes one endpoint's count and forwards its new counts to the pool-load processor. */
    private void adjust(String poolId, String hostPort, String replica, int delta, long timestamp) {
        String key = StoreKeys.endpointKey(poolId, hostPort);
        InflightCounts current = counts.get(key);
        InflightCounts next = (current == null ? InflightCounts.none() : current).plus(replica, delta);
        if (next.isEmpty()) {
            counts.delete(key);
        } else {
            counts.put(key, next);
        }
        context.forward(new Record<>(poolId, new InflightChange(hostPort, next.byReplica()), timestamp));
    }

    private boolean validIds(String poolId, String requestId) {
        if (StoreKeys.isValidId(poolId) && StoreKeys.isValidId(requestId)) {
            return true;
        }
        metrics.inflightRejected();
        LOG.warn("ignoring a routing record with pool id '{}' and request id '{}': ids must be non-empty and free of"
                + " '{}'", poolId, requestId, StoreKeys.SEPARATOR);
        return false;
    }
}
