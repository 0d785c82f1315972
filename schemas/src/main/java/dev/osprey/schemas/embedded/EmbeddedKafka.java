package dev.osprey.schemas.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker (combined broker and controller) running in this JVM, with the replication
 * factors a one-node cluster needs so consumer groups, transactions and Kafka Streams work. Starting takes about
 * two seconds. Not thread-safe for start/close; {@link #bootstrapServers()} may be read from any thread.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final Path ownedDirectory;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Path ownedDirectory) {
        this.cluster = cluster;
        this.ownedDirectory = ownedDirectory;
    }

    /** Formats and starts a broker in a fresh temporary directory that is deleted on {@link #close()}. */
    public static EmbeddedKafka start() {
        return start(null, Map.of());
    }

    /**
     * Starts a broker.
     *
     * @param baseDirectory where logs go, kept on close; {@code null} for a temporary directory removed on close
     * @param brokerProperties extra broker settings, applied last
     * @throws EmbeddedKafkaException when the broker cannot be formatted or started
     */
    public static EmbeddedKafka start(Path baseDirectory, Map<String, String> brokerProperties) {
        // Our own directory, removed by close(): the test kit's temporary directories are deleted by a JVM
        // shutdown hook that races the broker's own shutdown when the process is stopped with Ctrl-C.
        Path owned = null;
        KafkaClusterTestKit cluster = null;
        try {
            if (baseDirectory == null) {
                owned = Files.createTempDirectory("osprey-kafka");
            }
            TestKitNodes.Builder nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                    .setNumControllerNodes(1).setBaseDirectory(baseDirectory == null ? owned : baseDirectory);
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build())
                    .setDeleteOnClose(false)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                    .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
            brokerProperties.forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster, owned);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(cluster, e);
            deleteQuietly(owned, e);
            throw new EmbeddedKafkaException("interrupted while starting the embedded broker", e);
        } catch (Exception e) {
            closeQuietly(cluster, e);
            deleteQuietly(owned, e);
            throw new EmbeddedKafkaException("cannot start the embedded broker: " + e.getMessage(), e);
        }
    }

    /** The {@code host:port} list clients connect to. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            cluster.close();
            if (ownedDirectory != null) {
                TempDirectory.deleteTree(ownedDirectory);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("interrupted while stopping the embedded broker", e);
        } catch (Exception e) {
            throw new EmbeddedKafkaException("cannot stop the embedded broker cleanly: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path directory, Exception primary) {
        if (directory == null) {
            return;
        }
        try {
            TempDirectory.deleteTree(directory);
        } catch (IOException suppressed) {
            primary.addSuppressed(suppressed);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception primary) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception suppressed) {
            primary.addSuppressed(suppressed);
        }
    }
}
