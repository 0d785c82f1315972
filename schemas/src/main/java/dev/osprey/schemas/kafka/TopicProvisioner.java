package dev.osprey.schemas.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Osprey's topics when they are missing, with the cleanup policy each needs (DESIGN.md section 3):
 * membership and pool state are compacted, the event streams are deleted by time. Existing topics are left as
 * they are.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /** How many partitions and replicas new topics get. */
    public record Layout(int partitions, short replicationFactor) {

        public Layout {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
            }
            if (replicationFactor < 1) {
                throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
            }
        }
    }

    /** The topics of {@code names} with their configurations, ready for {@link Admin#createTopics}. */
    public static List<NewTopic> topics(TopicNames names, Layout layout) {
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0", TopicConfig.SEGMENT_MS_CONFIG, "600000");
        Map<String, String> events = Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(TimeUnit.HOURS.toMillis(24)));
        List<NewTopic> topics = new ArrayList<>();
        topics.add(topic(names.endpointMetrics(), layout, Map.of(TopicConfig.RETENTION_MS_CONFIG,
                String.valueOf(TimeUnit.HOURS.toMillis(1)))));
        topics.add(topic(names.endpoints(), layout, compacted));
        topics.add(topic(names.poolState(), layout, compacted));
        topics.add(topic(names.routingDecisions(), layout, events));
        topics.add(topic(names.requestOutcomes(), layout, events));
        topics.add(topic(names.poolStats(), layout, events));
        topics.add(topic(names.deadLetters(), layout, Map.of(TopicConfig.RETENTION_MS_CONFIG,
                String.valueOf(TimeUnit.DAYS.toMillis(7)))));
        return topics;
    }

    /**
     * Creates every missing topic of {@code names} on the cluster at {@code bootstrapServers}.
     *
     * @return the names that were created by this call
     * @throws IllegalStateException naming the topic when creation fails for another reason than existing
     */
    public static Set<String> ensureTopics(String bootstrapServers, TopicNames names, Layout layout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> created = new java.util.TreeSet<>();
            var result = admin.createTopics(topics(names, layout));
            for (var entry : result.values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException("timed out creating topic " + entry.getKey(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted creating topic " + entry.getKey(), e);
                }
            }
            return created;
        }
    }

    private static NewTopic topic(String name, Layout layout, Map<String, String> configs) {
        return new NewTopic(name, layout.partitions(), layout.replicationFactor()).configs(configs);
    }
}
