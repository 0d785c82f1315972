package dev.osprey.bench.extproc;

import dev.osprey.api.ResourceSet;
import dev.osprey.bench.BenchBroker;
import dev.osprey.bench.ThreadCpu;
import dev.osprey.epp.EppConfig;
import dev.osprey.epp.EppServer;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.kafka.TopicProvisioner;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ext-proc latency of the Osprey EPP next to a no-op ext-proc server on the same gRPC stack, both over loopback
 * plaintext, driven like the gateway drives them. Scenario 1: 1 KB chat requests open-loop at a fixed rate
 * (default 2,000/s for 10 s) — decision latency (last body byte sent → routed headers back) and the whole
 * exchange. Scenario 2: 220 KB prompts at concurrency 20 — the request phase (first byte sent → whole body back);
 * the EPP's added latency is its figure minus the no-op's. The EPP runs in full (a Kafka broker, a pool
 * state of 8 endpoints republished every 50 ms with fresh scrape times by a {@link PoolStateFeeder},
 * RoutingDecision/RequestOutcome publishing on), and a second EPP with publishing off shows what the events cost
 * (the broker shares the machine). Every server is warmed up until the JIT compiler is nearly idle.
 *
 * <p>{@code java -cp bench/target/osprey-bench.jar dev.osprey.bench.extproc.ExtProcLatencyBench [rate]
 * [seconds] [largeRequests] [servers] [connections] [broker]}: {@code servers} is a comma list of {@code noop},
 * {@code epp} (events on), {@code quiet} (events off) and {@code traced} (events on and OpenTelemetry tracing of
 * every request, exported over OTLP/HTTP to a sink in this JVM that answers 200), the first three by default;
 * 0 seconds or 0 large requests skips that scenario. {@code connections} (default {@value #DEFAULT_CONNECTIONS})
 * is the number of gRPC connections per server, each on its own driver event-loop thread, the exchanges taking them in turn: Envoy opens one connection
 * to the ext-proc cluster per worker thread, and a two-core gateway runs two workers. {@code broker} is
 * {@code process} (default: the broker in a JVM of its own, as deployed, so its garbage collection and compilation
 * never pause the servers' JVM; it still shares the two cores, and its CPU is counted), {@code process-nice} (the
 * same under {@code nice -n 19}: the broker yields the cores whenever a server thread is runnable, approximating a
 * broker on machines of its own) or {@code in-process} (the
 * broker embedded in this JVM, as before 22 Nov 2026). Each run also reports the CPU time per completed request of
 * the whole process plus the broker's, and its split by thread group.
 */
public final class ExtProcLatencyBench {

    private static final String POOL_ID = "local/ns/pool";
    private static final String PREFIX = "bench-extproc.";
    private static final int CHUNK = 64 * 1024;
    private static final String NOOP = "no-op ext-proc";
    /** How often the pool state is republished with fresh scrape times (the collector's scrape period). */
    private static final Duration POOL_STATE_INTERVAL = Duration.ofMillis(50);
    private static final double WARM_JIT_SHARE = 0.05;
    private static final int MIN_WARM_ROUNDS = 3;
    private static final int MAX_WARM_SECONDS = 150;
    /** Connections per server by default: what an Envoy with two worker threads opens (one per worker). */
    static final int DEFAULT_CONNECTIONS = 2;

    private ExtProcLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int large = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        List<String> which = List.of((args.length > 3 ? args[3] : "noop,epp,quiet").split(","));
        int connections = args.length > 4 ? Integer.parseInt(args[4]) : DEFAULT_CONNECTIONS;
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        String brokerMode = args.length > 5 ? args[5] : "process";
        List<EventLoopGroup> driverLoops = driverLoops(connections);
        long began = System.nanoTime();
        try (BenchBroker kafka = BenchBroker.start(brokerMode)) {
            TopicNames names = TopicNames.withPrefix(PREFIX);
            TopicProvisioner.ensureTopics(kafka.bootstrapServers(), names, new TopicProvisioner.Layout(1, (short) 1));
            OspreyTopics topics = OspreyTopics.create(names, SchemaRegistries.fromUrl("mock://bench-extproc"));
            PoolStateFeeder feeder = PoolStateFeeder.start(kafka.bootstrapServers(), topics, POOL_ID,
                    POOL_STATE_INTERVAL);
            EppConfig config = EppConfig.defaults(kafka.bootstrapServers(), "ns", "pool")
                    .withBindAddress("127.0.0.1").withGrpcPort(0).withHealthPort(0).withMetricsPort(-1)
                    .withTopicPrefix(PREFIX).withSchemaRegistryUrl("mock://bench-extproc").withTlsPlaintext(true)
                    .withMetricsStaleness(Duration.ofHours(1)).withShutdownGrace(Duration.ofMillis(500));
            List<AutoCloseable> servers = new ArrayList<>();
            Map<String, List<ManagedChannel>> channels = new LinkedHashMap<>();
            try {
                if (which.contains("noop")) {
                    NoopExtProcServer noop = new NoopExtProcServer(config.maxRequestBodyBytes());
                    servers.add(noop);
                    channels.put(NOOP, channels(noop.port(), driverLoops));
                }
                if (which.contains("epp")) {
                    EppServer epp = EppServer.start(config, ResourceSet.empty(), new SimpleMeterRegistry());
                    servers.add(epp);
                    epp.awaitReady(Duration.ofSeconds(60));
                    channels.put("Osprey EPP", channels(epp.grpcPort(), driverLoops));
                }
                if (which.contains("traced")) {
                    OtlpSink sink = OtlpSink.start();
                    servers.add(sink);
                    // every request is a root span, sampled (parentbased_always_on) and exported to the sink
                    System.setProperty("otel.exporter.otlp.endpoint", sink.endpoint());
                    // closed after the traced EPP, which flushes its last spans when it closes
                    servers.add(() -> System.out.printf(Locale.ROOT, "OTLP sink: %d export requests, %d bytes%n",
                            sink.requests(), sink.bytes()));
                    EppServer traced = EppServer.start(config.withReplicaId("epp-traced").withTracingEnabled(true),
                            ResourceSet.empty(), new SimpleMeterRegistry());
                    servers.add(traced);
                    traced.awaitReady(Duration.ofSeconds(60));
                    channels.put("Osprey EPP, traced", channels(traced.grpcPort(), driverLoops));
                }
                if (which.contains("quiet")) {
                    EppServer quiet = EppServer.start(config.withReplicaId("epp-no-events").withPublishEvents(false),
                            ResourceSet.empty(), new SimpleMeterRegistry());
                    servers.add(quiet);
                    quiet.awaitReady(Duration.ofSeconds(60));
                    channels.put("Osprey EPP, events off", channels(quiet.grpcPort(), driverLoops));
                }
                System.out.printf(Locale.ROOT, "%d gRPC connection(s) per server, each on its own driver event loop%n",
                        connections);
                run(channels, rate, seconds, large);
            } finally {
                for (List<ManagedChannel> list : channels.values()) {
                    for (ManagedChannel c : list) {
                        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    }
                }
                for (int i = servers.size() - 1; i >= 0; i--) {
                    servers.get(i).close();
                }
                feeder.close();
            }
        }
        System.out.printf(Locale.ROOT, "%nwall time %.0f s, load average %s%n", (System.nanoTime() - began) / 1e9,
                loadAverage());
    }

    private static void run(Map<String, List<ManagedChannel>> servers, int rate, int seconds, int large)
            throws InterruptedException {
        Workload small = Workload.chat(chatBody(1024), CHUNK);
        Workload big = Workload.chat(chatBody(220 * 1024), CHUNK);
        warmUp(runs(servers), small, big, rate);
        if (seconds > 0) {
            List<LoadRun> runs = runs(servers);
            phase("1 KB open loop, 1 s slices interleaved across the servers");
            for (int slice = 0; slice < seconds; slice++) {
                for (LoadRun r : runs) {
                    r.openLoop(small, rate, 1000);
                }
            }
            System.out.printf(Locale.ROOT, "%n1 KB chat requests, open loop %d req/s, %d s per server%n", rate,
                    seconds);
            System.out.println("| server | completed | failed | achieved req/s | decision p50 ms | decision p99 ms "
                    + "| exchange p50 ms | exchange p99 ms | CPU ms / request |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (LoadRun run : runs) {
                LoadRun.Result r = run.result();
                System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                        r.label, r.completed, r.failed, r.rate(), r.decision.percentileMs(50),
                        r.decision.percentileMs(99), r.total.percentileMs(50), r.total.percentileMs(99),
                        r.cpuMsPerRequest());
            }
            ratios(runs, "decision p99", r -> r.decision.percentileMs(99));
            cpuByThreads(runs);
        }
        if (large > 0) {
            List<LoadRun> runs = runs(servers);
            phase("220 KB closed loop, slices of 50 requests interleaved across the servers");
            for (int done = 0; done < large; done += 50) {
                for (LoadRun r : runs) {
                    r.closedLoop(big, 20, Math.min(50, large - done));
                }
            }
            System.out.printf(Locale.ROOT, "%n220 KB chat prompts, concurrency 20, %d requests per server%n", large);
            System.out.println("| server | completed | failed | request phase p50 ms | request phase p99 ms "
                    + "| CPU ms / request |");
            System.out.println("|---|---|---|---|---|---|");
            for (LoadRun run : runs) {
                LoadRun.Result r = run.result();
                System.out.printf(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f | %.3f |%n", r.label, r.completed,
                        r.failed, r.requestPhase.percentileMs(50), r.requestPhase.percentileMs(99),
                        r.cpuMsPerRequest());
            }
            cpuByThreads(runs);
            if (runs.get(0).result().label.equals(NOOP)) {
                LatencyStats noop = runs.get(0).result().requestPhase;
                for (int i = 1; i < runs.size(); i++) {
                    LatencyStats epp = runs.get(i).result().requestPhase;
                    System.out.printf(Locale.ROOT, "added by %s: p50 %.3f ms, p99 %.3f ms%n",
                            runs.get(i).result().label, epp.percentileMs(50) - noop.percentileMs(50),
                            epp.percentileMs(99) - noop.percentileMs(99));
                }
            }
        }
    }

    /**
     * Rounds of both workloads on every server (1 s of 1 KB requests, the first round at half the rate, then 50
     * requests of 220 KB) until the JIT compiler threads used less than {@value #WARM_JIT_SHARE} of a core during a
     * round (after at least {@value #MIN_WARM_ROUNDS} rounds, at most {@value #MAX_WARM_SECONDS} s): the JVM holds
     * a broker, three servers and the driver, and until their code is compiled the compiler takes a large share of
     * the two cores and of every figure.
     */
    private static void warmUp(List<LoadRun> runs, Workload small, Workload big, int rate)
            throws InterruptedException {
        long began = System.nanoTime();
        for (int round = 1; ; round++) {
            ThreadCpu before = ThreadCpu.snapshot();
            long start = System.nanoTime();
            for (LoadRun r : runs) {
                r.openLoop(small, round == 1 ? Math.max(1, rate / 2) : rate, 1000);
                r.closedLoop(big, 20, 50);
            }
            Map<String, Long> cpu = new HashMap<>();
            ThreadCpu.snapshot().addSince(before, cpu);
            double jitShare = ThreadCpu.sum(cpu, "jvm JIT") / (double) (System.nanoTime() - start);
            double elapsed = (System.nanoTime() - began) / 1e9;
            System.out.printf(Locale.ROOT, "warm-up round %d: JIT compiler %.1f %% of a core (%.0f s)%n", round,
                    100 * jitShare, elapsed);
            if ((round >= MIN_WARM_ROUNDS && jitShare < WARM_JIT_SHARE) || elapsed > MAX_WARM_SECONDS) {
                return;
            }
        }
    }

    private static List<LoadRun> runs(Map<String, List<ManagedChannel>> servers) {
        List<LoadRun> runs = new ArrayList<>();
        servers.forEach((label, channel) -> runs.add(new LoadRun(label, channel)));
        return runs;
    }

    private static void cpuByThreads(List<LoadRun> runs) {
        System.out.println("CPU ms per request by thread group:");
        for (LoadRun r : runs) {
            System.out.println("  " + r.result().label + ": " + r.result().cpuByThreads());
        }
    }

    private static void ratios(List<LoadRun> runs, String what,
            java.util.function.ToDoubleFunction<LoadRun.Result> f) {
        if (runs.isEmpty() || !runs.get(0).result().label.equals(NOOP)) {
            return;
        }
        for (int i = 1; i < runs.size(); i++) {
            System.out.printf(Locale.ROOT, "%s ratio %s / no-op: %.2f%n", what, runs.get(i).result().label,
                    f.applyAsDouble(runs.get(i).result()) / f.applyAsDouble(runs.get(0).result()));
        }
    }

    /** Marks the start of a measured run (to line it up with a JFR recording) with the load average. */
    private static void phase(String what) {
        System.out.printf(Locale.ROOT, "%s %s, load average %s%n", java.time.LocalTime.now(), what, loadAverage());
    }

    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The driver's event loops, one thread each: connection {@code i} of every server runs on loop {@code i}, as a
     * gateway's worker thread {@code i} owns its own connection to the ext-proc server.
     */
    private static List<EventLoopGroup> driverLoops(int connections) {
        List<EventLoopGroup> loops = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            DefaultThreadFactory threads = new DefaultThreadFactory("driver-loop", true);
            loops.add(Epoll.isAvailable() ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads));
        }
        return loops;
    }

    /** One channel (one HTTP/2 connection) per driver event loop to the server on {@code port}. */
    private static List<ManagedChannel> channels(int port, List<EventLoopGroup> loops) {
        List<ManagedChannel> channels = new ArrayList<>();
        for (EventLoopGroup loop : loops) {
            channels.add(channel(port, loop));
        }
        return channels;
    }

    /**
     * Client channel on a driver event loop (so its CPU is told apart from the servers'), with callbacks on that
     * thread (the exchange only sends its next prepared message) and without gRPC retries (Envoy does not retry
     * ext-proc streams; retry support buffers every message sent).
     */
    private static ManagedChannel channel(int port, EventLoopGroup loop) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().disableRetry()
                .eventLoopGroup(loop).channelType(Epoll.isAvailable() ? EpollSocketChannel.class
                        : NioSocketChannel.class)
                .maxInboundMessageSize(16 << 20).build();
    }

    /** A chat request of about {@code bytes} bytes. */
    static String chatBody(int bytes) {
        String head = "{\"model\":\"llama\",\"stream\":false,\"messages\":[{\"role\":\"system\",\"content\":"
                + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"";
        String tail = "\"}],\"max_tokens\":64}";
        StringBuilder sb = new StringBuilder(bytes).append(head);
        String words = "the quick brown fox jumps over the lazy dog ";
        while (sb.length() < bytes - tail.length()) {
            sb.append(words);
        }
        sb.setLength(Math.max(head.length(), bytes - tail.length()));
        return sb.append(tail).toString();
    }
}
