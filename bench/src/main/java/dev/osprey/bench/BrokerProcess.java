package dev.osprey.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.launch.ChildJvm;

/**
 * The benchmark's Kafka broker in a JVM of its own, as in a deployment, where the broker never shares the EPP's
 * heap, garbage collector or JIT compiler (used by the EPP and aggregator benchmarks through {@link BenchBroker}). It still shares the machine's cores, and its CPU time is counted with
 * the slice it falls in ({@link #cpuNanos}). The child writes its bootstrap address to a file and runs until its
 * standard input closes. Close once.
 */
public final class BrokerProcess implements AutoCloseable {

    private static volatile ProcessHandle running;

    private final Process process;
    private final String bootstrapServers;

    private BrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the child JVM and waits (up to a minute) until its broker accepts connections.
     *
     * @param lowPriority run the child under {@code nice -n 19}, so the broker's work yields the cores to the
     *     servers whenever they are runnable — an approximation of a broker on machines of its own
     */
    public static BrokerProcess start(boolean lowPriority) throws IOException, InterruptedException {
        Path log = Files.createTempFile("osprey-bench-broker", ".log");
        Path address = Files.createTempFile("osprey-bench-broker", ".address");
        Files.delete(address);
        Process process = ChildJvm.of(BrokerProcess.class, "512m").start(
                lowPriority ? List.of("nice", "-n", "19") : List.of(), List.of(address.toString()), Map.of(), log);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!Files.exists(address)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("the broker process did not start within a minute; see " + log);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        running = process.toHandle();
        System.out.println("broker in its own JVM (pid " + process.pid() + (lowPriority ? ", nice 19" : "")
                + ", log " + log + ")");
        return new BrokerProcess(process, Files.readString(address).trim());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** CPU time the running child broker has used so far, 0 when there is none or the platform does not say. */
    public static long cpuNanos() {
        ProcessHandle handle = running;
        return handle == null ? 0 : handle.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    @Override
    public void close() throws InterruptedException {
        try (OutputStream in = process.getOutputStream()) {
            in.flush(); // closing stdin asks the child to stop its broker
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        running = null;
    }

    /** The child: one embedded broker, its address written to the file {@code args[0]}, until stdin closes. */
    public static void main(String[] args) throws IOException {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Path address = Path.of(args[0]);
            Path partial = address.resolveSibling(address.getFileName() + ".partial");
            Files.writeString(partial, kafka.bootstrapServers());
            Files.move(partial, address, StandardCopyOption.ATOMIC_MOVE);
            while (System.in.read() >= 0) {
                // wait for EOF
            }
        }
    }
}
