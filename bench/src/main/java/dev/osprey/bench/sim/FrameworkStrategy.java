package dev.osprey.bench.sim;

import dev.osprey.epp.scheduling.EndpointPicker;
import dev.osprey.epp.scheduling.PickResult;
import dev.osprey.epp.scheduling.SchedulerFactory;
import dev.osprey.epp.scheduling.SchedulerOptions;
import dev.osprey.epp.scheduling.SchedulingRequest;
import dev.osprey.epp.state.PoolSnapshot;
import java.nio.file.Path;

/**
 * The EPP's real scheduler framework ({@link SchedulerFactory}: a built-in profile or an EndpointPickerConfig
 * file) in the simulation loop. The prompt is handed over as 4 bytes per token, so the framework's prefix hashing
 * (4 bytes per token, 16-token blocks) sees exactly the engine's token blocks; completions are reported back so
 * its in-flight counters stay true.
 */
final class FrameworkStrategy implements RoutingStrategy {

    /** The model name requests target when they use no adapter. */
    static final String BASE_MODEL = "meta-llama/Llama-3.1-8B-Instruct";

    private final EndpointPicker picker;
    private final long scenarioSeed;
    private final java.time.Clock clock;
    private final boolean sharesState;

    private FrameworkStrategy(EndpointPicker picker, RunContext ctx, boolean sharesState) {
        this.picker = picker;
        this.scenarioSeed = ctx.scenarioSeed();
        this.clock = ctx.clock();
        this.sharesState = sharesState;
    }

    static FrameworkStrategy builtIn(String name, RunContext ctx) {
        return new FrameworkStrategy(SchedulerFactory.builtIn(name, options(ctx)), ctx,
                name.equals(SchedulerFactory.OSPREY_DEFAULT));
    }

    /** A built-in profile whose replicas keep everything to themselves, even Osprey's own. */
    static FrameworkStrategy withoutSharedState(String name, RunContext ctx) {
        return new FrameworkStrategy(SchedulerFactory.builtIn(name, options(ctx)), ctx, false);
    }

    /** An upstream EndpointPickerConfig: per-replica state, as upstream's EPP keeps it. */
    static FrameworkStrategy fromFile(Path file, RunContext ctx) {
        return new FrameworkStrategy(SchedulerFactory.fromConfig(file, options(ctx)), ctx, false);
    }

    private static SchedulerOptions options(RunContext ctx) {
        return SchedulerOptions.defaults().withSeed(ctx.seed()).withExplanations(false);
    }

    @Override
    public Decision pick(SimRequest request, PoolSnapshot view, long nowMs) {
        SchedulingRequest sr = SchedulingRequest.builder("req-" + request.index(),
                        request.adapter() == null ? BASE_MODEL : request.adapter())
                .criticality(request.criticality())
                .prompt(request.promptBytes(scenarioSeed))
                .promptTokens(request.promptTokens())
                .loraAdapter(request.adapter())
                .build();
        PickResult result = picker.pick(view, sr, nowMs);
        if (result instanceof PickResult.Picked p) {
            return new Decision.Route(p.primary().endpointId(), p.prefixHashes());
        }
        if (result instanceof PickResult.Shed s) {
            return new Decision.Shed(s.reason());
        }
        return new Decision.Shed(((PickResult.NoCandidates) result).reason());
    }

    @Override
    public void onFinished(SimRequest request, String endpointId) {
        picker.completed("req-" + request.index(), clock.millis());
    }

    @Override
    public boolean sharesState() {
        return sharesState;
    }

    @Override
    public void mergeSharedPrefixes(String endpointId, long[] hashesNewestFirst, int n) {
        picker.mergeSharedPrefixes(endpointId, hashesNewestFirst, n);
    }
}
