package dev.osprey.epp.scheduling.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.osprey.epp.scheduling.SchedulerOptions;
import dev.osprey.epp.scheduling.framework.Filter;
import dev.osprey.epp.scheduling.framework.LocalLoad;
import dev.osprey.epp.scheduling.framework.PickListener;
import dev.osprey.epp.scheduling.framework.Picker;
import dev.osprey.epp.scheduling.framework.Plugin;
import dev.osprey.epp.scheduling.framework.ProfileHandler;
import dev.osprey.epp.scheduling.framework.SaturationDetector;
import dev.osprey.epp.scheduling.framework.SchedulerProfile;
import dev.osprey.epp.scheduling.framework.SchedulerState;
import dev.osprey.epp.scheduling.framework.SchedulingEngine;
import dev.osprey.epp.scheduling.framework.Scorer;
import dev.osprey.epp.scheduling.plugins.Pickers;
import dev.osprey.epp.scheduling.plugins.SingleProfileHandler;
import dev.osprey.epp.scheduling.plugins.UtilizationDetector;
import dev.osprey.epp.scheduling.prefix.PrefixHasher;
import dev.osprey.epp.scheduling.prefix.PrefixIndex;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link SchedulingEngine} from upstream {@code EndpointPickerConfig} YAML
 * ({@code apiVersion: inference.networking.x-k8s.io/v1alpha1}). Decoding is strict: an unknown field, plugin
 * type or parameter, or a dangling {@code pluginRef}, fails with a {@link SchedulerConfigException} naming it.
 * Upstream's defaulting applies: a plugin's name defaults to its type; a scorer's weight to 1; no profiles → one
 * {@code default} profile with every filter, scorer and picker; a profile without a picker gets
 * {@code max-score-picker}; one profile and no handler → {@code single-profile-handler}; no
 * {@code saturationDetector} → {@code utilization-detector} with the thresholds of the
 * {@link SchedulerOptions}. {@code featureGates},
 * {@code dataLayer}, {@code flowControl} and {@code parser} are accepted and not used by the scheduler.
 */
public final class EndpointPickerConfigLoader {

    public static final String API_VERSION = "inference.networking.x-k8s.io/v1alpha1";
    public static final String KIND = "EndpointPickerConfig";

    private static final Set<String> TOP_LEVEL = Set.of("apiVersion", "kind", "featureGates", "plugins",
            "schedulingProfiles", "saturationDetector", "dataLayer", "flowControl", "parser");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final PluginRegistry registry;

    public EndpointPickerConfigLoader(PluginRegistry registry) {
        this.registry = registry;
    }

    /** Parses and builds; {@code name} is the engine's name (e.g. a built-in name or the file name). */
    public SchedulingEngine load(String yaml, String name, SchedulerOptions options) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new SchedulerConfigException("scheduler config " + name + " is not valid YAML: "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SchedulerConfigException("scheduler config " + name + " must be a YAML mapping");
        }
        checkFields(root, TOP_LEVEL, "EndpointPickerConfig");
        expect(root, "apiVersion", API_VERSION);
        expect(root, "kind", KIND);
        BuildContext ctx = new BuildContext();
        Map<String, Plugin> plugins = plugins(root.get("plugins"), ctx);
        Map<String, SchedulerProfile> profiles = profiles(root.get("schedulingProfiles"), plugins);
        ProfileHandler handler = handler(plugins, profiles);
        SaturationDetector detector = detector(root.get("saturationDetector"), plugins, options);
        List<PickListener> listeners = new ArrayList<>();
        for (Plugin p : plugins.values()) {
            if (p instanceof PickListener l) {
                listeners.add(l);
            }
        }
        SchedulerState state = new SchedulerState(
                new LocalLoad(options.dispatchRetentionMs(), options.inflightExpiryMs()),
                new PrefixIndex(new PrefixHasher(ctx.blockSizeTokens, ctx.maxPrefixBlocks), ctx.lruCapacityPerServer),
                options.stalenessMs());
        return new SchedulingEngine(name, state, handler, profiles, detector, listeners, options.random(),
                ctx.usesPrefix, options.explanations());
    }

    private Map<String, Plugin> plugins(JsonNode list, BuildContext ctx) {
        Map<String, Plugin> out = new LinkedHashMap<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new SchedulerConfigException("plugins must be a list");
        }
        for (JsonNode spec : list) {
            checkFields(spec, Set.of("name", "type", "parameters"), "plugins[]");
            String type = text(spec, "type", null);
            if (type == null) {
                throw new SchedulerConfigException("plugins[]: an entry has no type");
            }
            String name = text(spec, "name", type);
            if (out.containsKey(name)) {
                throw new SchedulerConfigException("plugins[]: duplicate plugin name " + name);
            }
            PluginFactory factory = registry.factory(type, name);
            Parameters params = new Parameters(name, spec.get("parameters"));
            Plugin plugin;
            try {
                plugin = factory.create(name, params, ctx);
            } catch (IllegalArgumentException e) {
                throw new SchedulerConfigException("plugin " + name + ": " + e.getMessage(), e);
            }
            if (!PluginRegistry.INERT_TYPES.contains(type)) {
                params.checkAllRead();
            }
            out.put(name, plugin);
        }
        return out;
    }

    private static Map<String, SchedulerProfile> profiles(JsonNode list, Map<String, Plugin> plugins) {
        Map<String, SchedulerProfile> out = new LinkedHashMap<>();
        if (list == null || list.isNull() || list.isEmpty()) {
            List<Filter> filters = new ArrayList<>();
            List<SchedulerProfile.WeightedScorer> scorers = new ArrayList<>();
            List<Picker> pickers = new ArrayList<>();
            for (Plugin p : plugins.values()) {
                if (p instanceof Scorer s) {
                    scorers.add(new SchedulerProfile.WeightedScorer(s, 1));
                } else if (p instanceof Picker k) {
                    pickers.add(k);
                } else if (p instanceof Filter f && !(p instanceof SaturationDetector)) {
                    filters.add(f);
                }
            }
            out.put("default", profile("default", filters, scorers, pickers));
            return out;
        }
        if (!list.isArray()) {
            throw new SchedulerConfigException("schedulingProfiles must be a list");
        }
        for (JsonNode spec : list) {
            checkFields(spec, Set.of("name", "plugins"), "schedulingProfiles[]");
            String name = text(spec, "name", null);
            if (name == null) {
                throw new SchedulerConfigException("schedulingProfiles[]: a profile has no name");
            }
            List<Filter> filters = new ArrayList<>();
            List<SchedulerProfile.WeightedScorer> scorers = new ArrayList<>();
            List<Picker> pickers = new ArrayList<>();
            JsonNode refs = spec.get("plugins");
            if (refs != null && !refs.isNull()) {
                for (JsonNode ref : refs) {
                    checkFields(ref, Set.of("pluginRef", "weight"), "schedulingProfiles[" + name + "].plugins[]");
                    String r = text(ref, "pluginRef", null);
                    Plugin p = r == null ? null : plugins.get(r);
                    if (p == null) {
                        throw new SchedulerConfigException("profile " + name + ": pluginRef " + r
                                + " names no configured plugin");
                    }
                    JsonNode w = ref.get("weight");
                    if (w != null && !w.isNull() && (!w.isNumber() || w.asDouble() < 0)) {
                        throw new SchedulerConfigException("profile " + name + ": weight of " + r
                                + " must be a non-negative number, got " + w);
                    }
                    if (p instanceof Scorer s) {
                        scorers.add(new SchedulerProfile.WeightedScorer(s, w == null ? 1 : w.asDouble()));
                    } else if (p instanceof Picker k) {
                        pickers.add(k);
                    } else if (p instanceof Filter f) {
                        filters.add(f);
                    } else {
                        throw new SchedulerConfigException("profile " + name + ": plugin " + r + " of type "
                                + p.type() + " is not a filter, scorer or picker");
                    }
                }
            }
            if (out.put(name, profile(name, filters, scorers, pickers)) != null) {
                throw new SchedulerConfigException("schedulingProfiles[]: duplicate profile " + name);
            }
        }
        return out;
    }

    private static SchedulerProfile profile(String name, List<Filter> filters,
            List<SchedulerProfile.WeightedScorer> scorers, List<Picker> pickers) {
        if (pickers.size() > 1) {
            throw new SchedulerConfigException("profile " + name + " has " + pickers.size()
                    + " pickers; exactly one is allowed");
        }
        Picker picker = pickers.isEmpty() ? Pickers.maxScore("max-score-picker", 0) : pickers.get(0);
        return new SchedulerProfile(name, filters, scorers, picker);
    }

    private static ProfileHandler handler(Map<String, Plugin> plugins, Map<String, SchedulerProfile> profiles) {
        List<ProfileHandler> handlers = new ArrayList<>();
        plugins.values().forEach(p -> {
            if (p instanceof ProfileHandler h) {
                handlers.add(h);
            }
        });
        if (handlers.size() > 1) {
            throw new SchedulerConfigException("exactly one profile handler is allowed, found " + handlers.size());
        }
        if (handlers.isEmpty()) {
            if (profiles.size() != 1) {
                throw new SchedulerConfigException(profiles.size() + " scheduling profiles need a profile handler "
                        + "plugin; none is configured");
            }
            return new SingleProfileHandler("single-profile-handler");
        }
        if (handlers.get(0) instanceof SingleProfileHandler && profiles.size() != 1) {
            throw new SchedulerConfigException("single-profile-handler requires exactly one scheduling profile, "
                    + "found " + profiles.size());
        }
        return handlers.get(0);
    }

    private static SaturationDetector detector(JsonNode spec, Map<String, Plugin> plugins,
            SchedulerOptions options) {
        if (spec == null || spec.isNull()) {
            return new UtilizationDetector("utilization-detector", options.saturationQueueDepth(),
                    options.saturationKvCache(), options.stalenessMs(), 0);
        }
        checkFields(spec, Set.of("pluginRef"), "saturationDetector");
        String ref = text(spec, "pluginRef", null);
        if (!(plugins.get(ref) instanceof SaturationDetector d)) {
            throw new SchedulerConfigException("saturationDetector.pluginRef " + ref
                    + " names no configured saturation detector");
        }
        return d;
    }

    private static void checkFields(JsonNode node, Set<String> allowed, String where) {
        if (node == null || !node.isObject()) {
            throw new SchedulerConfigException(where + " must be a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new SchedulerConfigException(where + ": unknown field " + f);
            }
        }
    }

    private static void expect(JsonNode root, String field, String value) {
        String v = text(root, field, null);
        if (!value.equals(v)) {
            throw new SchedulerConfigException(field + " must be " + value + ", got " + v);
        }
    }

    private static String text(JsonNode node, String field, String def) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? def : v.asText();
    }
}
