package dev.osprey.collector.scrape;

import java.util.EnumMap;
import java.util.Map;

import dev.osprey.collector.parse.EngineMapping;
import dev.osprey.collector.parse.EngineType;
import dev.osprey.collector.parse.PrometheusPageParser;

/** One shared parser per engine. Immutable and thread-safe. */
public final class ParserRegistry {

    private final Map<EngineType, PrometheusPageParser> parsers;

    private ParserRegistry(Map<EngineType, PrometheusPageParser> parsers) {
        this.parsers = parsers;
    }

    /** Parsers for the built-in mappings of every engine. */
    public static ParserRegistry builtIn() {
        Map<EngineType, PrometheusPageParser> parsers = new EnumMap<>(EngineType.class);
        for (EngineType engine : EngineType.values()) {
            parsers.put(engine, PrometheusPageParser.of(EngineMapping.builtIn(engine)));
        }
        return new ParserRegistry(parsers);
    }

    /** Parsers for these mappings; engines missing from {@code mappings} get their built-in mapping. */
    public static ParserRegistry of(Map<EngineType, EngineMapping> mappings) {
        Map<EngineType, PrometheusPageParser> parsers = new EnumMap<>(EngineType.class);
        for (EngineType engine : EngineType.values()) {
            parsers.put(engine, PrometheusPageParser.of(mappings.getOrDefault(engine, EngineMapping.builtIn(engine))));
        }
        return new ParserRegistry(parsers);
    }

    public PrometheusPageParser parser(EngineType engine) {
        return parsers.get(engine);
    }
}
