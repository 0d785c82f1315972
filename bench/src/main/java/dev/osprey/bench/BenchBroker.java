package dev.osprey.bench;

import java.io.IOException;
import java.util.List;

import dev.osprey.schemas.embedded.EmbeddedKafka;

/**
 * The Kafka broker of a benchmark run, by mode: {@code process} (a JVM of its own, {@link BrokerProcess}, as
 * deployed: its garbage collection and compilation never pause the measured JVM; it still shares the cores, and
 * its CPU is counted through {@link BrokerProcess#cpuNanos}), {@code process-nice} (the same under
 * {@code nice -n 19}: it yields the cores whenever a measured thread is runnable, approximating a broker on
 * machines of its own) or {@code in-process} (embedded in the measured JVM).
 */
public record BenchBroker(String bootstrapServers, AutoCloseable owner) implements AutoCloseable {

    /** The modes {@link #start} accepts. */
    public static final List<String> MODES = List.of("process", "process-nice", "in-process");

    /**
     * Starts a broker in {@code mode}.
     *
     * @throws IllegalArgumentException for an unknown mode
     */
    public static BenchBroker start(String mode) throws IOException, InterruptedException {
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("broker must be one of " + MODES + ", got " + mode);
        }
        if (!mode.equals("in-process")) {
            BrokerProcess process = BrokerProcess.start(mode.equals("process-nice"));
            return new BenchBroker(process.bootstrapServers(), process);
        }
        EmbeddedKafka embedded = EmbeddedKafka.start();
        System.out.println("broker embedded in this JVM");
        return new BenchBroker(embedded.bootstrapServers(), embedded);
    }

    @Override
    public void close() throws Exception {
        owner.close();
    }
}
