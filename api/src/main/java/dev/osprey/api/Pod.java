package dev.osprey.api;

import java.util.Optional;

/**
 * The part of a Pod discovery needs. A pod is routable when it has an IP, is Ready and is not terminating.
 */
public record Pod(ResourceMeta meta, Optional<String> podIp, boolean ready, boolean terminating) {

    /** The label naming the serving engine (vllm, sglang, trtllm-serve, triton). */
    public static final String ENGINE_LABEL = "inference.networking.k8s.io/engine-type";

    public boolean routable() {
        return podIp.isPresent() && ready && !terminating;
    }

    /** The engine from {@link #ENGINE_LABEL}, {@code vllm} when absent. */
    public String engine() {
        return meta.labels().getOrDefault(ENGINE_LABEL, "vllm");
    }
}
