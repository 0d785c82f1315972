package dev.osprey.collector.scrape;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.collector.parse.EngineType;
import dev.osprey.collector.parse.PrometheusPageParser;
import dev.osprey.collector.scrape.http.PageRequest;

/**
 * What to scrape for one endpoint: its request, built once (empty with a reason when the address cannot form a
 * URL), its engine and the parser for that engine. An unknown engine label falls back to vLLM, upstream's default.
 */
public record ScrapeTarget(PoolEndpoint endpoint, EngineType engine, Optional<PageRequest> request, String uriProblem,
        PrometheusPageParser parser) {

    public ScrapeTarget {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(uriProblem, "uriProblem");
        Objects.requireNonNull(parser, "parser");
    }

    /** The target for {@code endpoint} at {@code http://<address>:<port><metricsPath>}. */
    public static ScrapeTarget of(PoolEndpoint endpoint, String metricsPath, ParserRegistry parsers) {
        EngineType engine = EngineType.fromLabel(endpoint.engine()).orElse(EngineType.VLLM);
        Optional<PageRequest> request;
        String problem = "";
        try {
            request = Optional.of(PageRequest.of(URI.create("http://" + endpoint.hostPort() + metricsPath)));
        } catch (IllegalArgumentException e) {
            request = Optional.empty();
            problem = "cannot form a URL from address " + endpoint.address() + ": " + e.getMessage();
        }
        return new ScrapeTarget(endpoint, engine, request, problem, parsers.parser(engine));
    }
}
