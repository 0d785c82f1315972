package dev.osprey.aggregator.query;

import java.util.Objects;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Locates the instance that hosts a pool's state, wrapping {@link KafkaStreams#queryMetadataForKey} into a
 * {@link KeyLocation}. Thread-safe.
 */
public final class StateLocator {

    private static final Serializer<String> KEYS = new StringSerializer();

    private final KafkaStreams streams;
    private final HostInfo self;

    /** @param self the {@code application.server} this instance advertises */
    public StateLocator(KafkaStreams streams, HostInfo self) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = Objects.requireNonNull(self, "self");
    }

    /** Where the active copy of {@code poolId}'s entries in {@code storeName} lives now. */
    public KeyLocation locate(String storeName, String poolId) {
        KafkaStreams.State state = streams.state();
        if (!state.isRunningOrRebalancing()) {
            return new KeyLocation.Unavailable("aggregator is " + state);
        }
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(storeName, poolId, KEYS);
        } catch (StreamsException | IllegalStateException e) {
            return new KeyLocation.Unavailable("cannot query metadata: " + e.getMessage());
        }
        if (metadata == null) {
            return new KeyLocation.UnknownStore(storeName);
        }
        if (KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.activeHost() == null
                || metadata.partition() < 0) {
            return new KeyLocation.Unavailable("no active host for the key yet (rebalancing)");
        }
        if (self.equals(metadata.activeHost())) {
            return new KeyLocation.Local(metadata.partition());
        }
        return new KeyLocation.Remote(metadata.activeHost(), metadata.partition());
    }
}
