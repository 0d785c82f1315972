package dev.osprey.aggregator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The Kafka Streams processing guarantees the aggregator supports, by their Streams config value. */
public enum ProcessingGuarantee {
    AT_LEAST_ONCE("at_least_once"),
    EXACTLY_ONCE_V2("exactly_once_v2");

    private final String configValue;

    ProcessingGuarantee(String configValue) {
        this.configValue = configValue;
    }

    /** The value of Kafka Streams' {@code processing.guarantee}. */
    public String configValue() {
        return configValue;
    }

    /** @throws IllegalArgumentException listing the accepted values when {@code text} is none of them */
    static ProcessingGuarantee parse(String text) {
        for (ProcessingGuarantee guarantee : values()) {
            if (guarantee.configValue.equals(text.trim())) {
                return guarantee;
            }
        }
        throw new IllegalArgumentException("expected one of " + Arrays.stream(values())
                .map(ProcessingGuarantee::configValue).collect(Collectors.joining(", ")) + ", got '" + text + "'");
    }
}
