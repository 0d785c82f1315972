package dev.osprey.allinone;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import dev.osprey.sim.SimConfig;
import dev.osprey.sim.engine.LatencyProfile;

/**
 * How the all-in-one's model-server simulators are configured; every simulator of the pool gets the same settings.
 * The constructor validates every field and names the command-line flag in its message.
 *
 * @param addressBase the first loopback address simulators bind (each gets the next one)
 * @param profile engine profile name ({@code test}, {@code h100-8b}, {@code h100x8-70b}, {@code l40s-3b})
 * @param kvBlocks KV-cache blocks (16 tokens each) per simulator; 0 for the profile's own
 * @param maxLoras LoRA adapters resident at once per simulator
 * @param loraAdapters adapters every simulator serves from start-up (requests may name them as the model)
 * @param loraLoadTime time to load an adapter into a slot
 * @param maxModelLen longest prompt plus {@code max_tokens} a simulator accepts
 * @param slowdown every engine time (the profile's step costs and overhead, adapter loads) multiplied by this
 *     ({@link LatencyProfile#slowedBy}); 1 = the profile as published
 */
public record SimulatorSettings(String addressBase, String profile, int kvBlocks, int maxLoras,
        List<String> loraAdapters, Duration loraLoadTime, int maxModelLen, double slowdown) {

    public SimulatorSettings {
        Objects.requireNonNull(addressBase, "addressBase");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(loraLoadTime, "loraLoadTime");
        loraAdapters = List.copyOf(loraAdapters);
        if (!addressBase.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("--sim-address must be an IPv4 address, got " + addressBase);
        }
        if (LatencyProfile.byName(profile).isEmpty()) {
            throw new IllegalArgumentException("--sim-profile: unknown profile '" + profile + "' (known: "
                    + LatencyProfile.BUILT_IN.stream().map(LatencyProfile::name).collect(Collectors.joining(", "))
                    + ")");
        }
        if (kvBlocks < 0) {
            throw new IllegalArgumentException("--sim-kv-blocks must be 0 (the profile's) or more, got " + kvBlocks);
        }
        if (maxLoras < 1) {
            throw new IllegalArgumentException("--sim-max-loras must be 1 or more, got " + maxLoras);
        }
        for (String adapter : loraAdapters) {
            if (adapter == null || adapter.isBlank() || adapter.contains(",")) {
                throw new IllegalArgumentException("--sim-lora-adapters: names must be non-blank, got '" + adapter
                        + "'");
            }
        }
        if (loraLoadTime.isNegative()) {
            throw new IllegalArgumentException("--sim-lora-load-ms must not be negative, got "
                    + loraLoadTime.toMillis());
        }
        if (maxModelLen < 2) {
            throw new IllegalArgumentException("--sim-max-model-len must be 2 or more, got " + maxModelLen);
        }
        if (!(slowdown >= 1 && slowdown <= 100)) {
            throw new IllegalArgumentException("--sim-slowdown must be in [1, 100], got " + slowdown);
        }
    }

    /** The documented defaults: from 127.0.0.11, profile {@code test}, its KV blocks, 4 LoRA slots, no adapters. */
    public static SimulatorSettings defaults() {
        return new SimulatorSettings("127.0.0.11", "test", 0, 4, List.of(), Duration.ofMillis(5), 8192, 1);
    }

    public SimulatorSettings withAddressBase(String v) {
        return new SimulatorSettings(v, profile, kvBlocks, maxLoras, loraAdapters, loraLoadTime, maxModelLen,
                slowdown);
    }

    public SimulatorSettings withProfile(String v) {
        return new SimulatorSettings(addressBase, v, kvBlocks, maxLoras, loraAdapters, loraLoadTime, maxModelLen,
                slowdown);
    }

    public SimulatorSettings withKvBlocks(int v) {
        return new SimulatorSettings(addressBase, profile, v, maxLoras, loraAdapters, loraLoadTime, maxModelLen,
                slowdown);
    }

    public SimulatorSettings withMaxLoras(int v) {
        return new SimulatorSettings(addressBase, profile, kvBlocks, v, loraAdapters, loraLoadTime, maxModelLen,
                slowdown);
    }

    public SimulatorSettings withLoraAdapters(List<String> v) {
        return new SimulatorSettings(addressBase, profile, kvBlocks, maxLoras, v, loraLoadTime, maxModelLen,
                slowdown);
    }

    public SimulatorSettings withLoraLoadTime(Duration v) {
        return new SimulatorSettings(addressBase, profile, kvBlocks, maxLoras, loraAdapters, v, maxModelLen,
                slowdown);
    }

    public SimulatorSettings withMaxModelLen(int v) {
        return new SimulatorSettings(addressBase, profile, kvBlocks, maxLoras, loraAdapters, loraLoadTime, v,
                slowdown);
    }

    public SimulatorSettings withSlowdown(double v) {
        return new SimulatorSettings(addressBase, profile, kvBlocks, maxLoras, loraAdapters, loraLoadTime, maxModelLen,
                v);
    }

    /** The configuration of one simulator bound to {@code host:port} serving {@code modelName}. */
    public SimConfig simConfig(String host, int port, String modelName) {
        SimConfig c = SimConfig.defaults(host, port, modelName)
                .withProfile(LatencyProfile.byName(profile).orElseThrow().slowedBy(slowdown));
        if (kvBlocks > 0) {
            c = c.withNumGpuBlocks(kvBlocks);
        }
        return c.withMaxLoras(maxLoras).withLoraAdapters(loraAdapters)
                .withLoraLoadTime(LatencyProfile.slowed(loraLoadTime, slowdown))
                .withMaxModelLen(maxModelLen);
    }
}
