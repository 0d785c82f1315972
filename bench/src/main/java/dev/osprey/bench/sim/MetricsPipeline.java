package dev.osprey.bench.sim;

import dev.osprey.epp.state.EndpointHealth;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import dev.osprey.sim.engine.EngineSnapshot;
import dev.osprey.sim.virtual.SimulatedServer;
import dev.osprey.sim.virtual.VirtualTimeSimulation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Simulates collector → aggregator → EPP: each server is sampled every scrape interval (servers staggered evenly
 * across the interval, as independent scrapers are), and the sample reaches the picker's pool view after the
 * pipeline delay. Until its first sample arrives an endpoint shows as idle.
 */
final class MetricsPipeline {

    static final String POOL_ID = "sim/default/pool";

    private final VirtualTimeSimulation sim;
    private final List<SimulatedServer> servers;
    private final List<String> ids;
    private final long intervalNanos;
    private final long delayNanos;
    private final BooleanSupplier keepGoing;
    private final EndpointSnapshot[] current;
    private long version;
    private PoolSnapshot view;

    MetricsPipeline(VirtualTimeSimulation sim, List<SimulatedServer> servers, List<String> ids, long intervalMs,
            long delayMs, BooleanSupplier keepGoing) {
        this.sim = sim;
        this.servers = servers;
        this.ids = ids;
        this.intervalNanos = intervalMs * 1_000_000L;
        this.delayNanos = delayMs * 1_000_000L;
        this.keepGoing = keepGoing;
        this.current = new EndpointSnapshot[servers.size()];
        for (int i = 0; i < current.length; i++) {
            current[i] = endpoint(i, 0, 0, 0.0, List.of(), List.of(), VirtualClock.toMillis(0), 0);
        }
        publish();
    }

    /** The pool as the picker sees it now. */
    PoolSnapshot view() {
        return view;
    }

    /** Schedules the first scrape of every server. */
    void start() {
        for (int i = 0; i < servers.size(); i++) {
            int index = i;
            sim.schedule(intervalNanos * i / servers.size(), () -> scrape(index));
        }
    }

    private void scrape(int i) {
        EngineSnapshot s = servers.get(i).snapshot();
        long scrapeMs = VirtualClock.toMillis(sim.now());
        int maxLoras = servers.get(i).config().maxLoras();
        Runnable deliver = () -> {
            current[i] = endpoint(i, s.waiting(), s.running(), s.kvUsage(), s.runningAdapters(),
                    s.waitingAdapters(), scrapeMs, maxLoras);
            publish();
        };
        if (delayNanos == 0) {
            deliver.run();
        } else {
            sim.scheduleIn(delayNanos, deliver);
        }
        if (keepGoing.getAsBoolean()) {
            sim.scheduleIn(intervalNanos, () -> scrape(i));
        }
    }

    private EndpointSnapshot endpoint(int i, int waiting, int running, double kv, List<String> runningAdapters,
            List<String> waitingAdapters, long scrapeMs, int maxLoras) {
        long age = VirtualClock.toMillis(sim.now()) - scrapeMs;
        return new EndpointSnapshot(ids.get(i), "10.0." + (i / 250) + "." + (i % 250 + 1), 8000, waiting, running,
                kv, EndpointHealth.HEALTHY, scrapeMs, age, runningAdapters, waitingAdapters, maxLoras);
    }

    private void publish() {
        List<EndpointSnapshot> list = new ArrayList<>(current.length);
        for (EndpointSnapshot e : current) {
            list.add(e);
        }
        view = new PoolSnapshot(POOL_ID, ++version, VirtualClock.toMillis(sim.now()), list);
    }
}
