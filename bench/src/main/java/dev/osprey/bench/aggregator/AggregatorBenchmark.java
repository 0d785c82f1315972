package dev.osprey.bench.aggregator;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.osprey.aggregator.AggregatorConfig;
import dev.osprey.aggregator.ProcessingGuarantee;
import dev.osprey.aggregator.StateAggregator;
import dev.osprey.aggregator.topology.AggregatorMetrics;
import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicProvisioner;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The state aggregator's benchmark, on an embedded single-node broker in this JVM:
 * <ol>
 * <li><b>throughput</b>: a backlog of {@code --events} EndpointMetrics (1,000 endpoints in 50 pools) is produced
 * first, then an aggregator starts and drains it; the figure is samples applied per second from the first to the
 * last (the {@code osprey.aggregator.samples} counter), i.e. the most it sustains;</li>
 * <li><b>latency</b>: a fresh aggregator, a producer pacing {@code --rate} samples/s with {@code scrapeTimeMs} =
 * send time, and two PoolState consumers (read_uncommitted like the EPP, and read_committed) timing the arrival of
 * each sample in its first PoolState: p50/p99 of scrape time → PoolState record.</li>
 * </ol>
 * Usage: {@code java -cp bench/target/osprey-bench.jar dev.osprey.bench.aggregator.AggregatorBenchmark
 * [--events N] [--rate R] [--seconds S] [--guarantee exactly_once_v2|at_least_once]
 * [--phases throughput,latency] [--commit-ms MS]}. Bounded in time (about 1–2
 * minutes with the defaults).
 */
public final class AggregatorBenchmark {

    private static final int ENDPOINTS = 1_000;
    private static final int POOLS = 50;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(3);

    private AggregatorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args, Map.of("--events", "1000000", "--rate", "20000",
                "--seconds", "20", "--guarantee", ProcessingGuarantee.EXACTLY_ONCE_V2.configValue(),
                "--phases", "throughput,latency", "--commit-ms", AggregatorConfig.defaults("x:1").commitInterval().toMillis() + ""));
        long events = Long.parseLong(options.get("--events"));
        int rate = Integer.parseInt(options.get("--rate"));
        int seconds = Integer.parseInt(options.get("--seconds"));
        String guarantee = options.get("--guarantee");
        List<String> phases = List.of(options.get("--phases").split(","));
        Duration commit = Duration.ofMillis(Long.parseLong(options.get("--commit-ms")));
        PrintStream out = System.out;
        Path stateRoot = Files.createTempDirectory("osprey-aggregator-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            out.printf(Locale.ROOT, "broker %s, %d cores, guarantee %s%n", kafka.bootstrapServers(),
                    Runtime.getRuntime().availableProcessors(), guarantee);
            if (phases.contains("throughput")) {
                throughput(kafka, config(kafka, "tput", guarantee, stateRoot).withCommitInterval(commit), events, out);
            }
            if (phases.contains("latency")) {
                latency(kafka, config(kafka, "lat", guarantee, stateRoot).withCommitInterval(commit), rate, seconds, out);
            }
        } finally {
            deleteRecursively(stateRoot);
        }
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static AggregatorConfig config(EmbeddedKafka kafka, String name, String guarantee, Path stateRoot) {
        return AggregatorConfig.defaults(kafka.bootstrapServers()).withApplicationId("bench-" + name)
                .withTopicPrefix("bench-" + name + ".").withSchemaRegistryUrl("mock://bench-" + name)
                .with(AggregatorConfig.PROCESSING_GUARANTEE, guarantee).withTopicLayout(3, (short) 1)
                .withEndpointExpiry(Duration.ofMinutes(30)).withStateDir(stateRoot.resolve(name));
    }

    private static void throughput(EmbeddedKafka kafka, AggregatorConfig config, long events, PrintStream out)
            throws Exception {
        OspreyTopics topics = topics(config);
        TopicProvisioner.ensureTopics(kafka.bootstrapServers(), config.topicNames(), config.topicLayout());
        SampleSource source = new SampleSource(ENDPOINTS, POOLS);
        long produceStart = System.nanoTime();
        try (KafkaProducer<String, EndpointMetrics> producer = producer(kafka, topics, 20)) {
            for (long i = 0; i < events; i++) {
                EndpointMetrics sample = source.next(System.currentTimeMillis());
                producer.send(new ProducerRecord<>(topics.endpointMetrics().name(), sample.getPoolId(), sample));
            }
            producer.flush();
        }
        out.printf(Locale.ROOT, "throughput: produced a backlog of %,d samples in %.1f s%n", events,
                seconds(System.nanoTime() - produceStart));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (StateAggregator aggregator = StateAggregator.start(config, meters)) {
            List<Counter> samples = List.copyOf(meters.find(AggregatorMetrics.SAMPLES).counters());
            StreamThreadCpu cpu = new StreamThreadCpu(config.applicationId());
            long firstNanos = 0;
            long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
            double applied = 0;
            while (applied < events && System.nanoTime() < deadline) {
                applied = samples.stream().mapToDouble(Counter::count).sum();
                if (firstNanos == 0 && applied > 0) {
                    firstNanos = System.nanoTime();
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            long lastNanos = System.nanoTime();
            long cpuNanos = cpu.nanos();
            double elapsed = seconds(lastNanos - firstNanos);
            out.printf(Locale.ROOT, "throughput: applied %,.0f of %,d samples in %.2f s = %,.0f samples/s"
                    + " (%,.0f PoolState records)%n", applied, events, elapsed, applied / elapsed,
                    meters.get(AggregatorMetrics.POOL_STATES).counter().count());
            out.printf(Locale.ROOT, "throughput: stream thread CPU %.2f s = %.1f us per sample -> about %,.0f samples/s"
                    + " per fully available core (machine load average %.1f)%n", seconds(cpuNanos),
                    cpuNanos / 1e3 / applied, applied / seconds(cpuNanos),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static void latency(EmbeddedKafka kafka, AggregatorConfig config, int rate, int seconds, PrintStream out)
            throws Exception {
        OspreyTopics topics = topics(config);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (StateAggregator aggregator = StateAggregator.start(config, meters)) {
            aggregator.awaitRunning(Duration.ofSeconds(60));
            PoolStateLatencyProbe uncommitted = new PoolStateLatencyProbe(kafka.bootstrapServers(), topics.poolState(),
                    "read_uncommitted");
            PoolStateLatencyProbe committed = new PoolStateLatencyProbe(kafka.bootstrapServers(), topics.poolState(),
                    "read_committed");
            uncommitted.awaitAssignment(Duration.ofSeconds(30));
            committed.awaitAssignment(Duration.ofSeconds(30));
            Thread first = new Thread(uncommitted, "probe-uncommitted");
            Thread second = new Thread(committed, "probe-committed");
            first.start();
            second.start();
            long sent = pace(kafka, topics, rate, WARM_UP, () -> {
                uncommitted.recording(true);
                committed.recording(true);
            }, Duration.ofSeconds(seconds));
            TimeUnit.MILLISECONDS.sleep(500);
            uncommitted.recording(false);
            committed.recording(false);
            uncommitted.stop();
            committed.stop();
            first.join();
            second.join();
            out.printf(Locale.ROOT, "latency: %,d samples at %,d/s for %d s after %d s warm-up, emit interval %d ms,"
                    + " commit interval %d ms%n", sent, rate, seconds, WARM_UP.toSeconds(),
                    config.emitInterval().toMillis(), config.commitInterval().toMillis());
            report(out, "read_uncommitted (EPP)", uncommitted);
            report(out, "read_committed", committed);
            Timer produced = meters.get(AggregatorMetrics.END_TO_END_LATENCY).timer();
            out.printf(Locale.ROOT, "latency inside the aggregator (scrape -> PoolState produced, whole run incl. warm-up):"
                    + " mean %.0f ms, max %.0f ms over %,d samples; samples applied %,.0f of %,d sent%n",
                    produced.mean(TimeUnit.MILLISECONDS), produced.max(TimeUnit.MILLISECONDS), produced.count(),
                    meters.find(AggregatorMetrics.SAMPLES).counters().stream().mapToDouble(Counter::count).sum(), sent);
        }
    }

    private static void report(PrintStream out, String label, PoolStateLatencyProbe probe) {
        long[] sorted = probe.sorted();
        out.printf(Locale.ROOT, "latency %-23s scrape -> PoolState: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms"
                + " (%,d samples timed, %,d PoolState records)%n", label, PoolStateLatencyProbe.percentile(sorted, 0.5),
                PoolStateLatencyProbe.percentile(sorted, 0.9), PoolStateLatencyProbe.percentile(sorted, 0.99),
                sorted.length == 0 ? -1 : sorted[sorted.length - 1], sorted.length, probe.poolStates());
    }

    /** Sends {@code rate} samples/s in 5 ms slices for warm-up plus measured time; returns samples sent. */
    private static long pace(EmbeddedKafka kafka, OspreyTopics topics, int rate, Duration warmUp, Runnable onMeasure,
            Duration measured) throws InterruptedException {
        SampleSource source = new SampleSource(ENDPOINTS, POOLS);
        long sliceNanos = TimeUnit.MILLISECONDS.toNanos(5);
        long start = System.nanoTime();
        long warmEnd = start + warmUp.toNanos();
        long end = warmEnd + measured.toNanos();
        long sent = 0;
        boolean measuring = false;
        try (KafkaProducer<String, EndpointMetrics> producer = producer(kafka, topics, 1)) {
            for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                if (!measuring && now >= warmEnd) {
                    onMeasure.run();
                    measuring = true;
                }
                long due = (long) ((now - start) / 1e9 * rate);
                while (sent < due) {
                    EndpointMetrics sample = source.next(System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(topics.endpointMetrics().name(), sample.getPoolId(), sample));
                    sent++;
                }
                TimeUnit.NANOSECONDS.sleep(sliceNanos - (System.nanoTime() - now) % sliceNanos);
            }
            producer.flush();
        }
        return sent;
    }

    private static OspreyTopics topics(AggregatorConfig config) {
        return OspreyTopics.create(config.topicNames(), SchemaRegistries.fromUrl(config.schemaRegistryUrl()));
    }

    private static KafkaProducer<String, EndpointMetrics> producer(EmbeddedKafka kafka, OspreyTopics topics,
            int lingerMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        return new KafkaProducer<>(props, topics.endpointMetrics().keySerde().serializer(),
                topics.endpointMetrics().valueSerde().serializer());
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
