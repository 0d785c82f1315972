package dev.osprey.bench.sim;

import java.time.Clock;
import java.util.List;

/**
 * What a strategy is built with for one run.
 *
 * @param seed seed of the strategy's own randomness
 * @param scenarioSeed the scenario's seed (prompt token ids derive from it)
 * @param clock virtual wall clock (epoch millis advance with simulated time)
 * @param endpointIds the pool's endpoints in server order
 * @param inflight requests this picker dispatched and has not seen finish, per endpoint
 */
public record RunContext(long seed, long scenarioSeed, Clock clock, List<String> endpointIds, LocalInflight inflight) {
}
