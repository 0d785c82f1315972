package dev.osprey.aggregator.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.osprey.aggregator.AggregatorConfig;
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

/**
 * Folds routing decisions (by {@code decidedAtMs}) and request outcomes (by {@code finishedAtMs}) into one-minute
 * tumbling windows per pool and model, and emits each window as a {@link PoolStatsReport} once the wall clock is
 * {@code grace} past its end. An event for a window already emitted is dropped and counted. An outcome takes the
 * model of its decision (remembered per request); without one its model is empty. One instance per task.
 */
final class PoolStatsProcessor implements Processor<String, SpecificRecord, String, PoolStatsReport> {

    /** Window length. */
    static final long WINDOW_MS = 60_000;
    private static final Duration EMIT_PERIOD = Duration.ofSeconds(1);
    private static final Duration REQUEST_SWEEP_PERIOD = Duration.ofSeconds(60);

    private final long graceMs;
    private final long ttftSloMs;
    private final long latencySloMs;
    private final long requestTimeoutMs;
    private final AggregatorMetrics metrics;
    private ProcessorContext<String, PoolStatsReport> context;
    private KeyValueStore<String, PoolStatsWindow> windows;
    private KeyValueStore<String, RequestModel> requests;

    PoolStatsProcessor(AggregatorConfig config, AggregatorMetrics metrics) {
        this.graceMs = config.statsGrace().toMillis();
        this.ttftSloMs = config.ttftSlo().toMillis();
        this.latencySloMs = config.latencySlo().toMillis();
        this.requestTimeoutMs = config.inflightTimeout().toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, PoolStatsReport> context) {
        this.context = context;
        this.windows = context.getStateStore(AggregatorTopology.POOL_STATS_STORE);
        this.requests = context.getStateStore(AggregatorTopology.POOL_STATS_REQUESTS_STORE);
        context.schedule(EMIT_PERIOD, PunctuationType.WALL_CLOCK_TIME, this::emitClosedWindows);
        context.schedule(REQUEST_SWEEP_PERIOD, PunctuationType.WALL_CLOCK_TIME, this::forgetOldRequests);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof RoutingDecision decision) {
            onDecision(decision);
        } else if (record.value() instanceof RequestOutcome outcome) {
            onOutcome(outcome);
        }
    }

    private void onDecision(RoutingDecision decision) {
        if (!StoreKeys.isValidId(decision.getPoolId())) {
            return;
        }
        String model = modelOf(decision);
        if (decision.getOutcome() == DecisionOutcome.ROUTED && StoreKeys.isValidId(decision.getRequestId())) {
            requests.put(StoreKeys.endpointKey(decision.getPoolId(), decision.getRequestId()),
                    new RequestModel(model, decision.getDecidedAtMs()));
        }
        update(decision.getPoolId(), model, decision.getDecidedAtMs(),
                w -> w.onDecision(decision.getOutcome().name()));
    }

    private void onOutcome(RequestOutcome outcome) {
        if (!StoreKeys.isValidId(outcome.getPoolId()) || !StoreKeys.isValidId(outcome.getRequestId())) {
            return;
        }
        String requestKey = StoreKeys.endpointKey(outcome.getPoolId(), outcome.getRequestId());
        RequestModel known = requests.get(requestKey);
        if (known != null) {
            requests.delete(requestKey);
        }
        update(outcome.getPoolId(), known == null ? "" : known.model(), outcome.getFinishedAtMs(),
                w -> w.onOutcome(outcome.getHttpStatus(), outcome.getTimeToFirstByteMs(),
                        outcome.getEndToEndLatencyMs(), outcome.getPromptTokens(), outcome.getCompletionTokens(),
                        ttftSloMs, latencySloMs));
    }

    private void update(String poolId, String model, long eventTimeMs, java.util.function.Consumer<PoolStatsWindow> change) {
        long start = Math.floorDiv(eventTimeMs, WINDOW_MS) * WINDOW_MS;
        if (start + WINDOW_MS + graceMs <= context.currentSystemTimeMs()) {
            metrics.statsLateEvent();
            return;
        }
        String key = windowKey(poolId, start, model);
        PoolStatsWindow window = windows.get(key);
        if (window == null) {
            window = new PoolStatsWindow();
        }
        change.accept(window);
        windows.put(key, window);
    }

    private void emitClosedWindows(long nowMs) {
        List<KeyValue<String, PoolStatsWindow>> closed = new ArrayList<>();
        try (KeyValueIterator<String, PoolStatsWindow> all = windows.all()) {
            while (all.hasNext()) {
                KeyValue<String, PoolStatsWindow> entry = all.next();
                if (windowStartOf(entry.key) + WINDOW_MS + graceMs <= nowMs) {
                    closed.add(entry);
                }
            }
        }
        closed.sort((a, b) -> Long.compare(windowStartOf(a.key), windowStartOf(b.key)));
        for (KeyValue<String, PoolStatsWindow> entry : closed) {
            String poolId = StoreKeys.poolOf(entry.key);
            PoolStatsReport report = PoolStatsReport.of(poolId, modelOf(entry.key), windowStartOf(entry.key),
                    WINDOW_MS, entry.value, ttftSloMs, latencySloMs);
            context.forward(new Record<>(poolId, report, nowMs));
            windows.delete(entry.key);
            metrics.statsWindowEmitted();
        }
    }

    private void forgetOldRequests(long nowMs) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, RequestModel> all = requests.all()) {
            while (all.hasNext()) {
                KeyValue<String, RequestModel> entry = all.next();
                if (nowMs - entry.value.sinceMs() > requestTimeoutMs) {
                    old.add(entry.key);
                }
            }
        }
        old.forEach(requests::delete);
    }

    private static String modelOf(RoutingDecision decision) {
        if (decision.getTargetModel() != null && !decision.getTargetModel().isEmpty()) {
            return decision.getTargetModel();
        }
        return decision.getIncomingModel() == null ? "" : decision.getIncomingModel();
    }

    /** {@code poolId|<window start, 16 digits>|model}: the model goes last since it may contain the separator. */
    static String windowKey(String poolId, long windowStartMs, String model) {
        return StoreKeys.poolPrefix(poolId) + String.format("%016d", windowStartMs) + StoreKeys.SEPARATOR + model;
    }

    private static long windowStartOf(String key) {
        int first = key.indexOf(StoreKeys.SEPARATOR);
        return Long.parseLong(key.substring(first + 1, first + 17));
    }

    private static String modelOf(String key) {
        return key.substring(key.indexOf(StoreKeys.SEPARATOR) + 18);
    }
}
