package dev.osprey.bench.live;

import dev.osprey.allinone.AllInOne;
import dev.osprey.allinone.AllInOneConfig;
import dev.osprey.allinone.SimulatorSettings;
import dev.osprey.bench.sim.RequestRecord;
import dev.osprey.bench.sim.RequestRecord.Status;
import dev.osprey.bench.sim.Scenario;
import dev.osprey.bench.sim.Scenario.Pool;
import dev.osprey.bench.sim.SimRequest;
import dev.osprey.bench.sim.WorkloadGenerator;
import dev.osprey.sim.engine.LatencyProfile;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * One strategy in real time on a fresh all-in-one pipeline (its own broker, simulators, collector, aggregator, EPP
 * and gateway, so no cache or counter carries over): the requests are sent at their arrival times over HTTP to the
 * gateway, then the run waits for every stream to end (at most the drain timeout) and stops the pipeline.
 */
final class LiveRun {

    /** Loopback addresses the live simulators bind, one each, from this one up. */
    static final String ADDRESS_BASE = "127.0.0.71";
    /** Requests the gateway handles at once: more than a run ever has in flight, so none waits before the EPP. */
    static final int GATEWAY_THREADS = 2048;

    /**
     * What a run produced.
     *
     * @param records one per request, in request order, for {@code ResultsAggregator}
     * @param errorsByReason errors per short reason, for the report
     * @param startupMillis pipeline start until the EPP was ready
     * @param maxSendLagMillis the latest any request left after its scheduled arrival (a sign of an overloaded
     *     client machine when large)
     */
    record Result(List<RequestRecord> records, Map<String, Integer> errorsByReason, long startupMillis,
            long maxSendLagMillis, long wallMillis) {
    }

    private final Scenario scenario;
    private final Path workDir;
    private final Duration drainTimeout;
    private final PrintStream log;
    private final Map<String, String> eppSettings;

    /**
     * @param scenario the scaled scenario (pool, pipeline and workload are used)
     * @param workDir where the run's resource file is written
     * @param drainTimeout how long to wait for open streams after the last arrival
     * @param eppSettings further EPP settings for every pipeline
     */
    LiveRun(Scenario scenario, Path workDir, Duration drainTimeout, Map<String, String> eppSettings,
            PrintStream log) {
        this.eppSettings = Map.copyOf(eppSettings);
        this.scenario = scenario;
        this.workDir = workDir;
        this.drainTimeout = drainTimeout;
        this.log = log;
    }

    /** The simulator settings matching the scenario's pool; fails for pool settings live runs cannot apply. */
    static SimulatorSettings simulatorSettings(Scenario s) {
        Pool pool = s.pool();
        LatencyProfile profile = LatencyProfile.byName(pool.profile()).orElseThrow();
        if (pool.maxNumSeqs() != profile.maxNumSeqs() || pool.maxNumBatchedTokens() != profile.maxNumBatchedTokens()) {
            throw new IllegalArgumentException("live runs use the profile's maxNumSeqs and maxNumBatchedTokens; the "
                    + "scenario overrides them");
        }
        List<String> adapters = s.workload().lora() == null ? List.of()
                : IntStream.rangeClosed(1, s.workload().lora().adapters()).mapToObj(WorkloadGenerator::adapterName)
                        .toList();
        return SimulatorSettings.defaults().withAddressBase(ADDRESS_BASE).withProfile(pool.profile())
                .withKvBlocks(pool.kvBlocks()).withMaxLoras(pool.maxLoras()).withLoraAdapters(adapters)
                .withLoraLoadTime(Duration.ofMillis(pool.loraLoadMs())).withSlowdown(pool.slowdown())
                // The virtual-time engine refuses only what exceeds its whole cache; do the same.
                .withMaxModelLen(pool.kvBlocks() * 16);
    }

    /**
     * Runs {@code requests} against a fresh pipeline whose EPP uses {@code scheduler}.
     *
     * @param label names the run in log lines and file names
     * @throws IOException when the pipeline cannot start
     */
    Result run(String label, String scheduler, List<SimRequest> requests) throws IOException, InterruptedException {
        int port = freePort();
        Path resources = workDir.resolve("resources-" + label.replaceAll("[^A-Za-z0-9_.-]", "_") + ".yaml");
        Files.writeString(resources, LiveModels.resourcesYaml(port, requests));
        AllInOneConfig config = AllInOneConfig.defaults().withEphemeralPorts().withMetricsPort(-1)
                .withCluster("live").withSimulators(scenario.pool().servers()).withResourceFile(resources)
                .withSimulatorSettings(simulatorSettings(scenario)).withScheduler(scheduler)
                .withScrapeInterval(Duration.ofMillis(scenario.pipeline().scrapeIntervalMs()))
                .withGatewayThreads(GATEWAY_THREADS).withEppSettings(eppSettings);
        long wallStart = System.nanoTime();
        try (AllInOne pipeline = AllInOne.start(config)) {
            pipeline.awaitHealthyEndpoints(scenario.pool().servers(), Duration.ofSeconds(60));
            log.printf("live %s: pipeline ready in %d ms, every endpoint in the EPP's view (%d simulators, scheduler %s)%n", label,
                    pipeline.startupTime().toMillis(), pipeline.simulators().size(), scheduler);
            Result r = drive(label, pipeline, requests);
            return new Result(r.records(), r.errorsByReason(), pipeline.startupTime().toMillis(),
                    r.maxSendLagMillis(), (System.nanoTime() - wallStart) / 1_000_000L);
        }
    }

    private Result drive(String label, AllInOne pipeline, List<SimRequest> requests) throws InterruptedException {
        List<String> endpoints = pipeline.simulatorEndpoints();
        List<byte[]> bodies = new ArrayList<>(requests.size());
        for (SimRequest r : requests) {
            bodies.add(StreamingClient.body(LiveModels.modelFor(r), PromptText.of(r.tokens(scenario.seed())),
                    r.outputTokens()));
        }
        StreamingClient client = new StreamingClient(pipeline.gatewayAddress().getHostString(),
                pipeline.gatewayAddress().getPort());
        List<StreamingClient.Pending> pending = new ArrayList<>(requests.size());
        long maxLag = 0;
        long start = System.nanoTime();
        long lastReport = start;
        for (int i = 0; i < requests.size(); i++) {
            long due = start + requests.get(i).arrivalNanos();
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException("live run " + label + " interrupted");
                }
            }
            maxLag = Math.max(maxLag, System.nanoTime() - due);
            pending.add(client.send(label + "-" + i, bodies.get(i)));
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                lastReport = System.nanoTime();
                long done = pending.stream().filter(p -> p.outcome().isDone()).count();
                log.printf("live %s: %d/%d sent, %d finished%n", label, i + 1, requests.size(), done);
            }
        }
        awaitAll(label, pending);
        List<RequestRecord> records = new ArrayList<>(requests.size());
        Map<String, Integer> errors = new TreeMap<>();
        for (int i = 0; i < requests.size(); i++) {
            LiveOutcome o = pending.get(i).outcome().join();
            SimRequest r = requests.get(i);
            records.add(record(r, o, endpoints.indexOf(o.servedBy())));
            if (o.kind() == LiveOutcome.Kind.ERROR) {
                errors.merge(reason(o.error()), 1, Integer::sum);
            }
        }
        return new Result(records, errors, 0, maxLag / 1_000_000L, 0);
    }

    private void awaitAll(String label, List<StreamingClient.Pending> pending) throws InterruptedException {
        CompletableFuture<?>[] all = pending.stream().map(StreamingClient.Pending::outcome)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            long open = pending.stream().filter(p -> !p.outcome().isDone()).count();
            log.printf("live %s: %d request(s) still open after the %d s drain timeout; abandoned as errors%n", label,
                    open, drainTimeout.toSeconds());
            pending.forEach(p -> p.abandon("timeout: still streaming " + drainTimeout.toSeconds()
                    + " s after the last arrival"));
        } catch (ExecutionException e) {
            throw new IllegalStateException("a request outcome failed unexpectedly", e);
        }
    }

    /** The outcome as the simulation's record type: completed, shed (429), or refused (any error). */
    static RequestRecord record(SimRequest r, LiveOutcome o, int endpoint) {
        return switch (o.kind()) {
            case COMPLETED -> new RequestRecord(r.stage(), r.criticality(), Status.COMPLETED, endpoint,
                    r.arrivalNanos(), o.ttftNanos(), o.e2eNanos(), o.promptTokens(), o.completionTokens(),
                    o.cachedTokens());
            case SHED -> new RequestRecord(r.stage(), r.criticality(), Status.SHED, -1, r.arrivalNanos(), -1, -1,
                    r.promptTokens(), 0, 0);
            case ERROR -> new RequestRecord(r.stage(), r.criticality(), Status.REFUSED, endpoint, r.arrivalNanos(),
                    -1, -1, r.promptTokens(), 0, 0);
        };
    }

    /** The part of an error message that groups equal causes: up to the first colon, or 40 characters. */
    static String reason(String error) {
        int colon = error.indexOf(':');
        String head = colon > 0 ? error.substring(0, colon) : error;
        return head.length() > 40 ? head.substring(0, 40) : head;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(ADDRESS_BASE))) {
            return probe.getLocalPort();
        }
    }
}
