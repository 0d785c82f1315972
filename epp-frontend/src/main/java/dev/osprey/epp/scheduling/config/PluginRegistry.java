package dev.osprey.epp.scheduling.config;

import dev.osprey.epp.scheduling.framework.Plugin;
import dev.osprey.epp.scheduling.plugins.AffinityScorers;
import dev.osprey.epp.scheduling.plugins.ConcurrencyDetector;
import dev.osprey.epp.scheduling.plugins.DecisionTreeFilter;
import dev.osprey.epp.scheduling.plugins.HeaderTestingFilter;
import dev.osprey.epp.scheduling.plugins.LoadScorers;
import dev.osprey.epp.scheduling.plugins.OspreyTtftScorer;
import dev.osprey.epp.scheduling.plugins.Pickers;
import dev.osprey.epp.scheduling.plugins.PrefixAffinityFilter;
import dev.osprey.epp.scheduling.plugins.SingleProfileHandler;
import dev.osprey.epp.scheduling.plugins.TtftEstimator;
import dev.osprey.epp.scheduling.plugins.UtilizationDetector;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plugin factories by upstream type name. {@link #builtIns()} holds every built-in; types of upstream layers that
 * Osprey implements elsewhere (data layer, parser, flow-control policies) are accepted as inert plugins so an
 * upstream file loads unchanged, but cannot be used in a scheduling profile. Immutable after construction.
 */
public final class PluginRegistry {

    /** Upstream types accepted and ignored (their parameters are not checked). */
    public static final Set<String> INERT_TYPES = Set.of("metrics-data-source", "core-metrics-extractor",
            "openai-parser", "approx-prefix-cache-producer", "inflight-load-producer", "fcfs-ordering-policy",
            "edf-ordering-policy", "global-strict-fairness-policy", "round-robin-fairness-policy",
            "static-usage-limit-policy");

    private final Map<String, PluginFactory> factories;

    public PluginRegistry(Map<String, PluginFactory> factories) {
        this.factories = Map.copyOf(factories);
    }

    /** The factory of {@code type}; fails naming the type and the known ones. */
    public PluginFactory factory(String type, String pluginName) {
        PluginFactory f = factories.get(Objects.requireNonNull(type, "type"));
        if (f == null) {
            throw new SchedulerConfigException("plugin " + pluginName + ": unknown plugin type " + type
                    + " (known: " + String.join(", ", new TreeSet<>(factories.keySet())) + ")");
        }
        return f;
    }

    public Set<String> types() {
        return factories.keySet();
    }

    /** A registry of all built-ins. */
    public static PluginRegistry builtIns() {
        Map<String, PluginFactory> m = new TreeMap<>();
        m.put("queue-scorer", (n, p, c) -> LoadScorers.queue(n));
        m.put("running-requests-size-scorer", (n, p, c) -> LoadScorers.running(n));
        m.put("kv-cache-utilization-scorer", (n, p, c) -> LoadScorers.kvCache(n));
        m.put("token-load-scorer", (n, p, c) -> LoadScorers.tokenLoad(n,
                p.integer("queueThresholdTokens", LoadScorers.DEFAULT_TOKEN_THRESHOLD)));
        m.put("uncached-inflight-tokens-scorer", (n, p, c) -> {
            c.usesPrefix();
            return LoadScorers.uncachedInflight(n);
        });
        m.put("lora-affinity-scorer", (n, p, c) -> AffinityScorers.lora(n));
        m.put("prefix-cache-scorer", PluginRegistry::prefixScorer);
        m.put("session-affinity-scorer", (n, p, c) -> new AffinityScorers.SessionAffinity(n,
                p.text("headerName", "x-session-token"), (int) p.integer("maxSessions", 100_000)));
        m.put("osprey-ttft-scorer", (n, p, c) -> {
            c.usesPrefix();
            return new OspreyTtftScorer(n, estimator(p, true));
        });
        m.put("max-score-picker", (n, p, c) -> Pickers.maxScore(n, (int) p.integer("maxNumOfEndpoints", 0)));
        m.put("random-picker", (n, p, c) -> Pickers.random(n, (int) p.integer("maxNumOfEndpoints", 0)));
        m.put("weighted-random-picker", (n, p, c) -> Pickers.weightedRandom(n,
                (int) p.integer("maxNumOfEndpoints", 0)));
        m.put("round-robin-picker", (n, p, c) -> Pickers.roundRobin(n, (int) p.integer("maxNumOfEndpoints", 0)));
        m.put("least-request-p2c-picker", (n, p, c) -> Pickers.leastRequestP2c(n,
                (int) p.integer("maxNumOfEndpoints", 0)));
        m.put("utilization-detector", (n, p, c) -> new UtilizationDetector(n,
                p.number("queueDepthThreshold", 5), p.number("kvCacheUtilThreshold", 0.8),
                p.millis("metricsStalenessThreshold", 200), p.number("headroom", 0)));
        m.put("concurrency-detector", (n, p, c) -> new ConcurrencyDetector(n, p.text("concurrencyMode", "requests"),
                p.integer("maxConcurrency", 100), p.integer("maxTokenConcurrency", 1_000_000),
                p.number("headroom", 0)));
        m.put("decision-tree-filter", (n, p, c) -> new DecisionTreeFilter(n, p.number("kvCacheThreshold", 0.8),
                (int) p.integer("queueThresholdCritical", 5), (int) p.integer("queueingThresholdLoRA", 128),
                p.number("loraAffinityThreshold", 0.999)));
        m.put("prefix-cache-affinity-filter", (n, p, c) -> {
            c.usesPrefix();
            return new PrefixAffinityFilter(n, p.number("affinityThreshold", 0.8),
                    p.number("explorationProbability", 0.01), p.number("maxTTFTPenaltyMs", 5000),
                    estimator(p, false));
        });
        m.put("header-based-testing-filter", (n, p, c) -> new HeaderTestingFilter(n));
        m.put("single-profile-handler", (n, p, c) -> new SingleProfileHandler(n));
        for (String t : INERT_TYPES) {
            m.put(t, (n, p, c) -> new Inert(t, n));
        }
        return new PluginRegistry(m);
    }

    private static Plugin prefixScorer(String name, Parameters p, BuildContext c) {
        if (p.text("blockSize", null) != null) {
            throw new SchedulerConfigException("plugin " + name + ": parameter blockSize (characters) is no longer "
                    + "supported upstream; use blockSizeTokens");
        }
        p.ignore("autoTune");
        int block = (int) p.integer("blockSizeTokens", 16);
        int maxBlocks = (int) p.integer("maxPrefixBlocksToMatch", 256);
        long maxTokens = p.integer("maxPrefixTokensToMatch", 0);
        int lru = (int) p.integer("lruCapacityPerServer", 31_250);
        if (block < 1 || maxBlocks < 1 || lru < 1 || maxTokens < 0) {
            throw new SchedulerConfigException("plugin " + name + ": blockSizeTokens, maxPrefixBlocksToMatch and "
                    + "lruCapacityPerServer must be positive");
        }
        if (maxTokens > 0) {
            maxBlocks = (int) Math.max(1, maxTokens / block);
        }
        c.prefix(block, maxBlocks, lru);
        c.usesPrefix();
        return AffinityScorers.prefix(name);
    }

    /** The estimator's parameters; {@code pollutionWeight} only where the learned-traffic terms are used. */
    private static TtftEstimator estimator(Parameters p, boolean pollution) {
        TtftEstimator d = TtftEstimator.DEFAULTS;
        return new TtftEstimator(p.number("meanPromptTokens", d.meanPromptTokens()),
                p.number("prefillTokensPerMs", d.prefillTokensPerMs()),
                p.number("decodeMsPerRunning", d.decodeMsPerRunning()), p.number("adapterLoadMs", d.adapterLoadMs()),
                p.number("adapterSwapMs", d.adapterSwapMs()), p.number("kvPenaltyMs", d.kvPenaltyMs()),
                p.number("stalePenaltyMs", d.stalePenaltyMs()),
                pollution ? p.number("pollutionWeight", d.pollutionWeight()) : 0);
    }

    /** A plugin of an upstream layer Osprey does not schedule with. */
    record Inert(String type, String name) implements Plugin {
    }
}
