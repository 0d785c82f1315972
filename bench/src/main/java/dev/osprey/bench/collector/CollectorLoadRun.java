package dev.osprey.bench.collector;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.collector.CollectorMetrics;
import dev.osprey.collector.scrape.HttpScraper;
import dev.osprey.collector.scrape.ParserRegistry;
import dev.osprey.collector.scrape.ScrapeScheduler;
import dev.osprey.collector.scrape.ScrapeTarget;
import dev.osprey.schemas.avro.ScrapeStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A bounded, loopback-only load run of the collector's scrape pipeline (scheduler, NIO HTTP client, parser; no
 * Kafka): {@code servers} cheap NIO page servers ({@link PageServers}, one thread) on 127.0.0.x addresses serve the
 * same ~52 KB vLLM page, and one scheduler scrapes {@code N} endpoints spread over them every {@code interval}, for
 * each N given. Per N it prints target vs achieved scrapes/s, failures, skipped ticks, the p50/p99/max scrape latency,
 * and the CPU used during the measurement: the page servers' thread, and the rest of the process (the collector:
 * ticker, I/O threads, GC, JIT), in cores, with OK scrapes/s per collector core.
 *
 * <p>{@code java -cp bench/target/osprey-bench.jar dev.osprey.bench.collector.CollectorLoadRun
 * [--endpoints 250,500,1000] [--seconds 15] [--servers 16] [--interval-ms 50] [--io-threads 2]
 * [--max-concurrent 4096]}
 */
public final class CollectorLoadRun {

    private CollectorLoadRun() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = options(args);
        int[] sizes = Arrays.stream(options.getOrDefault("--endpoints", "250,500,1000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int seconds = Integer.parseInt(options.getOrDefault("--seconds", "15"));
        int serverCount = Integer.parseInt(options.getOrDefault("--servers", "16"));
        Duration interval = Duration.ofMillis(Long.parseLong(options.getOrDefault("--interval-ms", "50")));
        int ioThreads = Integer.parseInt(options.getOrDefault("--io-threads", "2"));
        int maxConcurrent = Integer.parseInt(options.getOrDefault("--max-concurrent", "4096"));
        byte[] page = VllmPage.render(2);

        try (PageServers servers = new PageServers(serverCount, page)) {
            System.out.printf(Locale.ROOT, "page %d bytes, %d servers (1 NIO thread), interval %s, io threads %d, "
                    + "max concurrent %d, %d s per size, %d cores%n", page.length, serverCount, interval, ioThreads,
                    maxConcurrent, seconds, Runtime.getRuntime().availableProcessors());
            System.out.println("| endpoints | target scrapes/s | achieved OK scrapes/s | achieved % | failed | "
                    + "skipped ticks | p50 ms | p99 ms | max ms | collector CPU (cores) | page-server CPU (cores) | "
                    + "OK scrapes/s per collector core |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (int size : sizes) {
                run(size, servers, interval, ioThreads, maxConcurrent, seconds);
            }
        }
    }

    private static void run(int size, PageServers servers, Duration interval, int ioThreads, int maxConcurrent,
            int seconds) throws InterruptedException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CollectorMetrics metrics = new CollectorMetrics(meters, "load-run");
        ScheduledThreadPoolExecutor ticker = new ScheduledThreadPoolExecutor(1);
        ticker.setRemoveOnCancelPolicy(true);
        HttpScraper scraper = new HttpScraper(Duration.ofSeconds(1), 4 << 20, ioThreads, "load-run-io");
        LatencyRecorder latency = new LatencyRecorder();
        AtomicLong failed = new AtomicLong();
        ScrapeScheduler scheduler = new ScrapeScheduler(scraper, ticker, interval, 0.1, maxConcurrent, outcome -> {
            if (outcome.status() == ScrapeStatus.OK) {
                latency.record(outcome.durationMicros());
            } else {
                failed.incrementAndGet();
            }
        }, metrics);
        try {
            ParserRegistry parsers = ParserRegistry.builtIn();
            List<ScrapeTarget> targets = new ArrayList<>(size);
            List<InetSocketAddress> addresses = servers.addresses();
            for (int i = 0; i < size; i++) {
                InetSocketAddress address = addresses.get(i % addresses.size());
                PoolEndpoint endpoint = new PoolEndpoint("load/bench/pod-" + i + ":" + address.getPort(),
                        "load/bench/pool", "pod-" + i, address.getHostString(), address.getPort(), 0, "vllm",
                        Map.of());
                targets.add(ScrapeTarget.of(endpoint, "/metrics", parsers));
            }
            scheduler.update(targets);
            Thread.sleep(Math.min(5_000, seconds * 1000L / 3));
            latency.reset();
            long failedBefore = failed.get();
            double skippedBefore = skipped(meters);
            long processCpuBefore = processCpuNanos();
            long serverCpuBefore = servers.cpuNanos();
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long elapsedNanos = System.nanoTime() - start;
            LatencyRecorder.Summary summary = latency.summary();
            double serverCores = (servers.cpuNanos() - serverCpuBefore) / (double) elapsedNanos;
            double collectorCores = (processCpuNanos() - processCpuBefore) / (double) elapsedNanos - serverCores;
            double elapsed = elapsedNanos / 1e9;
            double target = size * 1000.0 / interval.toMillis();
            double achieved = summary.count() / elapsed;
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.1f %% | %d | %.0f | %.1f | %.1f | %.1f | %.2f | %.2f "
                    + "| %.0f |%n", size, target, achieved, 100 * achieved / target, failed.get() - failedBefore,
                    skipped(meters) - skippedBefore, summary.p50Micros() / 1000.0, summary.p99Micros() / 1000.0,
                    summary.maxMicros() / 1000.0, collectorCores, serverCores, achieved / collectorCores);
        } finally {
            scheduler.close();
            scraper.close();
            ticker.shutdownNow();
            metrics.close();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
    private static double skipped(SimpleMeterRegistry meters) {
        return meters.find("osprey.collector.scrapes.skipped").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Map<String, String> options(String[] args) {
        java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            out.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
        }
        return out;
    }
}
