package dev.osprey.collector.publish;

import java.util.Objects;

import dev.osprey.api.PoolEndpoint;

/** A change of the endpoint set: an endpoint appeared or changed, or it is gone (a tombstone). */
public sealed interface MembershipChange {

    /** The endpoint id, the key of the compacted endpoints topic. */
    String endpointId();

    /** {@code endpoint} is new or its address, port, labels, engine or pool changed. */
    record Upsert(PoolEndpoint endpoint) implements MembershipChange {
        public Upsert {
            Objects.requireNonNull(endpoint, "endpoint");
        }

        @Override
        public String endpointId() {
            return endpoint.endpointId();
        }
    }

    /** The endpoint with this id is no longer scraped. */
    record Removed(String endpointId) implements MembershipChange {
        public Removed {
            Objects.requireNonNull(endpointId, "endpointId");
        }
    }
}
