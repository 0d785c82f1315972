package dev.osprey.aggregator.query;

import java.util.Objects;

import org.apache.kafka.streams.state.HostInfo;

/**
 * Where the active copy of a key's state lives, as a typed result: on this instance, on another instance, not
 * known right now (rebalancing, not yet running, or Streams' NOT_AVAILABLE placeholder), or never (the store is
 * not part of the topology).
 */
public sealed interface KeyLocation {

    /** Hosted by this instance, in {@code partition}. */
    record Local(int partition) implements KeyLocation {
    }

    /** Hosted by the instance advertising {@code host}. */
    record Remote(HostInfo host, int partition) implements KeyLocation {

        public Remote {
            Objects.requireNonNull(host, "host");
        }
    }

    /** Not locatable now; asking again later may succeed. */
    record Unavailable(String reason) implements KeyLocation {

        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The store is unknown to this application; asking again will not help. */
    record UnknownStore(String storeName) implements KeyLocation {

        public UnknownStore {
            Objects.requireNonNull(storeName, "storeName");
        }
    }
}
