package dev.osprey.bench.aggregator;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
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
import dev.osprey.bench.BenchBroker;
import dev.osprey.bench.BrokerProcess;
import dev.osprey.bench.GcPauses;
import dev.osprey.bench.ThreadCpu;
import dev.osprey.schemas.embedded.TempDirectory;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicProvisioner;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The state aggregator's benchmark, on an embedded single-node broker in this JVM, with 1,000 endpoints in 50 pools
 * whose samples are produced as pre-serialised bytes ({@link WireSamples}):
 * <ol>
 * <li><b>throughput</b>: a backlog of {@code --events} samples is produced first, then an aggregator starts and
 * drains it; the figure is samples applied per second from the first to the last (the
 * {@code osprey.aggregator.samples} counter), i.e. the most it processes, with the stream thread's CPU time per
 * sample over the same window;</li>
 * <li><b>latency</b>: a fresh aggregator, a producer pacing {@code --rate} samples/s with {@code scrapeTimeMs} =
 * send time, and a PoolState consumer (read_uncommitted, like the EPP; with {@code --committed-probe true} a second,
 * read_committed one, like analytics consumers) timing the arrival of each sample in its first PoolState: p50/p99
 * of scrape time → PoolState record. Every consumer decodes every PoolState on the same two cores, so the second
 * one is opt-in. It also reports whether the rate
 * was sustained: samples applied per second while sending, and the backlog left when sending stopped;</li>
 * <li><b>sustain</b>: the latency phase without consumers, for rates where only keeping up matters.</li>
 * </ol>
 * Usage: {@code java -cp bench/target/osprey-bench.jar dev.osprey.bench.aggregator.AggregatorBenchmark
 * [--events N] [--rate R] [--seconds S] [--guarantee exactly_once_v2|at_least_once]
 * [--phases throughput,latency,sustain] [--commit-ms MS] [--partitions P] [--threads T] [--warmup S]
 * [--committed-probe true|false] [--broker in-process|process|process-nice]} (the broker embedded in this JVM,
 * the default, or in a JVM of its own as deployed: see {@link BenchBroker}; its CPU is then added to the whole-JVM
 * figure and listed as {@code broker JVM}). Phases run in the given order in one JVM, so later ones run on warmed-up code:
 * the broker, Streams and the clients are a large code base, and the JIT compilers keep a good part of a core busy
 * for the first minute or two (the CPU breakdown names them), so a throughput phase of a million samples or more
 * before a paced phase is the warm-up that separates steady state from start-up. Bounded in time.
 */
public final class AggregatorBenchmark {

    private static final int ENDPOINTS = 1_000;
    private static final int POOLS = 50;
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(3);
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(20);

    private AggregatorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args, Map.ofEntries(Map.entry("--events", "1000000"),
                Map.entry("--rate", "20000"), Map.entry("--seconds", "20"),
                Map.entry("--guarantee", ProcessingGuarantee.EXACTLY_ONCE_V2.configValue()),
                Map.entry("--phases", "throughput,latency"),
                Map.entry("--commit-ms", AggregatorConfig.defaults("x:1").commitInterval().toMillis() + ""),
                Map.entry("--partitions", "3"), Map.entry("--threads", "1"), Map.entry("--warmup", "30"),
                Map.entry("--committed-probe", "false"), Map.entry("--broker", "in-process")));
        long events = Long.parseLong(options.get("--events"));
        int rate = Integer.parseInt(options.get("--rate"));
        int seconds = Integer.parseInt(options.get("--seconds"));
        String guarantee = options.get("--guarantee");
        List<String> phases = List.of(options.get("--phases").split(","));
        Duration commit = Duration.ofMillis(Long.parseLong(options.get("--commit-ms")));
        int partitions = Integer.parseInt(options.get("--partitions"));
        int threads = Integer.parseInt(options.get("--threads"));
        Duration warmUp = Duration.ofSeconds(Long.parseLong(options.get("--warmup")));
        boolean committedProbe = Boolean.parseBoolean(options.get("--committed-probe"));
        PrintStream out = System.out;
        Path stateRoot = Files.createTempDirectory("osprey-aggregator-bench");
        try (BenchBroker kafka = BenchBroker.start(options.get("--broker"))) {
            out.printf(Locale.ROOT, "broker %s, %d cores, guarantee %s, commit interval %d ms, %d partitions,"
                    + " %d stream thread(s), load average %.2f%n", kafka.bootstrapServers(),
                    Runtime.getRuntime().availableProcessors(), guarantee, commit.toMillis(), partitions, threads,
                    loadAverage());
            for (String phase : phases) {
                AggregatorConfig config = config(kafka, phase, guarantee, stateRoot, partitions, threads)
                        .withCommitInterval(commit);
                switch (phase) {
                    case "throughput" -> throughput(kafka, config, events, out);
                    case "latency" -> paced(kafka, config, rate, warmUp, seconds, true, committedProbe, out);
                    case "sustain" -> paced(kafka, config, rate, warmUp, seconds, false, false, out);
                    default -> throw new IllegalArgumentException("unknown phase " + phase
                            + "; known: throughput, latency, sustain");
                }
            }
        } finally {
            TempDirectory.deleteTree(stateRoot);
        }
    }

    private static AggregatorConfig config(BenchBroker kafka, String name, String guarantee, Path stateRoot,
            int partitions, int threads) {
        return AggregatorConfig.defaults(kafka.bootstrapServers()).withApplicationId("bench-" + name)
                .withTopicPrefix("bench-" + name + ".").withSchemaRegistryUrl("mock://bench-" + name)
                .with(AggregatorConfig.PROCESSING_GUARANTEE, guarantee).withTopicLayout(partitions, (short) 1)
                .withNumStreamThreads(threads).withEndpointExpiry(Duration.ofMinutes(30))
                .withStateDir(stateRoot.resolve(name));
    }

    private static void throughput(BenchBroker kafka, AggregatorConfig config, long events, PrintStream out)
            throws Exception {
        OspreyTopics topics = topics(config);
        TopicProvisioner.ensureTopics(kafka.bootstrapServers(), config.topicNames(), config.topicLayout());
        WireSamples samples = wireSamples(topics);
        long produceStart = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka, 20)) {
            for (long i = 0; i < events; i++) {
                byte[] value = samples.next(System.currentTimeMillis());
                producer.send(new ProducerRecord<>(topics.endpointMetrics().name(), samples.lastKey(), value));
            }
            producer.flush();
        }
        out.printf(Locale.ROOT, "throughput: produced a backlog of %,d samples in %.1f s%n", events,
                seconds(System.nanoTime() - produceStart));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (StateAggregator aggregator = StateAggregator.start(config, meters)) {
            Applied applied = new Applied(meters);
            Snapshot first = null;
            long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
            while (applied.count() < events && System.nanoTime() < deadline) {
                if (first == null && applied.count() > 0) {
                    first = Snapshot.take(applied);
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
            Snapshot last = Snapshot.take(applied);
            if (first == null) {
                out.println("throughput: no sample applied within " + DRAIN_LIMIT);
                return;
            }
            out.printf(Locale.ROOT, "throughput: applied %,.0f of %,d samples; from the first to the last %,.0f in"
                    + " %.2f s = %,.0f samples/s (%,.0f PoolState records)%n", last.applied, events,
                    last.applied - first.applied, last.secondsSince(first), last.rateSince(first),
                    meters.get(AggregatorMetrics.POOL_STATES).counter().count());
            cpuReport(out, "throughput", config, first, last);
            out.println("throughput: CPU by thread group over that window: " + last.cpuByGroupSince(first));
        }
    }

    /** Paces {@code rate} samples/s for warm-up plus {@code seconds}, optionally timing PoolState arrivals. */
    private static void paced(BenchBroker kafka, AggregatorConfig config, int rate, Duration warmUp, int seconds,
            boolean probes, boolean committedProbe, PrintStream out) throws Exception {
        String phase = probes ? "latency" : "sustain";
        OspreyTopics topics = topics(config);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (StateAggregator aggregator = StateAggregator.start(config, meters)) {
            aggregator.awaitRunning(Duration.ofSeconds(60));
            List<PoolStateLatencyProbe> probeList = new java.util.ArrayList<>();
            if (probes) {
                probeList.add(new PoolStateLatencyProbe(kafka.bootstrapServers(), topics.poolState(),
                        "read_uncommitted"));
                if (committedProbe) {
                    probeList.add(new PoolStateLatencyProbe(kafka.bootstrapServers(), topics.poolState(),
                            "read_committed"));
                }
            }
            List<Thread> probeThreads = new java.util.ArrayList<>();
            for (PoolStateLatencyProbe probe : probeList) {
                probe.awaitAssignment(Duration.ofSeconds(30));
                Thread thread = new Thread(probe, "probe-" + probeThreads.size());
                thread.start();
                probeThreads.add(thread);
            }
            Applied applied = new Applied(meters);
            Snapshot[] window = new Snapshot[1];
            GcPauses[] gc = new GcPauses[1];
            Pacer.Result sent = Pacer.pace(kafka.bootstrapServers(), topics.endpointMetrics().name(),
                    wireSamples(topics), rate, warmUp, Duration.ofSeconds(seconds), () -> {
                        window[0] = Snapshot.take(applied);
                        gc[0] = new GcPauses();
                        probeList.forEach(p -> p.recording(true));
                    });
            Snapshot end = Snapshot.take(applied);
            gc[0].close();
            long backlogAtEnd = sent.total() - (long) end.applied;
            long catchUpStart = System.nanoTime();
            while (applied.count() < sent.total() && System.nanoTime() - catchUpStart < CATCH_UP_LIMIT.toNanos()) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
            double catchUp = seconds(System.nanoTime() - catchUpStart);
            TimeUnit.MILLISECONDS.sleep(500);
            probeList.forEach(p -> p.recording(false));
            probeList.forEach(PoolStateLatencyProbe::stop);
            for (Thread thread : probeThreads) {
                thread.join();
            }
            Snapshot start = window[0];
            double appliedRate = end.rateSince(start);
            double sentRate = sent.measured() / end.secondsSince(start);
            // Sustained: the aggregator applied (not merely received) what was sent, give or take the records in
            // flight when sending stopped (producer flush, fetch wait, one poll): no backlog that keeps growing.
            boolean sustained = appliedRate >= 0.98 * sentRate && backlogAtEnd <= rate / 2;
            out.printf(Locale.ROOT, "%s: sent %,d samples at a target of %,d/s for %d s after %d s warm-up (emit"
                    + " interval %d ms, commit interval %d ms): sent %,.0f/s, applied %,.0f/s while sending%n", phase,
                    sent.total(), rate, seconds, warmUp.toSeconds(), config.emitInterval().toMillis(),
                    config.commitInterval().toMillis(), sentRate, appliedRate);
            out.printf(Locale.ROOT, "%s: backlog when sending stopped %,d samples (%.2f s of input), caught up %s;"
                    + " rate %s%n", phase, backlogAtEnd, backlogAtEnd / (double) rate,
                    applied.count() >= sent.total() ? String.format(Locale.ROOT, "%.2f s later", catchUp)
                            : "NOT within " + CATCH_UP_LIMIT.toSeconds() + " s",
                    sustained ? "SUSTAINED" : "NOT SUSTAINED (the figures below measure a growing backlog)");
            cpuReport(out, phase, config, start, end);
            out.println(phase + ": CPU by thread group while sending: " + end.cpuByGroupSince(start));
            out.println(phase + ": garbage collection while sending: " + gc[0].report());
            for (int i = 0; i < probeList.size(); i++) {
                report(out, i == 0 ? "read_uncommitted (EPP)" : "read_committed", probeList.get(i));
            }
            out.println(phase + ": stream thread (Kafka Streams metrics, last 30 s): " + streamThreadTimes(meters));
            Timer produced = meters.get(AggregatorMetrics.END_TO_END_LATENCY).timer();
            out.printf(Locale.ROOT, "%s: inside the aggregator (scrape -> PoolState produced, whole run incl. warm-up):"
                    + " mean %.1f ms, max %.0f ms over %,d samples; %,.0f PoolState records%n", phase,
                    produced.mean(TimeUnit.MILLISECONDS), produced.max(TimeUnit.MILLISECONDS), produced.count(),
                    meters.get(AggregatorMetrics.POOL_STATES).counter().count());
        }
    }

    /** Commit, poll and process latencies of the stream thread, as Kafka Streams' thread-level metrics say. */
    private static String streamThreadTimes(SimpleMeterRegistry meters) {
        List<String> items = new java.util.ArrayList<>();
        for (String name : List.of("commit.latency.avg", "commit.latency.max", "poll.latency.avg",
                "poll.latency.max", "process.latency.avg", "punctuate.latency.avg")) {
            var gauge = meters.find("kafka.stream.thread." + name).gauge();
            if (gauge != null) {
                items.add(String.format(Locale.ROOT, "%s %.2f ms", name, gauge.value()));
            }
        }
        return items.isEmpty() ? "(not reported)" : String.join(", ", items);
    }

    private static void cpuReport(PrintStream out, String phase, AggregatorConfig config, Snapshot from,
            Snapshot to) {
        double samples = to.applied - from.applied;
        double streamCpu = to.streamThreadNanosSince(from, config.applicationId()) / 1e3 / samples;
        double processCpu = (to.processCpuNanos - from.processCpuNanos) / 1e3 / samples;
        out.printf(Locale.ROOT, "%s: CPU per applied sample over that window: stream thread(s) %.2f us (about %,.0f"
                + " samples/s per fully available core), whole JVM incl. broker and producer %.2f us; load average"
                + " %.2f%n", phase, streamCpu, 1e6 / streamCpu, processCpu, loadAverage());
    }

    private static void report(PrintStream out, String label, PoolStateLatencyProbe probe) {
        long[] sorted = probe.sorted();
        out.printf(Locale.ROOT, "latency %-23s scrape -> PoolState: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms"
                + " (%,d samples timed, %,d PoolState records)%n", label, PoolStateLatencyProbe.percentile(sorted, 0.5),
                PoolStateLatencyProbe.percentile(sorted, 0.9), PoolStateLatencyProbe.percentile(sorted, 0.99),
                sorted.length == 0 ? -1 : sorted[sorted.length - 1], sorted.length, probe.poolStates());
        out.printf(Locale.ROOT, "latency %-23s   scrape -> published (producedAtMs) %s; published -> read %s%n", label,
                quantiles(probe.sortedUntilPublished()), quantiles(probe.sortedAfterPublished()));
        out.printf(Locale.ROOT, "latency %-23s   tail (p99 and above): %s%n", label, probe.tailSplit(0.99));
    }

    private static String quantiles(long[] sorted) {
        return String.format(Locale.ROOT, "p50 %d / p90 %d / p99 %d ms", PoolStateLatencyProbe.percentile(sorted, 0.5),
                PoolStateLatencyProbe.percentile(sorted, 0.9), PoolStateLatencyProbe.percentile(sorted, 0.99));
    }

    private static WireSamples wireSamples(OspreyTopics topics) {
        WireSamples.verify(topics.endpointMetrics(), ENDPOINTS, POOLS, 2 * ENDPOINTS);
        SampleSource source = new SampleSource(ENDPOINTS, POOLS);
        return new WireSamples(source, ENDPOINTS, WireSamples.schemaId(topics.endpointMetrics(), source));
    }

    private static OspreyTopics topics(AggregatorConfig config) {
        return OspreyTopics.create(config.topicNames(), SchemaRegistries.fromUrl(config.schemaRegistryUrl()));
    }

    static KafkaProducer<byte[], byte[]> producer(BenchBroker kafka, int lingerMs) {
        return producer(kafka.bootstrapServers(), lingerMs);
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap, int lingerMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Samples the aggregator applied: the sum of the {@code osprey.aggregator.samples} counters. */
    private record Applied(List<Counter> counters) {
        Applied(SimpleMeterRegistry meters) {
            this(List.copyOf(meters.find(AggregatorMetrics.SAMPLES).counters()));
        }

        double count() {
            return counters.stream().mapToDouble(Counter::count).sum();
        }
    }

    /**
     * Samples applied and CPU used up to one instant: the whole JVM's plus a child broker's, and by thread group
     * ({@link ThreadCpu}: stream threads, broker handlers, client network threads, probes, the JVM's JIT, GC and VM
     * threads).
     */
    private record Snapshot(long nanos, double applied, ThreadCpu threads, long brokerProcessNanos,
            long processCpuNanos) {
        static Snapshot take(Applied applied) {
            long broker = BrokerProcess.cpuNanos();
            return new Snapshot(System.nanoTime(), applied.count(), ThreadCpu.snapshot(), broker,
                    ThreadCpu.processNanos() + broker);
        }

        private Map<String, Long> cpuByGroup(Snapshot earlier) {
            Map<String, Long> byGroup = new java.util.HashMap<>();
            threads.addSince(earlier.threads, byGroup);
            byGroup.merge("broker JVM (child process)", brokerProcessNanos - earlier.brokerProcessNanos, Long::sum);
            return byGroup;
        }

        /** The largest thread groups' CPU since {@code earlier}, as "group 1.23 s" items. */
        String cpuByGroupSince(Snapshot earlier) {
            return ThreadCpu.seconds(cpuByGroup(earlier), 12);
        }

        /** CPU of the Kafka Streams threads of {@code applicationId} since {@code earlier}. */
        long streamThreadNanosSince(Snapshot earlier, String applicationId) {
            return ThreadCpu.sum(cpuByGroup(earlier), ThreadCpu.group(applicationId) + "-*-StreamThread-");
        }

        double secondsSince(Snapshot earlier) {
            return (nanos - earlier.nanos) / 1e9;
        }

        double rateSince(Snapshot earlier) {
            return (applied - earlier.applied) / secondsSince(earlier);
        }
    }
}
