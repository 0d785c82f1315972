package dev.osprey.collector.parse;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Selects the series of one metric family that carries a signal: the family name, labels that must match exactly,
 * and whether the signal is the sample value or the value of a label (such as {@code block_size} on
 * {@code vllm:cache_config_info}). Other labels (such as vLLM's {@code model_name} and {@code engine}) are ignored.
 */
public record SeriesSelector(Signal signal, String metric, Map<String, String> labels, Optional<String> valueLabel) {

    public SeriesSelector {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(metric, "metric");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(valueLabel, "valueLabel");
        if (metric.isEmpty() || metric.chars().anyMatch(c -> c == '{' || c == ' ' || c == '\n' || c > 0x7e)) {
            throw new IllegalArgumentException("invalid metric name: '" + metric + "'");
        }
    }

    /** The sample value of any series of {@code metric}. */
    public static SeriesSelector value(Signal signal, String metric) {
        return new SeriesSelector(signal, metric, Map.of(), Optional.empty());
    }

    /** The sample value of the series of {@code metric} whose label {@code label} equals {@code labelValue}. */
    public static SeriesSelector value(Signal signal, String metric, String label, String labelValue) {
        return new SeriesSelector(signal, metric, Map.of(label, labelValue), Optional.empty());
    }

    /** The number in label {@code valueLabel} of any series of {@code metric}. */
    public static SeriesSelector label(Signal signal, String metric, String valueLabel) {
        return new SeriesSelector(signal, metric, Map.of(), Optional.of(valueLabel));
    }
}
