package dev.osprey.epp.scheduling;

import dev.osprey.epp.state.EndpointHealth;
import dev.osprey.epp.state.EndpointSnapshot;

/**
 * Decides whether an endpoint is saturated: waiting ≥ the queue threshold, KV-cache utilization ≥ the KV
 * threshold, or metrics stale (health STALE, or scraped longer ago than the staleness limit). Immutable.
 */
public record SaturationDetector(int queueDepth, double kvCacheUtilization, long stalenessMs) {

    /** Upstream defaults: queue 5, KV 0.8, 200 ms. */
    public static final SaturationDetector DEFAULTS = new SaturationDetector(5, 0.8, 200);

    public SaturationDetector {
        if (queueDepth < 1 || kvCacheUtilization < 0 || kvCacheUtilization > 1 || stalenessMs < 1) {
            throw new IllegalArgumentException("bad saturation thresholds: queue " + queueDepth + ", kv "
                    + kvCacheUtilization + ", staleness " + stalenessMs + " ms");
        }
    }

    public boolean saturated(EndpointSnapshot e, long nowMs) {
        return e.waitingRequests() >= queueDepth || e.kvCacheUtilization() >= kvCacheUtilization
                || e.health() != EndpointHealth.HEALTHY || nowMs - e.scrapeTimeMs() > stalenessMs;
    }
}
