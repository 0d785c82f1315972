package dev.osprey.schemas.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Holds a publisher's first send until the topics it writes to exist and every partition's leader serves them.
 * Sending earlier could let the broker create a topic with its own defaults (auto-creation: an uncompacted
 * membership topic, or an event topic whose partition count differs from the metrics topic's, which the
 * aggregator's co-partitioned topology refuses), fail a record after the producer's metadata wait, or lose a batch
 * to a partition still coming online (KAFKA-15591, brokers before 4.5). The aggregator creates the topics
 * ({@link TopicProvisioner}).
 */
public interface TopicGate extends AutoCloseable {

    /** A gate that is always open, for producers whose topics are known to be served. */
    TopicGate OPEN = timeout -> true;

    /** Waits up to {@code timeout}; true once every partition of the topics is served. */
    boolean awaitServed(Duration timeout);

    @Override
    default void close() {
    }

    /**
     * A gate asking the cluster at {@code bootstrapServers} about {@code topics}, through its own admin client
     * (client id {@code clientId}).
     */
    static TopicGate served(String bootstrapServers, String clientId, List<String> topics) {
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, clientId));
        return new TopicGate() {
            @Override
            public boolean awaitServed(Duration timeout) {
                try {
                    TopicProvisioner.awaitServed(admin, topics, timeout);
                    return true;
                } catch (IllegalStateException e) {
                    return false;
                }
            }

            @Override
            public void close() {
                admin.close(Duration.ofSeconds(1));
            }
        };
    }
}
