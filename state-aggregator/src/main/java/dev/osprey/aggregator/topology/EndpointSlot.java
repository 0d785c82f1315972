package dev.osprey.aggregator.topology;

import dev.osprey.schemas.avro.EndpointMetrics;

/**
 * One endpoint of a {@link PoolView}: its newest sample, its store key, its {@code ip:port} (as routing decisions
 * name it) and its encoded identity, the last three computed once rather than per sample. Mutable; owned by one stream task.
 */
final class EndpointSlot {

    private final String endpointId;
    private final String storeKey;
    private EndpointMetrics sample;
    private String hostPort;
    private byte[] identity;

    EndpointSlot(String endpointId, String storeKey, EndpointMetrics sample) {
        this.endpointId = endpointId;
        this.storeKey = storeKey;
        update(sample);
    }

    /** Replaces the newest sample. */
    void update(EndpointMetrics next) {
        EndpointMetrics previous = sample;
        sample = next;
        if (previous == null || previous.getPort() != next.getPort()
                || !previous.getAddress().equals(next.getAddress()) || previous.getEngine() != next.getEngine()) {
            hostPort = PoolStateAssembler.hostPort(next.getAddress(), next.getPort());
            identity = PoolStateWriter.identity(next);
        }
    }

    String endpointId() {
        return endpointId;
    }

    String storeKey() {
        return storeKey;
    }

    EndpointMetrics sample() {
        return sample;
    }

    long scrapeTimeMs() {
        return sample.getScrapeTimeMs();
    }

    String hostPort() {
        return hostPort;
    }

    /** The endpoint's identity fields in PoolState's Avro binary ({@link PoolStateWriter#identity}). */
    byte[] identity() {
        return identity;
    }
}
