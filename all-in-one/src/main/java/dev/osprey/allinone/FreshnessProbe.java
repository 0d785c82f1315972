package dev.osprey.allinone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import dev.osprey.epp.state.PoolStateView;
import dev.osprey.epp.state.SnapshotHolder;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.registry.SchemaRegistries;
import dev.osprey.sim.ModelServerSim;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Measures how long a model server's load change takes to reach an EPP snapshot through the whole pipeline
 * (scrape, Kafka, Kafka Streams, Kafka, the EPP's pool-state view). It starts the all-in-one, attaches a second
 * {@link PoolStateView} (the EPP's own class) and repeatedly flips one simulator's background load, timing until
 * the snapshot shows it. Usage: {@code java -cp osprey-all-in-one.jar dev.osprey.allinone.FreshnessProbe [samples]}.
 */
public final class FreshnessProbe {

    private static final int LOAD = 40;

    private FreshnessProbe() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        AllInOneConfig config = new AllInOneConfig(4, Optional.empty(), Optional.empty(), "probe", 0, 0, 0, -1, 0,
                "127.0.0.61", "test");
        try (AllInOne osprey = AllInOne.start(config)) {
            System.out.printf("all-in-one started in %d ms%n", osprey.startupTime().toMillis());
            SnapshotHolder holder = new SnapshotHolder();
            OspreyTopics topics = OspreyTopics.create(TopicNames.defaults(),
                    SchemaRegistries.fromUrl(AllInOne.REGISTRY_URL));
            try (PoolStateView view = PoolStateView.start(osprey.bootstrapServers(), TopicNames.defaults().poolState(),
                    topics.poolState().valueSerde().deserializer(), osprey.pool().poolId("probe"), "freshness-probe", holder,
                    new SimpleMeterRegistry())) {
                view.awaitSynced(Duration.ofSeconds(30));
                ModelServerSim sim = osprey.simulators().get(0);
                String address = sim.address().getAddress().getHostAddress();
                List<Double> delaysMs = new ArrayList<>();
                for (int i = 0; i < samples; i++) {
                    int target = i % 2 == 0 ? LOAD : 0;
                    LockSupport.parkNanos(Duration.ofMillis(20 + ThreadLocalRandom.current().nextInt(60)).toNanos());
                    long start = System.nanoTime();
                    sim.setBackgroundLoad(target);
                    long deadline = start + Duration.ofSeconds(10).toNanos();
                    while (waiting(holder, address) != target) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("load change not seen within 10 s at sample " + i);
                        }
                        LockSupport.parkNanos(100_000);
                    }
                    delaysMs.add((System.nanoTime() - start) / 1e6);
                }
                Collections.sort(delaysMs);
                System.out.printf("load change -> EPP snapshot over %d samples: median %.1f ms, p90 %.1f ms, "
                                + "p99 %.1f ms, max %.1f ms (scrape interval 50 ms, emit interval 10 ms)%n",
                        samples, percentile(delaysMs, 50), percentile(delaysMs, 90), percentile(delaysMs, 99),
                        delaysMs.get(delaysMs.size() - 1));
            }
        }
    }

    private static int waiting(SnapshotHolder holder, String address) {
        return holder.current().map(PoolSnapshot::endpoints).orElse(List.of()).stream()
                .filter(e -> e.address().equals(address)).mapToInt(EndpointSnapshot::waitingRequests)
                .findFirst().orElse(-1);
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
