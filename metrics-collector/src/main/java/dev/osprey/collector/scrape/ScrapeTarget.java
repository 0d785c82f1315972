package dev.osprey.collector.scrape;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.collector.parse.EngineType;
import dev.osprey.collector.parse.PrometheusPageParser;

/**
 * What to scrape for one endpoint: its URL (empty with a reason when the address cannot form one), its engine and
 * the parser for that engine. An unknown engine label falls back to vLLM, upstream's default.
 */
public record ScrapeTarget(PoolEndpoint endpoint, EngineType engine, Optional<URI> uri, String uriProblem,
        PrometheusPageParser parser) {

    public ScrapeTarget {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(uriProblem, "uriProblem");
        Objects.requireNonNull(parser, "parser");
    }

    /** The target for {@code endpoint} at {@code http://<address>:<port><metricsPath>}. */
    public static ScrapeTarget of(PoolEndpoint endpoint, String metricsPath, ParserRegistry parsers) {
        EngineType engine = EngineType.fromLabel(endpoint.engine()).orElse(EngineType.VLLM);
        Optional<URI> uri;
        String problem = "";
        try {
            uri = Optional.of(URI.create("http://" + endpoint.hostPort() + metricsPath));
        } catch (IllegalArgumentException e) {
            uri = Optional.empty();
            problem = "cannot form a URL from address " + endpoint.address() + ": " + e.getMessage();
        }
        return new ScrapeTarget(endpoint, engine, uri, problem, parsers.parser(engine));
    }
}
