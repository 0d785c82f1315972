package dev.osprey.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;

import dev.osprey.aggregator.topology.AggregatorMetrics;
import dev.osprey.aggregator.topology.DeadLetterHandler;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

    @Test
    void tunesStreamsForLowLatencyAndRoutesPoisonRecordsToTheDeadLetterTopic() {
        AggregatorConfig config = AggregatorConfig.defaults("b:1").withTopicPrefix("t.")
                .withProcessingGuarantee(ProcessingGuarantee.EXACTLY_ONCE_V2).withCommitInterval(Duration.ofMillis(50));

        Properties props = StreamsProperties.of(config, "10.1.2.3:8080", AggregatorMetrics.noop());

        assertThat(props.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)).as("only stores built with caching use it")
                .isEqualTo(StreamsProperties.STATE_STORE_CACHE_BYTES);
        assertThat(props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(50L);
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat((Integer) props.get(StreamsConfig.producerPrefix("linger.ms"))).isLessThanOrEqualTo(5);
        assertThat((Integer) props.get(StreamsConfig.consumerPrefix("fetch.max.wait.ms"))).isLessThanOrEqualTo(10);
        assertThat(props.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("t.dead-letters");
        assertThat(props.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterHandler.class.getName());
        assertThat(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("10.1.2.3:8080");
        assertThat(new StreamsConfig(props).getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("osprey-aggregator");
        assertThat(new StreamsConfig(props).getMainConsumerConfigs("osprey-aggregator", "c", 0))
                .as("the assignor's own StreamsConfig sees the flag too, so Streams does not warn at start")
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        assertThat(StreamsProperties.of(config, "", AggregatorMetrics.noop()))
                .doesNotContainKey(StreamsConfig.APPLICATION_SERVER_CONFIG);
    }
}
