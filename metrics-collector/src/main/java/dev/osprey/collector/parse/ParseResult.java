package dev.osprey.collector.parse;

import java.util.Objects;

/** The outcome of parsing one page: the metrics, or why the page was unusable. */
public sealed interface ParseResult {

    /**
     * Every required signal was found.
     *
     * @param malformedLines lines of mapped families that were skipped as malformed (bad syntax, NaN, Inf)
     */
    record Parsed(ParsedMetrics metrics, int malformedLines) implements ParseResult {
        public Parsed {
            Objects.requireNonNull(metrics, "metrics");
        }
    }

    /** The page lacked a required signal or could not be read; {@code reason} says which. */
    record Failed(String reason) implements ParseResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
