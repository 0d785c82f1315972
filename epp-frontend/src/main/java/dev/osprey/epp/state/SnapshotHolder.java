package dev.osprey.epp.state;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link PoolSnapshotSource} backed by one atomic reference. The Kafka view writes into it; tests set snapshots
 * directly. Thread-safe.
 */
public final class SnapshotHolder implements PoolSnapshotSource {

    private final AtomicReference<PoolSnapshot> latest = new AtomicReference<>();

    /** Replaces the current snapshot. */
    public void set(PoolSnapshot snapshot) {
        latest.set(Objects.requireNonNull(snapshot, "snapshot"));
    }

    @Override
    public Optional<PoolSnapshot> current() {
        return Optional.ofNullable(latest.get());
    }
}
