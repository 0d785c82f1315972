package dev.osprey.bench.sim;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;

/**
 * A routing-quality scenario as read from YAML (see docs/benchmarks/routing.md). Fields left out of the file are
 * null here and take their documented defaults in {@link ScenarioValidator}, which also checks every value.
 *
 * @param name label used in reports (defaults to the file name)
 * @param seed seed of every random choice: the same seed gives the same traffic and the same results
 * @param pool the simulated servers
 * @param pipeline how metrics reach the picker
 * @param workload arrivals and request shapes
 * @param slo goodput thresholds
 * @param strategies the pickers to compare, each run on identical traffic
 */
public record Scenario(String name, Long seed, Pool pool, Pipeline pipeline, Workload workload, Slo slo,
        List<StrategySpec> strategies) {

    /** The same scenario with another traffic seed. */
    public Scenario withSeed(long newSeed) {
        return new Scenario(name, newSeed, pool, pipeline, workload, slo, strategies);
    }

    /**
     * @param servers number of simulated vLLM servers
     * @param profile engine step-cost profile: test, h100-8b, h100x8-70b, l40s-3b
     * @param maxLoras LoRA adapters resident at once per server (default 4)
     * @param loraLoadMs time to load an adapter into a slot (default 5)
     * @param kvBlocks KV-cache blocks per server (default: the profile's)
     * @param maxNumSeqs sequences per step (default: the profile's)
     * @param maxNumBatchedTokens token budget per step (default: the profile's)
     * @param slowdown every engine time (profile and adapter loads) multiplied by this (default 1; the live
     *     command's {@code --slowdown} sets it, with rates divided by it, so a real-time run keeps up)
     */
    public record Pool(Integer servers, String profile, Integer maxLoras, Integer loraLoadMs, Integer kvBlocks,
            Integer maxNumSeqs, Integer maxNumBatchedTokens, Double slowdown) {
    }

    /**
     * @param scrapeIntervalMs how often each server's metrics are sampled (default 50)
     * @param delaysMs pipeline delays from sample to picker; each is run as its own variant (default [0])
     * @param eppReplicas numbers of active-active picker replicas, arrivals spread over them in turn; each is run as
     *     its own variant (default [1])
     * @param sharedStateDelayMs how long what one Osprey replica routes takes to reach the others (peer in-flight
     *     counts and the shared prefix index, through the aggregator; default 50)
     */
    public record Pipeline(Integer scrapeIntervalMs, List<Integer> delaysMs, List<Integer> eppReplicas,
            Integer sharedStateDelayMs) {
    }

    /**
     * @param arrivals {@code poisson} (default) or {@code constant}
     * @param stages the rate ladder, run in order
     * @param promptTokens prompt length (the question, after any shared prefix)
     * @param outputTokens output length ({@code max_tokens}, always produced in full)
     * @param sharedPrefix optional shared-prefix groups
     * @param lora optional LoRA adapters
     * @param criticality optional criticality mix (default all Standard)
     */
    public record Workload(String arrivals, List<Stage> stages, Length promptTokens, Length outputTokens,
            SharedPrefix sharedPrefix, Lora lora, CriticalityMix criticality) {
    }

    /**
     * @param rate requests per second
     * @param durationS seconds of arrivals at that rate
     */
    public record Stage(Double rate, Double durationS) {
    }

    /**
     * A token-length distribution, clamped to [min, max].
     *
     * @param dist {@code constant}, {@code uniform}, {@code normal} or {@code lognormal}
     * @param mean mean (constant: the value; ignored by uniform, which draws evenly from min to max)
     * @param stddev standard deviation (normal, lognormal)
     * @param min smallest value (default 1)
     * @param max largest value (default 8192)
     */
    public record Length(String dist, Double mean, Double stddev, Integer min, Integer max) {
    }

    /**
     * Inference-perf style shared prefixes: {@code groups} system prompts of {@code prefixTokens}, each with
     * {@code usersPerGroup} distinct questions; a request picks a group and a user uniformly.
     */
    public record SharedPrefix(Integer groups, Integer prefixTokens, Integer usersPerGroup) {
    }

    /**
     * @param adapters number of adapters ({@code lora-01} ...)
     * @param zipf popularity skew: adapter k is chosen with weight 1/k^zipf (0 = uniform; default 1)
     * @param baseFraction share of requests for the base model (default 0)
     */
    public record Lora(Integer adapters, Double zipf, Double baseFraction) {
    }

    /** Relative shares of Critical, Standard and Sheddable requests. */
    public record CriticalityMix(Double critical, Double standard, Double sheddable) {
    }

    /**
     * A request counts towards goodput when it completed within every threshold given.
     *
     * @param ttftMs time-to-first-token limit
     * @param tpotMs time-per-output-token limit
     * @param e2eMs end-to-end limit (optional)
     */
    public record Slo(Double ttftMs, Double tpotMs, Double e2eMs) {
    }

    /**
     * A picker to compare: a built-in name, or an EndpointPickerConfig file.
     *
     * @param name built-in strategy name, or the label of a config-file strategy
     * @param config path of an EndpointPickerConfig YAML, relative to the scenario file
     */
    public record StrategySpec(String name, String config) {

        /** A bare name in the YAML list ({@code - round-robin}). */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static StrategySpec named(String name) {
            return new StrategySpec(name, null);
        }

        /** The label in results: the name. */
        public String label() {
            return name;
        }
    }
}
