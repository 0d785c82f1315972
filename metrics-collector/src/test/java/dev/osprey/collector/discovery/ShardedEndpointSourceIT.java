package dev.osprey.collector.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShardedEndpointSourceIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shardOfIsKafkasKeyPartitioning() {
        for (int i = 0; i < 100; i++) {
            String id = "east/team-a/pod-" + i + ":8000";
            assertThat(ShardedEndpointSource.shardOf(id, 12))
                    .isEqualTo(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), 12));
        }
    }

    @Test
    void twoReplicasSplitTheEndpointsAndTheSurvivorTakesOver() {
        List<PoolEndpoint> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(new PoolEndpoint("it/shard/pod-" + i + ":8000", "it/shard/pool", "pod-" + i, "10.0.0." + (i + 1),
                    8000, 0, "vllm", Map.of()));
        }
        EndpointSource delegate = StaticEndpointSource.of(all);
        Set<String> allIds = ids(all);

        ShardedEndpointSource a = ShardedEndpointSource.start(delegate, settings("a"));
        try (ShardedEndpointSource b = ShardedEndpointSource.start(delegate, settings("b"))) {
            await().atMost(WAIT).until(() -> a.assignedShards().size() + b.assignedShards().size() == 8
                    && !a.assignedShards().isEmpty() && !b.assignedShards().isEmpty());
            Set<String> fromA = ids(a.endpoints());
            Set<String> fromB = ids(b.endpoints());
            assertThat(fromA).isNotEmpty().doesNotContainAnyElementsOf(fromB);
            Set<String> union = new HashSet<>(fromA);
            union.addAll(fromB);
            assertThat(union).isEqualTo(allIds);
            assertThat(ids(a.membershipEndpoints())).isEqualTo(allIds);
            assertThat(ids(b.membershipEndpoints())).isEqualTo(allIds);

            a.close();
            assertThat(a.endpoints()).isEmpty();
            await().atMost(WAIT).until(() -> b.assignedShards().size() == 8);
            assertThat(ids(b.endpoints())).isEqualTo(allIds);
        } finally {
            a.close();
        }
    }

    private static ShardedEndpointSource.Settings settings(String member) {
        return new ShardedEndpointSource.Settings(kafka.bootstrapServers(), "it-collector-shards", 8,
                "it-collector-shard-group", member, Duration.ofSeconds(10));
    }

    private static Set<String> ids(List<PoolEndpoint> endpoints) {
        return endpoints.stream().map(PoolEndpoint::endpointId).collect(Collectors.toSet());
    }
}
