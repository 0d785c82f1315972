package dev.osprey.aggregator;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.osprey.schemas.kafka.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the aggregator's own output topic {@code <prefix>prefix-index} when missing: compacted like pool state,
 * with room for large snapshots ({@value #MAX_MESSAGE_BYTES} bytes). The other Osprey topics come from
 * {@code TopicProvisioner}.
 */
final class PrefixIndexTopic {

    /** Largest prefix-index record accepted by the topic and sent by the producer. */
    static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private PrefixIndexTopic() {
    }

    /** @throws IllegalStateException when the topic is missing and cannot be created */
    static void ensure(AggregatorConfig config) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        NewTopic topic = new NewTopic(config.prefixIndexTopic(), config.topicPartitions(),
                config.topicReplicationFactor()).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0",
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_MESSAGE_BYTES)));
        try (Admin admin = Admin.create(props)) {
            if (TopicProvisioner.existingTopics(admin).contains(topic.name())) {
                return; // made beforehand: no CREATE needed
            }
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            TopicProvisioner.awaitServed(admin, List.of(topic.name()), TopicProvisioner.SERVED_TIMEOUT);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + topic.name() + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
        }
    }
}
