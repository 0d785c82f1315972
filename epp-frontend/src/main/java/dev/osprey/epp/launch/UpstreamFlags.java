package dev.osprey.epp.launch;

import dev.osprey.epp.EppConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of the EPP {@link Main}: upstream's EPP flags (so an upstream Deployment's {@code args} work
 * unchanged) plus Osprey's own. Flags are {@code -flag value}, {@code --flag value} or {@code --flag=value}
 * (Go's flag syntax); booleans may stand alone. Upstream flags map onto {@link EppConfig} keys; flags for
 * features Osprey does in another place (metrics refresh: the collector; leader election: replicas are
 * active-active) are accepted and reported as ignored; flags Osprey cannot honour fail with a reason.
 *
 * @param settings {@link EppConfig} keys set by flags (they win over file and environment)
 * @param resources resource YAML instead of Kubernetes discovery ({@code --resources})
 * @param configFile properties file of {@code osprey.epp.*} keys ({@code --config})
 * @param schedulerText {@code --config-text}: EndpointPickerConfig YAML given inline
 * @param ignored one line per accepted-but-ignored flag, for the start-up log
 */
public record UpstreamFlags(Map<String, String> settings, Optional<Path> resources, Optional<Path> configFile,
        Optional<String> schedulerText, List<String> ignored) {

    /** The usage text printed on a bad command line. */
    public static final String USAGE = "usage: epp [--pool-name NAME] [--pool-namespace NS] [--grpc-port N]"
            + " [--grpc-health-port N] [--metrics-port N] [--config-file FILE | --config-text YAML]"
            + " [--secure-serving=BOOL] [--cert-path DIR] [--metrics-staleness-threshold DURATION]"
            + " [--resources FILE] [--config FILE.properties] (and upstream's other flags, see docs/epp.md)";

    private static final Set<String> BOOLEAN = Set.of("secure-serving", "disable-endpoint-subset-filter",
            "metrics-endpoint-auth", "ha-enable-leader-election", "tracing", "enable-pprof", "health-checking",
            "enable-cert-reload", "model-server-metrics-https-insecure-skip-verify");
    private static final Map<String, String> IGNORED = ignoredFlags();
    /** How often {@code --enable-cert-reload} checks the certificate files (upstream watches them). */
    static final long CERT_RELOAD_MS = 10_000;
    private static final Set<String> POOL_GROUPS = Set.of("inference.networking.k8s.io",
            "inference.networking.x-k8s.io");

    public UpstreamFlags {
        settings = Map.copyOf(settings);
        ignored = List.copyOf(ignored);
    }

    /**
     * Parses {@code args}; {@code environment} supplies upstream's {@code NAMESPACE} fallback for the pool namespace.
     *
     * @throws IllegalArgumentException naming the flag at fault
     */
    public static UpstreamFlags parse(List<String> args, Map<String, String> environment) {
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        Optional<Path> resources = Optional.empty();
        Optional<Path> configFile = Optional.empty();
        Optional<String> schedulerText = Optional.empty();
        boolean namespaceGiven = false;
        boolean certReload = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg + "; " + USAGE);
            }
            String body = arg.substring(arg.startsWith("--") ? 2 : 1);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            String value;
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (BOOLEAN.contains(name) && (i + 1 >= args.size() || !isBool(args.get(i + 1)))) {
                value = "true";
            } else {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--" + name + " needs a value; " + USAGE);
                }
                value = args.get(++i);
            }
            switch (name) {
                case "pool-name" -> settings.put(EppConfig.POOL_NAME.name(), value);
                case "pool-namespace" -> {
                    settings.put(EppConfig.POOL_NAMESPACE.name(), value);
                    namespaceGiven = true;
                }
                case "pool-group" -> {
                    if (!POOL_GROUPS.contains(value)) {
                        throw new IllegalArgumentException("--pool-group must be one of " + POOL_GROUPS + ", got "
                                + value);
                    }
                }
                case "grpc-port" -> settings.put(EppConfig.GRPC_PORT.name(), value);
                case "grpc-health-port" -> settings.put(EppConfig.HEALTH_PORT.name(), value);
                case "metrics-port" -> settings.put(EppConfig.METRICS_PORT.name(), value);
                case "config-file" -> settings.put(EppConfig.SCHEDULER_CONFIG.name(), value);
                case "config-text" -> schedulerText = Optional.of(value);
                case "secure-serving" -> settings.put(EppConfig.TLS_PLAINTEXT.name(),
                        String.valueOf(!bool(name, value)));
                case "cert-path" -> {
                    settings.put(EppConfig.TLS_CERT_FILE.name(), Path.of(value, "tls.crt").toString());
                    settings.put(EppConfig.TLS_KEY_FILE.name(), Path.of(value, "tls.key").toString());
                }
                case "enable-cert-reload" -> certReload = bool(name, value);
                case "tracing" -> settings.put(EppConfig.TRACING_ENABLED.name(), String.valueOf(bool(name, value)));
                case "metrics-staleness-threshold" -> settings.put(EppConfig.METRICS_STALENESS_MS.name(),
                        String.valueOf(GoDuration.toMillis(name, value)));
                case "disable-endpoint-subset-filter" -> {
                    if (bool(name, value)) {
                        throw new IllegalArgumentException("--disable-endpoint-subset-filter=true is not supported:"
                                + " Osprey always honours the gateway's subset hint");
                    }
                }
                case "endpoint-selector", "endpoint-target-ports" -> throw new IllegalArgumentException("--" + name
                        + " is not supported: Osprey serves an InferencePool (--pool-name)");
                case "resources" -> resources = Optional.of(Path.of(value));
                case "config" -> configFile = Optional.of(Path.of(value));
                default -> {
                    if (name.endsWith("-metric")) {
                        throw new IllegalArgumentException("--" + name + " is deprecated upstream and rejected; "
                                + "engine metric names are configured in the collector");
                    }
                    String why = IGNORED.get(name);
                    if (why == null && !name.startsWith("zap-")) {
                        throw new IllegalArgumentException("unknown flag --" + name + "; " + USAGE);
                    }
                    if (BOOLEAN.contains(name)) {
                        bool(name, value);
                    }
                    ignored.add("--" + name + "=" + value + " ignored: " + (why == null ? "logging is slf4j" : why));
                }
            }
        }
        if (certReload && settings.containsKey(EppConfig.TLS_CERT_FILE.name())) {
            settings.put(EppConfig.TLS_RELOAD_INTERVAL_MS.name(), String.valueOf(CERT_RELOAD_MS));
        } else if (certReload) {
            ignored.add("--enable-cert-reload=true ignored: without --cert-path the certificate is self-signed and"
                    + " never reloaded");
        }
        if (!namespaceGiven) {
            settings.put(EppConfig.POOL_NAMESPACE.name(), environment.getOrDefault("NAMESPACE", "default"));
        }
        if (schedulerText.isPresent() && settings.containsKey(EppConfig.SCHEDULER_CONFIG.name())) {
            throw new IllegalArgumentException("give at most one of --config-file and --config-text");
        }
        return new UpstreamFlags(settings, resources, configFile, schedulerText, ignored);
    }

    private static boolean isBool(String s) {
        return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
    }

    private static boolean bool(String flag, String value) {
        if (!isBool(value)) {
            throw new IllegalArgumentException("--" + flag + " must be true or false, got " + value);
        }
        return Boolean.parseBoolean(value.toLowerCase(Locale.ROOT));
    }

    private static Map<String, String> ignoredFlags() {
        Map<String, String> m = new LinkedHashMap<>();
        String collector = "the Osprey collector scrapes model servers";
        m.put("refresh-metrics-interval", collector);
        m.put("refresh-prometheus-metrics-interval", "Prometheus metrics are computed on scrape");
        m.put("model-server-metrics-scheme", collector);
        m.put("model-server-metrics-path", collector);
        m.put("model-server-metrics-port", collector);
        m.put("model-server-metrics-https-insecure-skip-verify", collector);
        m.put("ha-enable-leader-election", "Osprey replicas are active-active and share state through Kafka");
        m.put("metrics-endpoint-auth", "/metrics is served without Kubernetes authentication");
        m.put("enable-pprof", "a Go profiler; use JFR");
        m.put("health-checking", "gRPC health is always served");
        m.put("v", "logging is slf4j");
        return Map.copyOf(m);
    }
}
