package dev.osprey.collector.parse;

import java.util.Locale;
import java.util.Optional;

/** The model-server engines whose metric names the collector knows (DESIGN.md section 4). */
public enum EngineType {
    VLLM("vllm"),
    SGLANG("sglang"),
    TRTLLM_SERVE("trtllm-serve"),
    TRITON("triton");

    private final String label;

    EngineType(String label) {
        this.label = label;
    }

    /** The value of the pod label {@code inference.networking.k8s.io/engine-type} naming this engine. */
    public String label() {
        return label;
    }

    /**
     * The engine named by a pod's engine-type label, case-insensitive; upstream's {@code triton-tensorrt-llm} also
     * means {@link #TRITON}. Empty for an unknown name.
     */
    public static Optional<EngineType> fromLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String value = label.trim().toLowerCase(Locale.ROOT);
        for (EngineType engine : values()) {
            if (engine.label.equals(value)) {
                return Optional.of(engine);
            }
        }
        return value.equals("triton-tensorrt-llm") ? Optional.of(TRITON) : Optional.empty();
    }
}
