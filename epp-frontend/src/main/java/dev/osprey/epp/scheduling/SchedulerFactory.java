package dev.osprey.epp.scheduling;

import dev.osprey.epp.scheduling.config.BuiltInProfiles;
import dev.osprey.epp.scheduling.config.EndpointPickerConfigLoader;
import dev.osprey.epp.scheduling.config.PluginRegistry;
import dev.osprey.epp.scheduling.config.SchedulerConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The pure-Java entry point to the scheduler (no gRPC, Kafka or HTTP): build an {@link EndpointPicker} from an
 * upstream {@code EndpointPickerConfig} file or text, or from a built-in name. Stable API (benchmarks code against
 * it). All methods throw {@link SchedulerConfigException} naming what is wrong.
 */
public final class SchedulerFactory {

    /** Osprey's default: estimated time-to-first-token with prefix, adapter, load and staleness terms. */
    public static final String OSPREY_DEFAULT = "osprey-default";
    /** Upstream's default profile: queue 2, kv-cache 2, prefix 3, max-score picker. */
    public static final String UPSTREAM_DEFAULT = "upstream-default";
    public static final String STICKY_UNTIL_SATURATED = "sticky-until-saturated";
    public static final String LEGACY_DECISION_TREE = "legacy-decision-tree";
    public static final String RANDOM = "random";
    public static final String ROUND_ROBIN = "round-robin";
    public static final String LEAST_REQUEST_P2C = "least-request-p2c";

    private SchedulerFactory() {
    }

    /** The built-in names. */
    public static List<String> builtInNames() {
        return BuiltInProfiles.names();
    }

    public static EndpointPicker builtIn(String name) {
        return builtIn(name, SchedulerOptions.defaults());
    }

    public static EndpointPicker builtIn(String name, SchedulerOptions options) {
        String yaml = BuiltInProfiles.yaml(name).orElseThrow(() -> new SchedulerConfigException(
                "unknown built-in scheduler " + name + " (known: " + String.join(", ", builtInNames()) + ")"));
        return load(yaml, name, options);
    }

    /** From YAML text. */
    public static EndpointPicker fromConfig(String yaml) {
        return fromConfig(yaml, SchedulerOptions.defaults());
    }

    public static EndpointPicker fromConfig(String yaml, SchedulerOptions options) {
        return load(yaml, "config", options);
    }

    /** From a file. */
    public static EndpointPicker fromConfig(Path file) {
        return fromConfig(file, SchedulerOptions.defaults());
    }

    public static EndpointPicker fromConfig(Path file, SchedulerOptions options) {
        try {
            return load(Files.readString(file), file.getFileName().toString(), options);
        } catch (IOException e) {
            throw new SchedulerConfigException("cannot read scheduler config " + file + ": " + e.getMessage(),
                    new UncheckedIOException(e));
        }
    }

    /**
     * A built-in name or a file path: names in {@link #builtInNames()} win; anything else is read as a file.
     * Used for the EPP's {@code osprey.epp.scheduler.config} setting.
     */
    public static EndpointPicker fromSetting(String nameOrPath, SchedulerOptions options) {
        return BuiltInProfiles.yaml(nameOrPath).isPresent() ? builtIn(nameOrPath, options)
                : fromConfig(Path.of(nameOrPath), options);
    }

    private static EndpointPicker load(String yaml, String name, SchedulerOptions options) {
        return new EndpointPickerConfigLoader(PluginRegistry.builtIns()).load(yaml, name, options);
    }
}
