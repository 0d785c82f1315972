package dev.osprey.aggregator;

import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The aggregator's own output topic {@code <prefix>prefix-index}: compacted like pool state, with room for large
 * snapshots ({@value #MAX_MESSAGE_BYTES} bytes). Created with the other Osprey topics by {@code TopicProvisioner}.
 */
final class PrefixIndexTopic {

    /** Largest prefix-index record accepted by the topic and sent by the producer. */
    static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private PrefixIndexTopic() {
    }

    /** The topic as {@code config} names and lays it out, ready for {@code TopicProvisioner.ensure}. */
    static NewTopic topic(AggregatorConfig config) {
        return new NewTopic(config.prefixIndexTopic(), config.topicPartitions(), config.topicReplicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0",
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_MESSAGE_BYTES)));
    }
}
