package dev.osprey.schemas.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

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

    /** How often {@link #awaitServedWhile} reports that it is still waiting. */
    Duration NOTE_EVERY = Duration.ofSeconds(10);
    /** How long {@link #awaitServedWhile} lets one question take, which bounds how long it notices a stop late. */
    Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

    /** One question, answered within {@code timeout}: true when every partition of the topics is served. */
    boolean awaitServed(Duration timeout);

    /**
     * Asks until the topics are served or {@code keepWaiting} turns false, pausing between questions as
     * {@link TopicProvisioner.Backoff} says (about once a second after the first few) and running
     * {@code stillWaiting} every {@link #NOTE_EVERY} of waiting; closes the gate when done, as it is not asked again.
     *
     * @return true when served, false when {@code keepWaiting} turned false (or the thread was interrupted) first
     */
    default boolean awaitServedWhile(BooleanSupplier keepWaiting, Runnable stillWaiting) {
        TopicProvisioner.Backoff backoff = new TopicProvisioner.Backoff();
        long nextNote = System.nanoTime() + NOTE_EVERY.toNanos();
        try (this) {
            while (keepWaiting.getAsBoolean()) {
                if (awaitServed(ANSWER_TIMEOUT)) {
                    return true;
                }
                if (System.nanoTime() - nextNote >= 0 && keepWaiting.getAsBoolean()) {
                    nextNote = System.nanoTime() + NOTE_EVERY.toNanos();
                    stillWaiting.run();
                }
                if (!backoff.pause(Long.MAX_VALUE)) {
                    return false;
                }
            }
            return false;
        }
    }

    @Override
    default void close() {
    }

    /**
     * A gate asking the cluster at {@code bootstrapServers} about {@code topics} ({@link TopicProvisioner#servedNow}),
     * through its own admin client (client id {@code clientId}).
     */
    static TopicGate served(String bootstrapServers, String clientId, List<String> topics) {
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, clientId));
        return new TopicGate() {
            @Override
            public boolean awaitServed(Duration timeout) {
                return TopicProvisioner.servedNow(admin, topics, timeout).isEmpty();
            }

            @Override
            public void close() {
                admin.close(Duration.ofSeconds(1));
            }
        };
    }
}
