package dev.osprey.epp.scheduling;

import dev.osprey.api.Criticality;
import dev.osprey.epp.state.EndpointSnapshot;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What one pick needs to know about the request.
 *
 * @param filter which endpoints the request may use (e.g. the gateway's subset hint)
 * @param fallbacks how many fallback endpoints to return after the primary
 * @param criticality SHEDDABLE requests are shed when every candidate is saturated
 */
public record PickRequest(Predicate<EndpointSnapshot> filter, int fallbacks, Criticality criticality) {

    public PickRequest {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(criticality, "criticality");
        if (fallbacks < 0) {
            throw new IllegalArgumentException("fallbacks must be 0 or more, got " + fallbacks);
        }
    }

    /** Any endpoint, no fallbacks, Standard. */
    public static PickRequest standard() {
        return new PickRequest(e -> true, 0, Criticality.STANDARD);
    }
}
