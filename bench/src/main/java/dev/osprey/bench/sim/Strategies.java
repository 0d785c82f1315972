package dev.osprey.bench.sim;

import dev.osprey.bench.sim.Scenario.StrategySpec;
import dev.osprey.epp.scheduling.SchedulerFactory;
import dev.osprey.epp.scheduling.config.SchedulerConfigException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Resolves the strategy names a scenario may use into fresh per-run {@link RoutingStrategy} instances: the local
 * baselines (what a Kubernetes Service or Envoy would do), the EPP's original least-load {@code Scheduler}, and
 * every built-in profile of the EPP's scheduler framework ({@link SchedulerFactory}); a strategy with a
 * {@code config} file loads that EndpointPickerConfig through the same factory.
 */
public final class Strategies {

    /** osprey-default with per-replica state only: the control for active-active runs. */
    static final String OSPREY_UNSHARED = "osprey-default-unshared";

    private static final Map<String, Function<RunContext, RoutingStrategy>> BUILT_IN = new LinkedHashMap<>();

    static {
        BUILT_IN.put("round-robin", LocalStrategies::roundRobin);
        BUILT_IN.put("random", LocalStrategies::random);
        BUILT_IN.put("least-request", LocalStrategies::leastRequest);
        BUILT_IN.put("epp-least-load", EppLeastLoadStrategy::new);
        for (String name : SchedulerFactory.builtInNames()) {
            BUILT_IN.putIfAbsent(name, ctx -> FrameworkStrategy.builtIn(name, ctx));
        }
        BUILT_IN.put(OSPREY_UNSHARED, ctx -> FrameworkStrategy.withoutSharedState(SchedulerFactory.OSPREY_DEFAULT,
                ctx));
    }

    private Strategies() {
    }

    /** Names usable in {@code strategies:} without a config file. */
    public static List<String> builtInNames() {
        return List.copyOf(BUILT_IN.keySet());
    }

    static boolean isBuiltIn(String name) {
        return BUILT_IN.containsKey(name);
    }

    /**
     * A factory for {@code spec}; config files are resolved against {@code scenarioDir} and loaded once here, so
     * a bad file fails before any simulation runs.
     *
     * @throws ScenarioException when the strategy cannot be built
     */
    static Function<RunContext, RoutingStrategy> factory(StrategySpec spec, Path scenarioDir) {
        if (spec.config() != null) {
            Path file = scenarioDir.resolve(spec.config());
            try {
                SchedulerFactory.fromConfig(file);
            } catch (SchedulerConfigException e) {
                throw new ScenarioException("strategies: '" + spec.name() + "': " + e.getMessage(), e);
            }
            return ctx -> FrameworkStrategy.fromFile(file, ctx);
        }
        Function<RunContext, RoutingStrategy> f = BUILT_IN.get(spec.name());
        if (f == null) {
            throw new ScenarioException("strategies: unknown strategy '" + spec.name() + "'");
        }
        return f;
    }
}
