package dev.osprey.schemas.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Osprey's topics when they are missing, with the cleanup policy each needs (DESIGN.md section 3):
 * membership and pool state are compacted, the event streams are deleted by time. Existing topics are left as
 * they are. A topic created here is returned only once every partition's leader serves it, because brokers before
 * Kafka 4.5 can silently drop an idempotent producer's first batch to a partition that is still coming online
 * (KAFKA-15591): the batch is refused as not led, a later batch is appended, and every retry of the first is then
 * out of order until it expires, holding the partition's later records back meanwhile.
 */
public final class TopicProvisioner {

    /** How long a new topic may take to be served by its partitions' leaders. */
    public static final Duration SERVED_TIMEOUT = Duration.ofSeconds(30);

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
        return ensure(bootstrapServers, topics(names, layout));
    }

    /** {@link #ensure(Admin, List)} through an admin client of its own. */
    public static Set<String> ensure(String bootstrapServers, List<NewTopic> topics) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            return ensure(admin, topics);
        }
    }

    /**
     * Creates those of {@code topics} that the cluster does not have, and returns once each created topic is
     * served. Only missing topics are asked for: a cluster whose operators made the topics beforehand need not grant
     * this principal CREATE (a CreateTopics request for an existing topic can fail authorization).
     *
     * @return the names that were created by this call
     * @throws IllegalStateException naming the topic when creation fails for another reason than existing
     */
    public static Set<String> ensure(Admin admin, List<NewTopic> topics) {
        Set<String> existing = existingTopics(admin);
        List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
        Set<String> created = new TreeSet<>();
        if (missing.isEmpty()) {
            return created;
        }
        for (var entry : admin.createTopics(missing).values().entrySet()) {
            try {
                entry.getValue().get(30, TimeUnit.SECONDS);
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException
                        || e.getCause() instanceof ClusterAuthorizationException) {
                    throw new IllegalStateException("cannot create topic " + entry.getKey() + ": not authorized;"
                            + " grant CREATE or create the topic beforehand (docs/operations.md, Topics)",
                            e.getCause());
                }
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
        awaitServed(admin, created, SERVED_TIMEOUT);
        return created;
    }

    private static Set<String> existingTopics(Admin admin) {
        try {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the cluster's topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted listing the cluster's topics", e);
        }
    }

    /**
     * Returns once the leader of every partition of {@code topics} answers a ListOffsets request for it, which it
     * does only after it has taken the partition on; until then the metadata may already name it as leader. Asks
     * with {@link #servedNow}, pausing as {@link Backoff} says between questions.
     *
     * @throws IllegalStateException naming the topics when they are not served within {@code timeout}
     */
    public static void awaitServed(Admin admin, Collection<String> topics, Duration timeout) {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Backoff backoff = new Backoff();
        while (true) {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            Optional<KafkaException> problem = leftMs <= 0 ? Optional.of(new KafkaException("no time left"))
                    : servedNow(admin, topics, Duration.ofMillis(leftMs));
            if (problem.isEmpty()) {
                return;
            }
            long leftNowMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftNowMs <= 0 || !backoff.pause(leftNowMs)) {
                throw new IllegalStateException("topics " + new TreeSet<>(topics) + " not served by their leaders"
                        + " within " + timeout.toSeconds() + " s: " + problem.get().getMessage(), problem.get());
            }
        }
    }

    /**
     * One question: whether every partition of {@code topics} is served now, answered within {@code answerTimeout}.
     *
     * @return empty when served, else why not (a missing topic, a partition not yet led, no answer)
     */
    public static Optional<KafkaException> servedNow(Admin admin, Collection<String> topics, Duration answerTimeout) {
        long answerMs = Math.max(1, answerTimeout.toMillis());
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(answerMs, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(
                    p -> partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            admin.listOffsets(partitions).all().get(answerMs, TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause()));
        } catch (TimeoutException e) {
            return Optional.of(new KafkaException("no answer within " + answerMs + " ms", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(new KafkaException("interrupted", e));
        }
    }

    /**
     * The pauses between questions about topics: 20 ms, then twice as long each time, up to a second, so a short
     * wait for a new topic is answered fast and a long wait for another service costs the cluster about one question
     * a second.
     */
    public static final class Backoff {
        private static final long FIRST_MS = 20;
        private static final long MAX_MS = 1_000;
        private long nextMs = FIRST_MS;

        /** Sleeps the next pause, at most {@code limitMs}; false when interrupted (the flag is set again). */
        public boolean pause(long limitMs) {
            try {
                Thread.sleep(Math.max(1, Math.min(nextMs, limitMs)));
                nextMs = Math.min(MAX_MS, nextMs * 2);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static NewTopic topic(String name, Layout layout, Map<String, String> configs) {
        return new NewTopic(name, layout.partitions(), layout.replicationFactor()).configs(configs);
    }
}
