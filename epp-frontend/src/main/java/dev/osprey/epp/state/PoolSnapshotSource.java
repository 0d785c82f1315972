package dev.osprey.epp.state;

import java.util.Optional;

/** Where the pick path reads the latest snapshot. Implementations are thread-safe and never block. */
public interface PoolSnapshotSource {

    /** The newest snapshot, or empty when none has been seen yet. */
    Optional<PoolSnapshot> current();
}
