package dev.osprey.epp.state;

/** Health of an endpoint as judged by the aggregator. */
public enum EndpointHealth {
    HEALTHY, STALE, UNHEALTHY
}
