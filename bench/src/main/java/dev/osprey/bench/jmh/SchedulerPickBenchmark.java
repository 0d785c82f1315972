package dev.osprey.bench.jmh;

import dev.osprey.epp.scheduling.EndpointPicker;
import dev.osprey.epp.scheduling.PickResult;
import dev.osprey.epp.scheduling.SchedulerFactory;
import dev.osprey.epp.scheduling.SchedulerOptions;
import dev.osprey.epp.scheduling.SchedulingRequest;
import dev.osprey.epp.state.EndpointSnapshot;
import dev.osprey.epp.state.PoolSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One scheduler pick over a pool of {@code endpoints} endpoints, single-threaded, in virtual time: every pick
 * advances the clock by 1 ms and every 50 ms a new snapshot (fresh scrape times, same metrics) replaces the old
 * one, as the EPP's pool-state view does, so the per-snapshot index rebuild is part of the measured cost
 * (amortized over 50 picks). With {@code snapshotEveryMs} 30000 the scrape times stay up to 30 s old, as when the
 * pipeline stalls: every pick then counts up to 30 s of this EPP's dispatches and completions since the scrape. Each pick is reported complete right away. Prompts: 64 conversations sharing 8
 * system prompts of ~3 KB plus a per-conversation suffix (~4 KB, 64 prefix blocks of 64 bytes); the prefix index
 * is warm.
 *
 * <p>{@code profile}: {@code upstream-default} (queue 2, kv 2, prefix 3), {@code upstream-no-prefix} (queue 2,
 * kv 2), {@code osprey-default} (TTFT estimate incl. prefix). Run with {@code -prof gc} for allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class SchedulerPickBenchmark {

    private static final String NO_PREFIX = """
            apiVersion: inference.networking.x-k8s.io/v1alpha1
            kind: EndpointPickerConfig
            plugins:
            - type: queue-scorer
            - type: kv-cache-utilization-scorer
            - type: max-score-picker
            schedulingProfiles:
            - name: default
              plugins:
              - pluginRef: queue-scorer
                weight: 2
              - pluginRef: kv-cache-utilization-scorer
                weight: 2
              - pluginRef: max-score-picker
            """;

    /** How often a new snapshot (fresh scrape times) arrives, in virtual ms (one pick per ms). */
    @Param({"50"})
    public long snapshotEveryMs;

    @Param({"10", "100", "1000"})
    public int endpoints;

    @Param({"upstream-default", "upstream-no-prefix", "osprey-default"})
    public String profile;

    private EndpointPicker picker;
    private List<EndpointSnapshot> template;
    private SchedulingRequest[] requests;
    private PoolSnapshot snapshot;
    private long now;
    private long snapshotAt;
    private int next;

    @Setup
    public void setUp() {
        SchedulerOptions options = SchedulerOptions.defaults().withSeed(42);
        picker = "upstream-no-prefix".equals(profile) ? SchedulerFactory.fromConfig(NO_PREFIX, options)
                : SchedulerFactory.builtIn(profile, options);
        SplittableRandom rnd = new SplittableRandom(7);
        template = new ArrayList<>(endpoints);
        for (int i = 0; i < endpoints; i++) {
            template.add(EndpointSnapshot.of("cluster/ns/pod-" + i + ":8000", "10." + (i / 250) + "." + (i % 250)
                    + ".1", 8000, rnd.nextInt(6), rnd.nextInt(40), rnd.nextDouble(0.1, 0.9), 0));
        }
        requests = new SchedulingRequest[256];
        for (int i = 0; i < requests.length; i++) {
            String system = ("System prompt " + (i % 8) + ": you are a careful assistant. ").repeat(70);
            String prompt = system + ("conversation " + (i % 64) + " user turn. ").repeat(30);
            byte[] bytes = prompt.getBytes(StandardCharsets.UTF_8);
            requests[i] = SchedulingRequest.builder("req-" + i, "llama-3-8b").prompt(bytes).build();
        }
        now = 1_000_000;
        snapshot = snapshotAt(now);
        snapshotAt = now;
        for (int i = 0; i < 2_000; i++) {
            pick();
        }
    }

    private PoolSnapshot snapshotAt(long scrapeMs) {
        List<EndpointSnapshot> eps = new ArrayList<>(template.size());
        for (EndpointSnapshot e : template) {
            eps.add(EndpointSnapshot.of(e.endpointId(), e.address(), e.port(), e.waitingRequests(),
                    e.runningRequests(), e.kvCacheUtilization(), scrapeMs));
        }
        return new PoolSnapshot("cluster/ns/pool", scrapeMs, scrapeMs, eps);
    }

    @Benchmark
    public PickResult pick() {
        now++;
        if (now - snapshotAt >= snapshotEveryMs) {
            snapshot = snapshotAt(now);
            snapshotAt = now;
        }
        SchedulingRequest r = requests[next++ & (requests.length - 1)];
        PickResult result = picker.pick(snapshot, r, now);
        picker.completed(r.requestId(), now);
        return result;
    }
}
