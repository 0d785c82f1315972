package dev.osprey.collector.scrape;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.collector.PageServer;
import dev.osprey.collector.parse.EngineType;
import dev.osprey.collector.parse.Pages;
import dev.osprey.schemas.avro.ScrapeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HttpScraperTest {

    private final HttpScraper scraper = new HttpScraper(Duration.ofSeconds(2), 64 * 1024, 2, "test-io");
    private final ParserRegistry parsers = ParserRegistry.builtIn();

    @AfterEach
    void stop() {
        scraper.close();
    }

    private ScrapeOutcome scrape(int port, String engine) throws Exception {
        PoolEndpoint endpoint = new PoolEndpoint("c/ns/p:" + port, "c/ns/pool", "p", "127.0.0.1", port, 0, engine,
                Map.of());
        return scraper.scrape(ScrapeTarget.of(endpoint, "/metrics", parsers)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void parsesAPageWithTheEndpointsEngine() throws Exception {
        try (PageServer server = PageServer.serving(Pages.bytes("triton.txt"))) {
            ScrapeOutcome outcome = scrape(server.port(), "triton-tensorrt-llm");

            assertThat(outcome.status()).isEqualTo(ScrapeStatus.OK);
            assertThat(outcome.target().engine()).isEqualTo(EngineType.TRITON);
            assertThat(outcome.metrics()).hasValueSatisfying(m -> assertThat(m.waitingRequests()).isEqualTo(4));
        }
    }

    @Test
    void unknownEngineLabelsAreReadAsVllm() throws Exception {
        try (PageServer server = PageServer.serving(Pages.bytes("vllm.txt"))) {
            assertThat(scrape(server.port(), "my-engine").status()).isEqualTo(ScrapeStatus.OK);
        }
    }

    @Test
    void nonSuccessStatusIsAnHttpError() throws Exception {
        try (PageServer server = PageServer.failing(404)) {
            ScrapeOutcome outcome = scrape(server.port(), "vllm");

            assertThat(outcome.status()).isEqualTo(ScrapeStatus.HTTP_ERROR);
            assertThat(outcome.message()).hasValue("HTTP 404");
            assertThat(outcome.metrics()).isEmpty();
        }
    }

    @Test
    void oversizedPageIsAParseError() throws Exception {
        try (PageServer server = PageServer.serving(new byte[200 * 1024])) {
            ScrapeOutcome outcome = scrape(server.port(), "vllm");

            assertThat(outcome.status()).isEqualTo(ScrapeStatus.PARSE_ERROR);
            assertThat(outcome.message()).hasValueSatisfying(m -> assertThat(m).contains("exceeds"));
        }
    }

    @Test
    void refusedConnectionIsAConnectError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        ScrapeOutcome outcome = scrape(port, "vllm");

        assertThat(outcome.status()).isEqualTo(ScrapeStatus.CONNECT_ERROR);
        assertThat(outcome.message()).isPresent();
    }

    @Test
    void anAddressThatFormsNoUrlIsAConnectErrorWithoutARequest() throws Exception {
        PoolEndpoint endpoint = new PoolEndpoint("c/ns/p:1", "c/ns/pool", "p", "not a host", 1, 0, "vllm", Map.of());

        ScrapeOutcome outcome = scraper.scrape(ScrapeTarget.of(endpoint, "/metrics", parsers)).get(5, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(ScrapeStatus.CONNECT_ERROR);
        assertThat(outcome.message()).hasValueSatisfying(m -> assertThat(m).contains("not a host"));
    }

    @Test
    void aPageNotServedInTimeIsATimeout() throws Exception {
        try (PageServer server = PageServer.hanging()) {
            ScrapeOutcome outcome = scrape(server.port(), "vllm");

            assertThat(outcome.status()).isEqualTo(ScrapeStatus.TIMEOUT);
            assertThat(outcome.message()).hasValue("no complete page within PT2S");
            assertThat(outcome.durationMicros()).isGreaterThanOrEqualTo(1_900_000);
        }
    }

    @Test
    void successiveScrapesOfAnEndpointShareOneConnection() throws Exception {
        try (PageServer server = PageServer.serving(Pages.bytes("vllm.txt"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(scrape(server.port(), "vllm").status()).isEqualTo(ScrapeStatus.OK);
            }
            assertThat(server.requests()).isEqualTo(3);
            assertThat(server.connections()).isEqualTo(1);
        }
    }
}
