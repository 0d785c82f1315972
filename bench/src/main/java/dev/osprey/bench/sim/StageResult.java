package dev.osprey.bench.sim;

import java.util.Map;

/**
 * Figures for one variant (strategy, pipeline delay) and one ladder stage, over the requests that arrived in the
 * stage. Latencies in milliseconds; NaN when no request of the stage completed.
 *
 * @param rate offered requests per second
 * @param offered requests that arrived in the stage
 * @param completed of those, requests that completed
 * @param shed requests shed by the picker, by criticality name
 * @param refused requests the server refused (too large for its KV cache)
 * @param outputTokensPerSecond output tokens of requests that finished during the stage (any
 *     arrival stage), divided by its duration
 * @param prefixCacheHitRate cached prompt tokens / prompt tokens of completed requests
 * @param goodput completed requests meeting every SLO threshold, per second of stage
 * @param ttftP90ByCriticality TTFT p90 of completed requests per criticality name (NaN when none completed)
 * @param maxEndpointShare largest share of the stage's requests sent to one endpoint (1/servers = even)
 */
public record StageResult(int stage, double rate, double durationS, int offered, int completed,
        Map<String, Integer> shed, int refused, double ttftP50, double ttftP90, double ttftP99, double tpotP50,
        double tpotP90, double e2eP50, double e2eP90, double e2eP99, double outputTokensPerSecond,
        double prefixCacheHitRate, double goodput, Map<String, Double> ttftP90ByCriticality,
        double maxEndpointShare) {
}
