package dev.osprey.collector.scrape;

import java.util.Objects;
import java.util.Optional;

import dev.osprey.collector.parse.ParsedMetrics;
import dev.osprey.schemas.avro.ScrapeStatus;

/**
 * The result of one scrape of one endpoint; every scrape ends in exactly one, successful or not.
 *
 * @param target what was scraped
 * @param scrapeTimeMs wall-clock epoch millis when the scrape started
 * @param durationMicros from start to parsed page or failure
 * @param finishedNanos {@link System#nanoTime()} at the end, for publish latency
 * @param status {@link ScrapeStatus#OK} exactly when {@code metrics} is present
 * @param message why it failed, or a note (such as malformed lines) on success; empty when nothing to say
 */
public record ScrapeOutcome(ScrapeTarget target, long scrapeTimeMs, long durationMicros, long finishedNanos,
        ScrapeStatus status, Optional<String> message, Optional<ParsedMetrics> metrics) {

    public ScrapeOutcome {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(metrics, "metrics");
        if ((status == ScrapeStatus.OK) != metrics.isPresent()) {
            throw new IllegalArgumentException("metrics must be present exactly when the status is OK, got " + status);
        }
    }
}
