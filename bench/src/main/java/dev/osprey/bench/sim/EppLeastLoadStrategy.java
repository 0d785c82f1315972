package dev.osprey.bench.sim;

import dev.osprey.epp.scheduling.InflightTracker;
import dev.osprey.epp.scheduling.PickRequest;
import dev.osprey.epp.scheduling.PickResult;
import dev.osprey.epp.scheduling.SaturationDetector;
import dev.osprey.epp.scheduling.Scheduler;
import dev.osprey.epp.state.PoolSnapshot;
import java.util.SplittableRandom;

/**
 * The EPP's own {@link Scheduler} (least waiting + running + locally dispatched since the scrape, Sheddable shed
 * when every endpoint is saturated), run unchanged on the virtual clock.
 */
final class EppLeastLoadStrategy implements RoutingStrategy {

    private final Scheduler scheduler;

    EppLeastLoadStrategy(RunContext ctx) {
        SplittableRandom rnd = new SplittableRandom(ctx.seed());
        this.scheduler = new Scheduler(new InflightTracker(10_000), SaturationDetector.DEFAULTS, ctx.clock(),
                () -> rnd);
    }

    @Override
    public Decision pick(SimRequest request, PoolSnapshot view, long nowMs) {
        PickResult result = scheduler.pick(view, new PickRequest(e -> true, 0, request.criticality()));
        if (result instanceof PickResult.Picked p) {
            return new Decision.Route(p.primary().endpointId());
        }
        if (result instanceof PickResult.Shed s) {
            return new Decision.Shed(s.reason());
        }
        return new Decision.Shed(((PickResult.NoCandidates) result).reason());
    }
}
