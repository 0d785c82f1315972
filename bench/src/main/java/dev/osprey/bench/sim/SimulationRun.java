package dev.osprey.bench.sim;

import dev.osprey.bench.sim.RequestRecord.Status;
import dev.osprey.bench.sim.RoutingStrategy.Decision;
import dev.osprey.bench.sim.Scenario.Pool;
import dev.osprey.epp.state.PoolSnapshot;
import dev.osprey.sim.engine.EngineConfig;
import dev.osprey.sim.engine.EngineSnapshot;
import dev.osprey.sim.engine.LatencyProfile;
import dev.osprey.sim.engine.RequestOutcome;
import dev.osprey.sim.virtual.RequestObserver;
import dev.osprey.sim.virtual.SimulatedServer;
import dev.osprey.sim.virtual.VirtualTimeSimulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * One strategy on one pipeline delay and number of picker replicas: a fresh pool of virtual-time engines, the
 * scenario's requests arriving at their times and spread over the replicas in turn (each replica an instance of the
 * strategy with its own counters and caches), each picked from the delayed pool view, run until every request has
 * finished. Replicas of a strategy that shares state see each other's in-flight requests and routed prefixes after
 * the shared-state delay ({@link SharedPickerState}). Deterministic for a given scenario, request list and strategy.
 */
public final class SimulationRun {

    private final Scenario scenario;
    private final List<SimRequest> requests;
    private final Function<RunContext, RoutingStrategy> strategyFactory;
    private final long delayMs;
    private final int replicas;
    private final IntConsumer progress;
    private final Consumer<RequestTrace> trace;

    /**
     * @param replicas active-active picker replicas (1 = one picker sees every request)
     * @param progress told the number of requests resolved so far, now and then
     * @param trace told each completed request's {@link RequestTrace}, or null (no tracing, no cost)
     */
    public SimulationRun(Scenario scenario, List<SimRequest> requests,
            Function<RunContext, RoutingStrategy> strategyFactory, long delayMs, int replicas, IntConsumer progress,
            Consumer<RequestTrace> trace) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, got " + replicas);
        }
        this.scenario = scenario;
        this.requests = requests;
        this.strategyFactory = strategyFactory;
        this.delayMs = delayMs;
        this.replicas = replicas;
        this.progress = progress;
        this.trace = trace;
    }

    /** Builds the engine configuration every server of the pool uses. */
    static EngineConfig engineConfig(Pool pool, long seed) {
        LatencyProfile profile = LatencyProfile.byName(pool.profile()).orElseThrow().slowedBy(pool.slowdown());
        return EngineConfig.of(profile).withNumGpuBlocks(pool.kvBlocks()).withMaxNumSeqs(pool.maxNumSeqs())
                .withMaxNumBatchedTokens(pool.maxNumBatchedTokens())
                .withLoras(pool.maxLoras(),
                        LatencyProfile.slowed(Duration.ofMillis(pool.loraLoadMs()), pool.slowdown()))
                .withEos(0.0, seed);
    }

    /** Runs to completion; one record per request, in request order. */
    public List<RequestRecord> run() {
        VirtualTimeSimulation sim = new VirtualTimeSimulation();
        EngineConfig config = engineConfig(scenario.pool(), scenario.seed());
        List<SimulatedServer> servers = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < scenario.pool().servers(); i++) {
            String id = "sim/default/vllm-" + i + ":8000";
            ids.add(id);
            indexOf.put(id, i);
            servers.add(sim.addServer(id, config));
        }
        RequestRecord[] records = new RequestRecord[requests.size()];
        int[] resolved = {0};
        MetricsPipeline pipeline = new MetricsPipeline(sim, servers, ids, scenario.pipeline().scrapeIntervalMs(),
                delayMs, () -> resolved[0] < records.length);
        List<LocalInflight> inflights = new ArrayList<>();
        List<RoutingStrategy> strategies = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            LocalInflight inflight = new LocalInflight();
            inflights.add(inflight);
            strategies.add(strategyFactory.apply(new RunContext(scenario.seed() * 7919 + 17 + r * 104_729L,
                    scenario.seed(), new VirtualClock(sim), List.copyOf(ids), inflight)));
        }
        SharedPickerState shared = new SharedPickerState(sim, scenario.pipeline().sharedStateDelayMs(), strategies,
                servers.size());
        int step = Math.max(1, records.length / 200);
        Runnable resolvedOne = () -> {
            resolved[0]++;
            if (resolved[0] % step == 0 || resolved[0] == records.length) {
                progress.accept(resolved[0]);
            }
        };
        for (SimRequest r : requests) {
            int replica = r.index() % replicas;
            RoutingStrategy strategy = strategies.get(replica);
            LocalInflight inflight = inflights.get(replica);
            sim.schedule(r.arrivalNanos(), () -> {
                PoolSnapshot view = shared.view(pipeline.view(), replica);
                Decision d = strategy.pick(r, view, VirtualClock.toMillis(sim.now()));
                if (d instanceof Decision.Route route) {
                    Integer idx = indexOf.get(route.endpointId());
                    if (idx == null) {
                        throw new IllegalStateException("strategy routed to unknown endpoint " + route.endpointId());
                    }
                    inflight.dispatched(route.endpointId());
                    shared.dispatched(replica, idx, route);
                    Consumer<RequestOutcome> traced = trace == null ? null : tracer(r, idx, servers, view);
                    Runnable onDone = () -> {
                        shared.finished(replica, idx);
                        resolvedOne.run();
                    };
                    servers.get(idx).submit(r.toGeneration(scenario.seed()), observer(r, idx, route.endpointId(),
                            strategy, inflight, records, onDone, traced));
                } else {
                    records[r.index()] = new RequestRecord(r.stage(), r.criticality(), Status.SHED, -1,
                            r.arrivalNanos(), -1, -1, r.promptTokens(), 0, 0);
                    resolvedOne.run();
                }
            });
        }
        pipeline.start();
        sim.run();
        for (int i = 0; i < records.length; i++) {
            if (records[i] == null) {
                throw new IllegalStateException("request " + i + " never finished");
            }
        }
        return List.of(records);
    }

    /** Captures the pool at dispatch; the returned consumer completes the trace when the request finishes. */
    private Consumer<RequestOutcome> tracer(SimRequest r, int idx, List<SimulatedServer> servers, PoolSnapshot view) {
        int n = servers.size();
        int[] waiting = new int[n];
        int[] running = new int[n];
        int[] viewWaiting = new int[n];
        double[] kvUsage = new double[n];
        for (int k = 0; k < n; k++) {
            EngineSnapshot s = servers.get(k).snapshot();
            waiting[k] = s.waiting();
            running[k] = s.running();
            viewWaiting[k] = view.endpoints().get(k).waitingRequests();
            kvUsage[k] = s.kvUsage();
        }
        return o -> trace.accept(new RequestTrace(r.index(), r.stage(), idx, r.arrivalNanos(), r.promptTokens(),
                r.outputTokens(), o.queueNanos(), o.firstTokenNanos() - o.firstScheduledNanos(), o.ttftNanos(),
                o.finishNanos(), o.preemptions(), waiting, running, viewWaiting, kvUsage));
    }

    private static RequestObserver observer(SimRequest r, int idx, String endpointId, RoutingStrategy strategy,
            LocalInflight inflight, RequestRecord[] records, Runnable onDone, Consumer<RequestOutcome> traced) {
        return new RequestObserver() {
            @Override
            public void onFinish(RequestOutcome o) {
                records[r.index()] = new RequestRecord(r.stage(), r.criticality(), Status.COMPLETED, idx,
                        r.arrivalNanos(),
                        o.ttftNanos(), o.e2eNanos(), o.result().promptTokens(), o.result().completionTokens(),
                        o.result().cachedTokens());
                if (traced != null) {
                    traced.accept(o);
                }
                done();
            }

            @Override
            public void onRejected(String requestId, String reason) {
                records[r.index()] = new RequestRecord(r.stage(), r.criticality(), Status.REFUSED, idx,
                        r.arrivalNanos(), -1, -1,
                        r.promptTokens(), 0, 0);
                done();
            }

            private void done() {
                inflight.finished(endpointId);
                strategy.onFinished(r, endpointId);
                onDone.run();
            }
        };
    }
}
