package dev.osprey.epp.scheduling;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Why an endpoint was picked: the profile that won, a one-line reason and the scores of the best-scored
 * endpoints (at most {@link #MAX_ENDPOINTS}, the chosen ones always included).
 *
 * @param endpoints best first
 */
public record Explanation(String profile, String reason, List<EndpointScores> endpoints) {

    /** How many endpoints an explanation lists at most. */
    public static final int MAX_ENDPOINTS = 8;

    public Explanation {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(reason, "reason");
        endpoints = List.copyOf(endpoints);
    }

    /** An explanation without per-endpoint detail. */
    public static Explanation of(String profile, String reason) {
        return new Explanation(profile, reason, List.of());
    }

    /**
     * One endpoint's scores.
     *
     * @param total the weighted sum the picker saw
     * @param byPlugin each scorer's clamped [0,1] score, by plugin name
     */
    public record EndpointScores(String endpointId, double total, Map<String, Double> byPlugin) {
        public EndpointScores {
            Objects.requireNonNull(endpointId, "endpointId");
            byPlugin = Map.copyOf(byPlugin);
        }
    }

    /** Compact single-line form for the {@code x-osprey-decision} response header (ASCII, no newlines). */
    public String headerValue() {
        StringBuilder sb = new StringBuilder(96 + 48 * endpoints.size());
        sb.append("profile=").append(profile).append("; reason=").append(reason.replace(';', ','));
        if (!endpoints.isEmpty()) {
            sb.append("; scores=");
            for (int i = 0; i < endpoints.size(); i++) {
                EndpointScores e = endpoints.get(i);
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(e.endpointId()).append('=').append(String.format(Locale.ROOT, "%.3f", e.total()));
            }
        }
        return sb.toString().replaceAll("[^\\x20-\\x7e]", "?");
    }
}
