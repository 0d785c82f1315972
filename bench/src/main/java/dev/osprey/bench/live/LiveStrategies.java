package dev.osprey.bench.live;

import dev.osprey.bench.sim.Scenario.StrategySpec;
import dev.osprey.epp.scheduling.SchedulerFactory;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which EPP scheduler setting runs a simulation strategy live. The EPP's built-in profiles and EndpointPickerConfig
 * files run as they are; the simulation's local baselines map to the EPP's equivalents ({@code least-request} to
 * {@code least-request-p2c}, {@code round-robin} and {@code random} to the EPP's own); {@code epp-least-load} (the
 * EPP's original scheduler) has no live setting.
 */
final class LiveStrategies {

    private LiveStrategies() {
    }

    /** The {@code osprey.epp.scheduler.config} value for {@code spec}, or empty when it cannot run live. */
    static Optional<String> schedulerFor(StrategySpec spec, Path scenarioDir) {
        if (spec.config() != null) {
            return Optional.of(scenarioDir.resolve(spec.config()).toAbsolutePath().toString());
        }
        if (spec.name().equals("least-request")) {
            return Optional.of(SchedulerFactory.LEAST_REQUEST_P2C);
        }
        return SchedulerFactory.builtInNames().contains(spec.name()) ? Optional.of(spec.name()) : Optional.empty();
    }
}
