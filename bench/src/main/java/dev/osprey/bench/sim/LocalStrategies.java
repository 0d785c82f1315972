package dev.osprey.bench.sim;

import java.util.List;
import java.util.SplittableRandom;

/** The baselines that need no metrics: what a Kubernetes Service or a plain L7 balancer does. */
final class LocalStrategies {

    private LocalStrategies() {
    }

    /** Cycles through the endpoints in order (kube-proxy / Service round-robin). */
    static RoutingStrategy roundRobin(RunContext ctx) {
        List<String> ids = ctx.endpointIds();
        int[] next = {0};
        return (request, view, nowMs) -> {
            String id = ids.get(next[0]);
            next[0] = (next[0] + 1) % ids.size();
            return new RoutingStrategy.Decision.Route(id);
        };
    }

    /** A uniformly random endpoint. */
    static RoutingStrategy random(RunContext ctx) {
        List<String> ids = ctx.endpointIds();
        SplittableRandom rnd = new SplittableRandom(ctx.seed());
        return (request, view, nowMs) -> new RoutingStrategy.Decision.Route(ids.get(rnd.nextInt(ids.size())));
    }

    /**
     * Envoy's least-request: two random endpoints, the one with fewer requests in flight from this proxy wins
     * (ties to the first). Uses only the picker's own counters, no scraped metrics.
     */
    static RoutingStrategy leastRequest(RunContext ctx) {
        List<String> ids = ctx.endpointIds();
        SplittableRandom rnd = new SplittableRandom(ctx.seed());
        LocalInflight inflight = ctx.inflight();
        return (request, view, nowMs) -> {
            String a = ids.get(rnd.nextInt(ids.size()));
            String b = ids.get(rnd.nextInt(ids.size()));
            return new RoutingStrategy.Decision.Route(inflight.get(b) < inflight.get(a) ? b : a);
        };
    }
}
