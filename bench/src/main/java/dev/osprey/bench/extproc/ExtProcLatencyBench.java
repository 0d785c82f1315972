package dev.osprey.bench.extproc;

import com.google.protobuf.ByteString;
import dev.osprey.api.ResourceSet;
import dev.osprey.epp.EppConfig;
import dev.osprey.epp.EppServer;
import dev.osprey.schemas.avro.EndpointHealth;
import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.kafka.TopicProvisioner;
import dev.osprey.schemas.registry.SchemaRegistries;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Ext-proc latency of the Osprey EPP next to a no-op ext-proc server on the same gRPC stack, both over loopback
 * plaintext, driven like the gateway drives them. Scenario 1: 1 KB chat requests open-loop at a fixed rate
 * (default 2,000/s for 10 s) — decision latency (last body byte sent → routed headers back) and the whole
 * exchange. Scenario 2: 220 KB prompts at concurrency 20 — the request phase (first byte sent → whole body back);
 * the EPP's added latency is its figure minus the no-op's. The EPP runs in full (an embedded Kafka broker, a pool
 * state of 8 endpoints, RoutingDecision/RequestOutcome publishing on), and a second EPP with publishing off shows
 * what the events cost (the broker shares the machine).
 *
 * <p>{@code java -cp bench/target/osprey-bench.jar dev.osprey.bench.extproc.ExtProcLatencyBench [rate]
 * [seconds] [largeRequests]}
 */
public final class ExtProcLatencyBench {

    private static final String POOL_ID = "local/ns/pool";
    private static final String PREFIX = "bench-extproc.";
    private static final int CHUNK = 64 * 1024;

    private ExtProcLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int large = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        long began = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            TopicNames names = TopicNames.withPrefix(PREFIX);
            TopicProvisioner.ensureTopics(kafka.bootstrapServers(), names, new TopicProvisioner.Layout(1, (short) 1));
            OspreyTopics topics = OspreyTopics.create(names, SchemaRegistries.fromUrl("mock://bench-extproc"));
            publishPool(kafka.bootstrapServers(), topics);
            EppConfig config = EppConfig.defaults(kafka.bootstrapServers(), "ns", "pool")
                    .withBindAddress("127.0.0.1").withGrpcPort(0).withHealthPort(0).withMetricsPort(-1)
                    .withTopicPrefix(PREFIX).withSchemaRegistryUrl("mock://bench-extproc").withTlsPlaintext(true)
                    .withMetricsStaleness(Duration.ofHours(1)).withShutdownGrace(Duration.ofMillis(500));
            try (EppServer epp = EppServer.start(config, ResourceSet.empty(), new SimpleMeterRegistry());
                    EppServer quiet = EppServer.start(config.withReplicaId("epp-no-events").withPublishEvents(false),
                            ResourceSet.empty(), new SimpleMeterRegistry());
                    NoopExtProcServer noop = new NoopExtProcServer()) {
                epp.awaitReady(Duration.ofSeconds(60));
                quiet.awaitReady(Duration.ofSeconds(60));
                Map<String, ManagedChannel> servers = new LinkedHashMap<>();
                servers.put("no-op ext-proc", channel(noop.port()));
                servers.put("Osprey EPP", channel(epp.grpcPort()));
                servers.put("Osprey EPP, events off", channel(quiet.grpcPort()));
                try {
                    run(servers, rate, seconds, large);
                } finally {
                    for (ManagedChannel c : servers.values()) {
                        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nwall time %.0f s%n", (System.nanoTime() - began) / 1e9);
    }

    private static void run(Map<String, ManagedChannel> servers, int rate, int seconds, int large)
            throws InterruptedException {
        HeaderMap chatHeaders = ExtProcExchange.headers(Map.of(":method", "POST", ":path", "/v1/chat/completions",
                ":authority", "gateway", "content-type", "application/json"));
        List<ByteString> small = chunks(chatBody(1024));
        List<ByteString> big = chunks(chatBody(220 * 1024));
        System.out.println("warm-up ...");
        for (Map.Entry<String, ManagedChannel> s : servers.entrySet()) {
            LoadRun.openLoop(s.getKey(), s.getValue(), chatHeaders, small, rate / 2, 3);
            LoadRun.closedLoop(s.getKey(), s.getValue(), chatHeaders, big, 20, Math.max(1, large / 3));
        }
        List<LoadRun.Result> smallResults = new ArrayList<>();
        for (Map.Entry<String, ManagedChannel> s : servers.entrySet()) {
            smallResults.add(LoadRun.openLoop(s.getKey(), s.getValue(), chatHeaders, small, rate, seconds));
        }
        System.out.printf(Locale.ROOT, "%n1 KB chat requests, open loop %d req/s for %d s%n", rate, seconds);
        System.out.println("| server | completed | failed | achieved req/s | decision p50 ms | decision p99 ms "
                + "| exchange p50 ms | exchange p99 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (LoadRun.Result r : smallResults) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %.3f | %.3f | %.3f | %.3f |%n", r.label(),
                    r.completed(), r.failed(), r.rate(), r.decision().percentileMs(50),
                    r.decision().percentileMs(99), r.total().percentileMs(50), r.total().percentileMs(99));
        }
        for (int i = 1; i < smallResults.size(); i++) {
            System.out.printf(Locale.ROOT, "decision p99 ratio %s / no-op: %.2f%n", smallResults.get(i).label(),
                    smallResults.get(i).decision().percentileMs(99) / smallResults.get(0).decision().percentileMs(99));
        }

        List<LoadRun.Result> bigResults = new ArrayList<>();
        for (Map.Entry<String, ManagedChannel> s : servers.entrySet()) {
            bigResults.add(LoadRun.closedLoop(s.getKey(), s.getValue(), chatHeaders, big, 20, large));
        }
        System.out.printf(Locale.ROOT, "%n220 KB chat prompts, concurrency 20, %d requests%n", large);
        System.out.println("| server | completed | failed | request phase p50 ms | request phase p99 ms |");
        System.out.println("|---|---|---|---|---|");
        for (LoadRun.Result r : bigResults) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f |%n", r.label(), r.completed(), r.failed(),
                    r.requestPhase().percentileMs(50), r.requestPhase().percentileMs(99));
        }
        for (int i = 1; i < bigResults.size(); i++) {
            LatencyStats epp = bigResults.get(i).requestPhase();
            LatencyStats noop = bigResults.get(0).requestPhase();
            System.out.printf(Locale.ROOT, "added by %s: p50 %.3f ms, p99 %.3f ms%n", bigResults.get(i).label(),
                    epp.percentileMs(50) - noop.percentileMs(50), epp.percentileMs(99) - noop.percentileMs(99));
        }
    }

    private static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(16 << 20)
                .build();
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

    private static List<ByteString> chunks(String body) {
        ByteString all = ByteString.copyFromUtf8(body);
        List<ByteString> out = new ArrayList<>();
        for (int off = 0; off < all.size(); off += CHUNK) {
            out.add(all.substring(off, Math.min(all.size(), off + CHUNK)));
        }
        return out;
    }

    private static void publishPool(String bootstrap, OspreyTopics topics) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long now = System.currentTimeMillis();
        List<EndpointState> endpoints = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            endpoints.add(EndpointState.newBuilder().setEndpointId("local/ns/pod-" + i + ":8000")
                    .setAddress("10.0.0." + i).setPort(8000).setEngine(Engine.VLLM)
                    .setHealth(EndpointHealth.HEALTHY).setScrapeTimeMs(now).setMetricsAgeMs(5)
                    .setWaitingRequests(i % 3).setRunningRequests(2).setKvCacheUtilization(0.1 * (i % 5)).build());
        }
        try (KafkaProducer<String, PoolState> producer = new KafkaProducer<>(props,
                topics.poolState().keySerde().serializer(), topics.poolState().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topics.poolState().name(), POOL_ID, PoolState.newBuilder()
                    .setCluster("local").setPoolId(POOL_ID).setVersion(1).setProducedAtMs(now)
                    .setEndpoints(endpoints).build())).get(30, TimeUnit.SECONDS);
        }
    }
}
