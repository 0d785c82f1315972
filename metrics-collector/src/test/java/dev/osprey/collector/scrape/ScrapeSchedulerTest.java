package dev.osprey.collector.scrape;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.collector.CollectorMetrics;
import dev.osprey.collector.PageServer;
import dev.osprey.collector.parse.Pages;
import dev.osprey.schemas.avro.ScrapeStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ScrapeSchedulerTest {

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CollectorMetrics metrics = new CollectorMetrics(meters, "test");
    private final HttpScraper scraper = new HttpScraper(Duration.ofSeconds(20), 1 << 20, 2, "test-io");
    private final ConcurrentLinkedQueue<ScrapeOutcome> outcomes = new ConcurrentLinkedQueue<>();

    @AfterEach
    void stop() {
        scraper.close();
        ticker.shutdownNow();
    }

    private static ScrapeTarget target(String pod, int port) {
        return ScrapeTarget.of(new PoolEndpoint("c/ns/" + pod + ":" + port, "c/ns/pool", pod, "127.0.0.1", port, 0,
                "vllm", Map.of()), "/metrics", ParserRegistry.builtIn());
    }

    private double skipped(String reason) {
        return meters.get("osprey.collector.scrapes.skipped").tag("reason", reason).counter().count();
    }

    @Test
    void neverOverlapsTwoScrapesOfOneEndpoint() {
        try (PageServer slow = PageServer.hanging();
                ScrapeScheduler scheduler = new ScrapeScheduler(scraper, ticker, Duration.ofMillis(10), 0.1, 16,
                        outcomes::add, metrics)) {
            scheduler.update(List.of(target("slow", slow.port())));

            await().atMost(Duration.ofSeconds(10)).until(() -> skipped("overlap") >= 3 && slow.requests() >= 1);

            assertThat(slow.requests()).isEqualTo(1);
            assertThat(scheduler.inFlight()).isEqualTo(1);
        }
    }

    @Test
    void boundsConcurrentScrapes() {
        try (PageServer a = PageServer.hanging(); PageServer b = PageServer.hanging();
                ScrapeScheduler scheduler = new ScrapeScheduler(scraper, ticker, Duration.ofMillis(10), 0.1, 1,
                        outcomes::add, metrics)) {
            scheduler.update(List.of(target("a", a.port()), target("b", b.port())));

            // the one admitted request may reach the server after the skips are counted
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> skipped("concurrency") >= 3 && a.requests() + b.requests() >= 1);

            assertThat(a.requests() + b.requests()).isEqualTo(1);
        }
    }

    @Test
    void scrapesRepeatedlyAndStopsForRemovedEndpoints() {
        try (PageServer page = PageServer.serving(Pages.bytes("vllm.txt"));
                ScrapeScheduler scheduler = new ScrapeScheduler(scraper, ticker, Duration.ofMillis(20), 0.1, 16,
                        outcomes::add, metrics)) {
            scheduler.update(List.of(target("p", page.port())));
            await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() >= 3);
            assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).isEqualTo(ScrapeStatus.OK));
            assertThat(meters.get("osprey.collector.scrapes").tag("status", "ok").counter().count()).isGreaterThanOrEqualTo(3);

            scheduler.update(List.of());

            assertThat(scheduler.endpointCount()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.inFlight() == 0);
            int requests = page.requests();
            assertThat(requests).isGreaterThanOrEqualTo(3);
        }
    }
}
